"""Where the registry file is: --registry, else $KVLOOKUP_REGISTRY, else the bundled one."""

# Apart from registry.py: every run locates the registry, and a warm lookup then answers
# from the cache without the reader and validator (half a millisecond to import).

import os
from collections.abc import Mapping
from pathlib import Path

ENV_VAR = "KVLOOKUP_REGISTRY"


def packaged_path() -> Path:
    """Where an installed (non-editable) kvlookup keeps its copy of the registry."""
    # The wheel puts the file inside the package (pyproject's force-include).
    return Path(__file__).resolve().parents[1] / "data" / "contacts.toml"


def bundled_path() -> Path:
    """The registry shipped with the package (or the checkout's data/ in development)."""
    packaged = packaged_path()
    if packaged.is_file():
        return packaged
    # An editable install has no copy inside the package; use the checkout's file.
    return Path(__file__).resolve().parents[3] / "data" / "contacts.toml"


def locate(explicit: Path | None, environ: Mapping[str, str] | None = None) -> Path:
    """The registry to use: --registry, else $KVLOOKUP_REGISTRY, else the bundled one."""
    env = os.environ if environ is None else environ
    if explicit is not None:
        return explicit
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR])
    return bundled_path()
