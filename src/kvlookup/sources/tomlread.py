"""The one TOML reader every reader of the registry and the config uses.

Two parsers stand behind one function. rtoml is compiled from Rust: a 100,000-entry
registry with long names parses in 1.4 s against tomli's 3.6 s and tomllib's 9 s
(bench/README.md). tomli is the code the standard library vendored as tomllib, with
the same errors and messages, in mypyc-compiled wheels. rtoml parses first. Whatever
it refuses goes to tomli, so that an error is always tomllib's (with the line and column
registry.parse reports), and the few documents rtoml refuses but TOML allows (a float
beyond double range, arrays nested deeper than rtoml's limit) still parse. rtoml is also
more lenient in a few places (a line break between a key and its value inside an inline
table, a byte order mark), and keeps a CRLF in a multi-line string where tomli gives LF;
text that might meet one of these goes to tomli too. So loads() accepts exactly what tomli
accepts, with the same data (tests/test_tomlread.py, a differential test). Where rtoml
has no wheel (PyPy, a future Python), pyproject's marker leaves it out and tomli parses
everything.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import tomli
from tomli import TOMLDecodeError

__all__ = ["TOMLDecodeError", "loads"]


def loads(text: str) -> dict[str, Any]:
    """The data of TOML text, as tomllib gives it; TOMLDecodeError when it is not TOML."""
    fast = _fast()
    if fast is not None:
        # tomli turns a CRLF inside a multi-line string into LF, rtoml keeps it: LF text
        # parses the same in both, and a CRLF anywhere else is only a line end.
        lf = text.replace("\r\n", "\n") if "\r" in text else text
        if not _rtoml_may_differ(lf):
            try:
                return fast(lf)
            except Exception:  # rtoml's own error type, or one it should not raise
                # Not an answer yet: tomli gives tomllib's message, or parses what rtoml cannot.
                pass
    return tomli.loads(text)


def _rtoml_may_differ(text: str) -> bool:
    """True when rtoml might accept LF text that tomli refuses (the differences we know)."""
    # A CR left after CRLFs became LF was bare, which TOML allows nowhere; and "\r\r\n"
    # would have become a CRLF. A byte order mark is not TOML either.
    if "\r" in text or text.startswith("\ufeff"):
        return True
    # A line break between a key and its value inside an inline table. Outside one both
    # parsers refuse it, so text without "{" (most registries) needs no more than this one
    # quick scan. With one, a line that ends in "=" (and perhaps a comment) or starts with
    # "=" is the sign; in a string it is a false alarm that costs only speed. The two
    # patterns apart: together they scan five times slower (0.5 s at 100k entries), as
    # neither then starts with a fixed character.
    return "{" in text and bool(_VALUE_BELOW.search(text) or _KEY_ABOVE.search(text))


# tomli imports re itself, so compiling these costs no extra import.
_VALUE_BELOW = re.compile(r"=[ \t]*(?:#[^\n]*)?\n")
_KEY_ABOVE = re.compile(r"\n[ \t]*=")


@cache
def _fast() -> Callable[[str], dict[str, Any]] | None:
    """rtoml's parser when it is installed, else None."""
    # Imported on first use: a warm lookup answers from the cache and parses no TOML.
    try:
        from rtoml import loads as fast
    except ImportError:
        return None
    return fast
