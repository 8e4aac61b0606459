"""The one TOML parser every reader of the registry and the config uses.

tomli is the code the standard library vendored as tomllib, with the same errors and
messages, but its wheels are compiled with mypyc: a 100,000-entry registry parses in
2.0 s instead of 5.2 s (bench/README.md). On a platform without a compiled wheel pip
installs tomli's pure-Python wheel, which is tomllib's speed.
"""

from __future__ import annotations

from tomli import TOMLDecodeError, loads

__all__ = ["TOMLDecodeError", "loads"]
