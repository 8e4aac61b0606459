"""Show values as data: escapes that keep a terminal, a spreadsheet or Markdown from obeying
what a registry, a query or a file name holds."""

import re
from functools import cache

# Patterns stay strings until first use (_regex compiles and keeps them then): a JSON run
# needs only one of them, and compiling at import cost every run.
# Control characters, DEL and C1, and the bidi and zero-width controls that can reorder or
# hide text on a terminal: a registry value or a query must show them, never obey them.
# Each is a character str.isprintable() refuses (Unicode Cc, Cf, Zl, Zp): text that passes
# it needs neither pattern, whose character ranges cost 0.4-0.6 ms to compile.
_UNSAFE = r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
_JSON_UNSAFE = r"[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# A spreadsheet evaluates a cell starting with one of these as a formula (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = r"([\\`*_\[\]<>|!&~#])"
_TSV_ESCAPE = r"\\(\\|t|n|r|x[0-9a-f]{2}|u[0-9a-f]{4})"
_UNNAMED = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}


@cache
def _regex(pattern: str) -> "re.Pattern[str]":
    """pattern, compiled on first use and then kept (cheaper per call than re's own cache)."""
    return re.compile(pattern)


def printable(value: str) -> str:
    """value with every control character shown as an escape ("\\x1b", "\\u202e")."""
    if value.isprintable():
        return value
    return _regex(_UNSAFE).sub(_escape, value)


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def is_formula(value: str) -> bool:
    """True when a spreadsheet would evaluate value as a formula."""
    return value.startswith(_FORMULA_START)


def neutralise(raw_value: str, cell: str) -> str:
    """cell with a leading "'" when raw_value would start a spreadsheet formula."""
    return "'" + cell if is_formula(raw_value) else cell


def tsv_cell(value: str) -> str:
    """A TSV cell: backslashes doubled, controls escaped (unescape_tsv is its inverse)."""
    return printable(value.replace("\\", "\\\\"))


def unescape_tsv(cell: str) -> str:
    """A TSV cell's value: the inverse of tsv_cell ("\\t" -> tab, "\\\\" -> "\\")."""
    return _regex(_TSV_ESCAPE).sub(_unescape, cell)


def _unescape(m: re.Match[str]) -> str:
    code = m.group(1)
    return _UNNAMED.get(code) or chr(int(code[1:], 16))


def csv_cell(value: str) -> str:
    """A CSV cell: controls escaped, newlines kept (legal inside a quoted field)."""
    # Newlines are legal inside a quoted CSV field; every other control is escaped.
    return "\n".join(printable(part) for part in value.split("\n"))


def json_text(text: str) -> str:
    """JSON text with the characters a terminal would act on \\u-escaped (still valid JSON)."""
    # The newlines are JSON's own layout; inside strings, json has escaped them.
    if text.replace("\n", "").isprintable():
        return text
    return _regex(_JSON_UNSAFE).sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def markdown_cell(value: str) -> str:
    """A value as one Markdown table cell: literal, on one line."""
    # Backslash-escaping ASCII punctuation is always literal in CommonMark, so a value can
    # neither break out of its cell ("|") nor become a link, image, HTML or emphasis.
    flat = " ".join(value.splitlines())
    return _regex(_MARKDOWN_SPECIAL).sub(r"\\\1", printable(flat))


def undecoded_as_escapes(text: str) -> str:
    """text with the bytes of a file name or argument that were not UTF-8 shown as '\\xff'."""
    # Python keeps such bytes as lone surrogates ("\\udcff"), which no stream can encode.
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
