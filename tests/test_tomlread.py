"""The TOML reader: rtoml's speed, tomli's verdicts, errors and data."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from kvlookup.sources import tomlread

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = (ROOT / "data" / "contacts.toml").read_text(encoding="utf-8")

# What the reader must get right where rtoml alone answers differently from tomli.
AWKWARD = [
    # rtoml keeps CRLF inside a multi-line string; tomli turns it into LF.
    'a = """first\r\nsecond"""\r\nb = 1\r\n',
    "a = '''first\r\nsecond'''\r\n",
    # A bare CR before a CRLF: normalising line ends must not make it valid.
    "a = 1\r\r\nb = 2\r\n",
    # A byte order mark: rtoml skips it, tomli refuses it.
    "\ufeffa = 1",
    # Beyond double range: rtoml refuses, tomli gives inf.
    "a = 1e999",
    # rtoml accepts a line break between a key and its value inside an inline table.
    "a = { b = # comment\n 1 }",
    "a = { b # comment\n = 1 }",
    'a = { "b"\n = 1 }',
    "x = [ { b\n= 1 } ]",
    "a = { b =\n1 }",
    # Deeper than rtoml's limit, shallower than Python's stack.
    "a = " + "[" * 300 + "]" * 300,
    # Accepted by both, and alike.
    "a = { b = 1, # comment\n c = 2 }",
    'description = """line\nline two"""\n[t]\nkey = "= not a break"\n',
    # Refused by both: the error must be tomli's.
    "a = 1\na = 2",
    "[t]\n[t]",
    'a = "unterminated',
    "a = 07:32:00:00",
]


def _same(a: Any, b: Any) -> bool:
    """Equal data, including types, order of keys and NaN; datetimes by their offset."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, datetime) and isinstance(b, datetime):
        # rtoml has its own tzinfo class; the offset is what the data says.
        return a == b and a.utcoffset() == b.utcoffset()
    return type(a) is type(b) and a == b


def _verdict(loads: Callable[[str], dict[str, Any]], text: str) -> tuple[str, Any]:
    """What loads makes of text: its data, or tomli's error message."""
    try:
        return "data", loads(text)
    except tomli.TOMLDecodeError as exc:  # tomlread's TOMLDecodeError is tomli's
        return "error", str(exc)
    except RecursionError:
        return "too deep", None


def _agree(text: str) -> None:
    expected, got = _verdict(tomli.loads, text), _verdict(tomlread.loads, text)
    assert got[0] == expected[0], text
    if expected[0] == "data":
        assert _same(got[1], expected[1]), text
    else:
        assert got[1] == expected[1], text


@pytest.fixture(params=["rtoml", "tomli alone"])
def parsers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test runs with rtoml first (when installed) and with tomli alone."""
    if request.param == "rtoml":
        pytest.importorskip("rtoml")
    else:
        # As on a platform where pyproject's marker leaves rtoml out.
        monkeypatch.setitem(sys.modules, "rtoml", None)
    tomlread._fast.cache_clear()
    yield request.param
    tomlread._fast.cache_clear()


@pytest.mark.parametrize("text", AWKWARD)
def test_the_reader_gives_tomli_s_data_or_tomli_s_error(parsers: str, text: str) -> None:
    _agree(text)


def test_the_bundled_registry_reads_alike_in_both(parsers: str) -> None:
    _agree(BUNDLED)
    _agree(BUNDLED.replace("\n", "\r\n"))


@pytest.mark.parametrize("parsers", ["rtoml"], indirect=True)
def test_rtoml_answers_when_installed(parsers: str) -> None:
    assert tomlread._fast() is sys.modules["rtoml"].loads


@pytest.mark.parametrize("parsers", ["tomli alone"], indirect=True)
def test_without_rtoml_tomli_answers(parsers: str) -> None:
    assert tomlread._fast() is None
    assert tomlread.loads("a = 1") == {"a": 1}


# Pieces that mutate valid TOML into its near misses: the places parsers disagree.
_PIECES = [
    *"[]{}=.\"'\\,#\n \t_-+:0123456789aeTZ",
    "\r\n",
    '"""',
    "'''",
    "\n=",
    "=\n",
    " # c\n",
    "1979-05-27",
    "\\u00e4",
    "inf",
    "{ b = 1 }",
    "\ufeff",
]
_SEEDS = [
    BUNDLED[:2500],
    'a = { b = 1, c = [1, { d = "e" }] }\n[[t.away]]\nfrom = 2026-01-01\nto = 2026-01-05\n'
    'x = """multi\nline"""\ny = 1e10\nz = 1979-05-27T07:32:00-08:00\n',
]


@st.composite
def _near_toml(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(_SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        piece = draw(st.sampled_from([*_PIECES, ""]))
        text = text[:at] + piece + text[at + cut :]
    return text


@settings(max_examples=300, deadline=None)
@given(_near_toml())
def test_near_miss_toml_gets_tomli_s_verdict(text: str) -> None:
    _agree(text)
