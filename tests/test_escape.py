"""Escaping that keeps a terminal from obeying data, tested directly."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kvlookup.output import escape


def _characters(pattern: str) -> list[str]:
    return [chr(c) for c in range(0x10000) if re.fullmatch(pattern, chr(c))]


@pytest.mark.parametrize("pattern", [escape._UNSAFE, escape._JSON_UNSAFE])
def test_every_escaped_character_fails_isprintable(pattern: str) -> None:
    """The quick path (text.isprintable()) never skips a character the pattern escapes."""
    assert [c for c in _characters(pattern) if c.isprintable()] == []


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Hannu Koponen", "Hannu Koponen"),
        ("kansainväliset asiat", "kansainväliset asiat"),
        ("\x1b[2J", "\\x1b[2J"),
        ("evil\u202e", "evil\\u202e"),
        ("line\nbreak\ttab", "line\\nbreak\\ttab"),
        ("no\xa0break", "no\xa0break"),  # not printable to Python, nothing a terminal obeys
    ],
)
def test_printable(raw: str, shown: str) -> None:
    assert escape.printable(raw) == shown


# Text with the escaped characters, ordinary letters, and other non-printable ones.
_TEXT = st.text(
    alphabet=st.sampled_from(
        [*_characters(escape._UNSAFE)[::3], "a", "ä", " ", "\n", "\xa0", "\u2065", "\ue000"]
    )
    | st.characters(),
    max_size=40,
)


@given(_TEXT)
def test_printable_is_the_pattern(value: str) -> None:
    assert escape.printable(value) == re.sub(escape._UNSAFE, escape._escape, value)


@given(_TEXT)
def test_json_text_is_the_pattern(value: str) -> None:
    expected = re.sub(escape._JSON_UNSAFE, lambda m: f"\\u{ord(m.group()):04x}", value)
    assert escape.json_text(value) == expected
