"""Where the user's cache and config folders are (platformdirs' answer, cheaply on Linux)."""

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

Kind = Literal["cache", "config"]
# The XDG variable and the default folder under HOME of each kind (the XDG base spec).
_XDG: Mapping[Kind, tuple[str, str]] = {
    "cache": ("XDG_CACHE_HOME", ".cache"),
    "config": ("XDG_CONFIG_HOME", ".config"),
}


def user_dir(kind: Kind, environ: Mapping[str, str]) -> Path:
    """platformdirs.user_cache_dir or user_config_dir("kvlookup"), without importing it on
    Linux where every platformdirs version gives the same answer."""
    # Importing platformdirs costs 2.5 ms (it loads tempfile and random): a sixth of what a
    # warm 'who' spends on top of Python and Typer, and every lookup asks for the cache and
    # whether a config exists. On Linux every platformdirs version answers
    # $XDG_..._HOME/kvlookup when that is absolute, and ~/.cache (~/.config)/kvlookup when it
    # is unset and HOME is absolute. Anything else (a relative XDG variable, which newer
    # versions ignore and older ones used, no HOME, another system) still asks platformdirs;
    # tests/test_cache.py and tests/test_directory.py check that both agree.
    if sys.platform == "linux":
        variable, default = _XDG[kind]
        xdg, home = environ.get(variable, ""), environ.get("HOME", "")
        if os.path.isabs(xdg):
            return Path(xdg, "kvlookup")
        if not xdg and os.path.isabs(home):
            return Path(home, default, "kvlookup")
    import platformdirs

    if kind == "cache":
        return Path(platformdirs.user_cache_dir("kvlookup", appauthor=False))
    return Path(platformdirs.user_config_dir("kvlookup", appauthor=False))
