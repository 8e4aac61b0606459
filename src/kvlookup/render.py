"""The one place that turns a View into table, JSON, CSV, TSV or plain text on a stream."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TextIO
from urllib.parse import quote

from kvlookup.i18n import Lang, t


@dataclass(frozen=True, slots=True)
class Column:
    """A field of a View's records, with how the table shows it."""

    key: str  # stable machine name, the CSV/TSV header
    header: str  # i18n key of the table header
    in_table: bool = True
    optional: bool = False  # the table drops it when every record leaves it empty
    translate: str | None = None  # i18n prefix for values ("kind." -> "aihe")
    link: str | None = None  # "mailto" or "tel": a terminal hyperlink
    empty: str | None = None  # i18n key the table shows for an empty value


@dataclass(frozen=True)
class View:
    """What a command produced: flat records for tabular formats, a document for JSON."""

    columns: tuple[Column, ...]
    records: tuple[Mapping[str, str], ...]
    document: Mapping[str, object]
    header: bool = True  # tabular formats print a header row
    extra: Mapping[str, object] = field(default_factory=dict)


Renderer = Callable[[View, TextIO, Lang, "int | None"], None]

# Control characters, DEL and C1, and the bidi and zero-width controls that can reorder or
# hide text on a terminal: a registry value or a query must show them, never obey them.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(value: str) -> str:
    """value with every control character shown as an escape ("\\x1b", "\\u202e")."""
    return _UNSAFE.sub(_escape, value)


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def _tsv_cell(value: str) -> str:
    return printable(value.replace("\\", "\\\\"))


def _csv_cell(value: str) -> str:
    # Newlines are legal inside a quoted CSV field; every other control is escaped.
    return "\n".join(printable(part) for part in value.split("\n"))


def render_json(view: View, out: TextIO, lang: Lang, width: int | None) -> None:
    """Pretty JSON; characters a terminal would act on are \\u-escaped (still valid JSON)."""
    text = json.dumps(view.document, ensure_ascii=False, indent=2, default=str)
    out.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def render_csv(view: View, out: TextIO, lang: Lang, width: int | None) -> None:
    """RFC 4180 CSV with a header row."""
    writer = csv.writer(out, lineterminator="\r\n")
    if view.header:
        writer.writerow([c.key for c in view.columns])
    for record in view.records:
        writer.writerow([_csv_cell(record.get(c.key, "")) for c in view.columns])


def render_tsv(view: View, out: TextIO, lang: Lang, width: int | None) -> None:
    """Tab-separated values with a header row; tabs, newlines and backslashes escaped."""
    if view.header:
        out.write("\t".join(c.key for c in view.columns) + "\n")
    render_plain(view, out, lang, width)


def render_plain(view: View, out: TextIO, lang: Lang, width: int | None) -> None:
    """Tab-separated lines without a header, for pipes (what 'gh' prints when not on a tty)."""
    for record in view.records:
        out.write("\t".join(_tsv_cell(record.get(c.key, "")) for c in view.columns) + "\n")


def render_table(view: View, out: TextIO, lang: Lang, width: int | None) -> None:
    """A Rich table; values are plain Text, so markup and escapes in data are never obeyed."""
    # Imported here so that machine formats never pay for Rich.
    from rich.console import Console
    from rich.style import Style
    from rich.table import Table
    from rich.text import Text

    columns = [
        c
        for c in view.columns
        if c.in_table and not (c.optional and not any(r.get(c.key) for r in view.records))
    ]
    table = Table(show_header=view.header, header_style="bold", highlight=False)
    for column in columns:
        # Phone numbers and addresses are unreadable when wrapped mid-way.
        table.add_column(t(lang, column.header), overflow="fold", no_wrap=column.link is not None)
    for record in view.records:
        cells = []
        for column in columns:
            value = record.get(column.key, "")
            if column.translate and value:
                value = t(lang, column.translate + value)
            if column.empty and not value:
                cells.append(Text(t(lang, column.empty), style="dim"))
                continue
            style = None
            if column.link and value:
                target = quote(value.replace(" ", ""), safe="@.+-_")
                style = Style(link=f"{column.link}:{target}")
            cells.append(Text(printable(value), style=style or ""))
        table.add_row(*cells)
    Console(file=out, width=width, highlight=False, emoji=False, markup=False).print(table)


def render_diff(diff: str, out: TextIO) -> None:
    """A unified diff, one line at a time, with control characters shown as escapes."""
    # split("\n"), not splitlines(): U+2028 inside a value must be shown, not obeyed.
    for line in diff.removesuffix("\n").split("\n") if diff else ():
        out.write(printable(line) + "\n")


FORMATS: Mapping[str, Renderer] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
    "tsv": render_tsv,
    "plain": render_plain,
}


def choose(requested: str | None, isatty: bool) -> str:
    """The format to use: the one asked for, else a table on a terminal and plain in a pipe."""
    if requested:
        return requested
    return "table" if isatty else "plain"


def render(view: View, fmt: str, out: TextIO, lang: Lang, width: int | None = None) -> None:
    """Write view to out in fmt."""
    FORMATS[fmt](view, out, lang, width)
