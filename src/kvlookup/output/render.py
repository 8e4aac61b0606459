"""The one place that decides how a View is written: table, JSON, CSV, TSV, plain, Markdown,
vCard, mutt query lines or TOML. Adding a format means adding a Writer to FORMATS."""

import io
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TextIO

from kvlookup.errors import UsageError
from kvlookup.i18n import Lang, pick, t
from kvlookup.output.escape import (
    csv_cell,
    json_text,
    markdown_cell,
    neutralise,
    printable,
    tsv_cell,
)
from kvlookup.output.views import Card, Column, Items, RenderOptions, View

if TYPE_CHECKING:
    from kvlookup.output.layout import Cell, Line


Renderer = Callable[[View, TextIO, Lang, RenderOptions], None]
Needs = Literal["records", "cards", "tree"]


def _count_records(view: View) -> int:
    return len(view.records)


def _count_cards(view: View) -> int:
    return len(view.cards or ())


def _addressed(view: View) -> list[Card]:
    return [c for c in view.cards or () if c.person.email]


def _count_addressed(view: View) -> int:
    return len(_addressed(view))


def _count_tree(view: View) -> int:
    return sum(len(v) for v in (view.tree or {}).values() if isinstance(v, Mapping))


class Writer:
    """A format: its renderer, what it needs from a View and how many items it writes."""

    __slots__ = ("needs", "states_outcome", "tally", "write")  # as cli.Invocation: no NamedTuple

    def __init__(
        self,
        write: Renderer,
        needs: Needs = "records",
        tally: Callable[[View], int] = _count_records,
        states_outcome: bool = False,  # the output itself says when nothing matched (mutt)
    ) -> None:
        self.write = write
        self.needs = needs
        self.tally = tally
        self.states_outcome = states_outcome


def _spreadsheet_cells(
    view: View,
    record: Mapping[str, str],
    escape: Callable[[str], str],
    *,
    raw: bool,
    excel: bool = False,
) -> list[str]:
    """One CSV/TSV row: escaped cells, formula-guarded unless raw, phones as text for Excel."""
    cells = []
    for column in _data_columns(view):
        value = record.get(column.key, "")
        cell = escape(value)
        if not raw:
            cell = neutralise(value, cell)
        # Excel turns "+358405950009" into a number and "040 ..." loses its zero; a leading
        # "'" is Excel's own "this is text" marker and needs no formula.
        if excel and column.is_phone and cell and not cell.startswith("'"):
            cell = "'" + cell
        cells.append(cell)
    return cells


def _data_columns(view: View) -> list[Column]:
    """The columns machine formats write: all but the sentences written for people."""
    return [c for c in view.columns if not c.human]


def _wants_header(view: View, options: RenderOptions) -> bool:
    return view.header and options.header


def render_json(view: View, out: TextIO, lang: Lang, options: RenderOptions) -> None:
    """Pretty JSON; characters a terminal would act on are \\u-escaped (still valid JSON)."""
    write_json(view.document, lambda chunk: out.write(json_text(chunk)))
    out.write("\n")


def indented_json(document: object, indent: int = 2) -> str:
    """json.dumps(document, ensure_ascii=False, indent=indent, default=str), three times faster.

    A views.Items array is written as the list of its items.
    """
    parts: list[str] = []
    write_json(document, parts.append, indent)
    return "".join(parts)


# Strings held back before they are handed on as one chunk: a few kilobytes of JSON.
_CHUNK = 2048


def write_json(document: object, write: Callable[[str], object], indent: int = 2) -> None:
    """indented_json(document), handed to write in chunks as it is made.

    With an indent, json.dumps runs its pure-Python encoder, a generator per container:
    11 s of a 100k-entry export. Here each string is encoded by the C function json uses,
    lists of strings are joined whole, and dicts of scalars are written by json's C encoder. A views.Items array is made item by item while
    it is written, so an export never holds its whole document, nor all of its text (at
    100k entries the two took 1.1 GB).
    """
    from itertools import repeat
    from json.encoder import encode_basestring

    parts: list[str] = []
    add = parts.append
    scalar: dict[type, Callable[[Any], str]] = {
        str: encode_basestring,
        int: int.__repr__,
        bool: lambda value: "true" if value else "false",
        type(None): lambda value: "null",
    }

    scalar_types = frozenset(scalar)
    levels: dict[int, tuple[str, str, str, Callable[[object], str]]] = {}

    def flush() -> None:
        write("".join(parts))
        parts.clear()

    def at(level: int) -> tuple[str, str, str, Callable[[object], str]]:
        """A level's opening line break, item separator, closing line break and dict writer."""
        found = levels.get(level)
        if found is None:
            pad = " " * (indent * (level + 1))
            # The dict writer is json's C encoder with the level's line break and indent as
            # its item separator, so it writes a dict of scalars as indented lines itself.
            found = levels[level] = (
                "\n" + pad,
                ",\n" + pad,
                "\n" + " " * (indent * level),
                _flat_encoder(",\n" + pad),
            )
        return found

    def encode(value: object, level: int) -> None:
        write_scalar = scalar.get(type(value))
        if write_scalar is not None:
            add(write_scalar(value))
            return
        if isinstance(value, dict) and all(map(isinstance, value, repeat(str))):
            if not value:
                add("{}")
                return
            opening, inner, closing, flat = at(level)
            # Runs of scalar values go to the C writer whole, not key by key in Python: an
            # export's records and contacts are nothing else (a 100k export's records
            # were written in 0.53 s instead of 0.65 s).
            if scalar_types.issuperset(map(type, value.values())):
                add("{" + opening + flat(value)[1:-1] + closing + "}")
                return
            add("{")
            separator = opening
            run: dict[str, object] = {}
            for key, item in value.items():
                if type(item) in scalar_types:
                    run[key] = item
                    continue
                if run:
                    add(separator + flat(run)[1:-1])
                    run = {}
                    separator = inner
                add(separator + encode_basestring(key) + ": ")
                encode(item, level + 1)
                separator = inner
            if run:
                add(separator + flat(run)[1:-1])
            add(closing + "}")
        elif isinstance(value, list | tuple | Items):
            if not value:
                add("[]")
                return
            opening, inner, closing, _ = at(level)
            add("[" + opening)
            if isinstance(value, Items):
                for n, item in enumerate(value):
                    if n:
                        add(inner)
                    encode(item, level + 1)
                    if len(parts) >= _CHUNK:
                        flush()
            elif _STRING_TYPE.issuperset(map(type, value)):
                add(inner.join(map(encode_basestring, value)))
            else:
                for n, item in enumerate(value):
                    if n:
                        add(inner)
                    encode(item, level + 1)
            add(closing + "]")
        else:
            # Floats, non-string keys and anything default=str turns into a string: rare,
            # and json.dumps writes them exactly (at the right depth, as a lone value).
            text = json.dumps(value, ensure_ascii=False, indent=indent, default=str)
            add(text.replace("\n", "\n" + " " * (indent * level)))

    encode(document, 0)
    flush()


_STRING_TYPE = frozenset({str})


def _flat_encoder(separator: str) -> Callable[[object], str]:
    """json.dumps(value, ensure_ascii=False) with separator between items, for scalars' dicts."""
    from json import encoder

    # Not in json's documented API, nor in its type stubs: the accelerator json.dumps uses.
    c_make_encoder: Any = getattr(encoder, "c_make_encoder", None)
    if c_make_encoder is None:  # no C accelerator (PyPy): json's own, made per call
        return json.JSONEncoder(ensure_ascii=False, separators=(separator, ": ")).encode
    # Made once: json.JSONEncoder.encode makes a new C encoder at every call, which is
    # most of the cost of encoding a small dict.
    make = c_make_encoder(
        None, str, encoder.encode_basestring, None, ": ", separator, False, False, True
    )
    return lambda value: "".join(make(value, 0))


def render_csv(view: View, out: TextIO, lang: Lang, options: RenderOptions) -> None:
    """RFC 4180 CSV with a header row; spreadsheet-safe unless options.raw."""
    if options.excel:
        # Excel reads a file as UTF-8 only with a BOM, and Finnish Excel splits on ';'.
        # (A "sep=;" line would make Excel ignore the BOM, so there is none.)
        out.write("\ufeff")
    import csv  # imported where used: JSON output, the common scripted case, skips it

    writer = csv.writer(out, delimiter=";" if options.excel else ",", lineterminator="\r\n")
    if _wants_header(view, options):
        writer.writerow([c.key for c in _data_columns(view)])
    for record in view.records:
        writer.writerow(
            _spreadsheet_cells(view, record, csv_cell, raw=options.raw, excel=options.excel)
        )


def render_tsv(view: View, out: TextIO, lang: Lang, options: RenderOptions) -> None:
    """Tab-separated values with a header row, escaped and spreadsheet-safe like CSV."""
    if _wants_header(view, options):
        out.write("\t".join(c.key for c in _data_columns(view)) + "\n")
    for record in view.records:
        out.write("\t".join(_spreadsheet_cells(view, record, tsv_cell, raw=options.raw)) + "\n")


def render_plain(view: View, out: TextIO, lang: Lang, options: RenderOptions) -> None:
    """Tab-separated lines without a header, for pipes (what 'gh' prints when not on a tty)."""
    for record in view.records:
        out.write("\t".join(tsv_cell(record.get(c.key, "")) for c in _data_columns(view)) + "\n")


def _shown_columns(view: View) -> list[Column]:
    """The columns a human-facing table shows: table columns, minus optional empty ones."""
    return [
        c
        for c in view.columns
        if c.in_table and not (c.optional and not any(r.get(c.key) for r in view.records))
    ]


def _shown_value(column: Column, record: Mapping[str, str], lang: Lang) -> tuple[str, bool]:
    """The text a table shows for one cell, and whether it is a placeholder."""
    value = record.get(column.key, "")
    if column.translate and value:
        value = t(lang, column.translate + value)
    if column.empty and not value:
        return t(lang, column.empty), True
    return value, False


def _link(column: Column | None, value: str) -> str | None:
    """The terminal hyperlink of a cell: 'mailto:' an address, 'tel:' a number, or None."""
    if column is None or not (column.link and value):
        return None
    if column.is_phone:
        from kvlookup.contactinfo import tel_uri

        return tel_uri(value)
    from urllib.parse import quote

    return f"{column.link}:{quote(value, safe='@.+-_')}"


def _cell(column: Column, record: Mapping[str, str], lang: Lang) -> "Cell":
    """What a terminal shows for one field of a record."""
    from kvlookup.output.layout import Cell

    value, placeholder = _shown_value(column, record, lang)
    if placeholder:
        return Cell(value, dim=True)
    return Cell(printable(value), whole=column.link is not None, link=_link(column, value))


# The field a labelled (show) record names: phones and addresses link and stay whole.
_FIELD_LINKS = {"phone": "tel", "email": "mailto"}
_FIELD_TRANSLATE = {"kind": "kind."}


def render_table(view: View, out: TextIO, lang: Lang, options: RenderOptions) -> None:
    """A Rich table when it fits the width unbroken, else labelled blocks; nothing when empty.

    Values are plain Text, so markup and escapes in data are never obeyed.
    """
    # Imported here so that machine formats never pay for Rich.
    from rich.console import Console

    from kvlookup.output import layout

    console = Console(file=out, width=options.width, highlight=False, emoji=False, markup=False)
    if view.about is not None:
        _print_lines(console, _labelled_lines(view.about, lang, console.width))
        if view.records:
            console.print()
    if not view.records:
        return  # the command says so on stderr; an empty frame says nothing
    columns = _shown_columns(view)
    if view.labelled:
        _print_lines(console, _labelled_lines(view, lang, console.width))
        return
    headers = [t(lang, c.header) for c in columns]
    rows = [[_cell(c, r, lang) for c in columns] for r in view.records]
    widths = layout.table_widths(headers, rows, console.width)
    if widths is None:
        _print_lines(console, _stacked_lines(columns, headers, rows, console.width))
    else:
        _print_table(console, view, headers, rows, widths)


def _print_table(
    console: Any, view: View, headers: list[str], rows: "list[list[Cell]]", widths: list[int]
) -> None:
    from rich.style import Style
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=view.header, header_style="bold", highlight=False)
    for header, width in zip(headers, widths, strict=True):
        # Every width holds the longest word, so wrapping happens between words only.
        table.add_column(header, width=width, overflow="fold")
    for row in rows:
        table.add_row(
            *(
                Text(c.text, style="dim" if c.dim else Style(link=c.link) if c.link else "")
                for c in row
            )
        )
    console.print(table)


def _stacked_lines(
    columns: list[Column], headers: list[str], rows: "list[list[Cell]]", width: int
) -> "list[Line]":
    """One block per match: its heading, then a labelled line per field."""
    from kvlookup.output import layout

    grouped = [i for i, c in enumerate(columns) if c.group] or [0]
    label_width = max(
        (layout.cell_width(h) for i, h in enumerate(headers) if i != grouped[0]), default=0
    )
    lines: list[layout.Line] = []
    previous: tuple[str, ...] | None = None
    for row in rows:
        key = tuple(row[i].text for i in grouped)
        fields = [i for i in range(len(columns)) if i != grouped[0]]
        if key != previous:
            if previous is not None:
                lines.append(layout.Line("", None))
            lines.extend(layout.heading(row[grouped[0]].text, width))
        else:
            fields = [i for i in fields if i not in grouped]
        previous = key
        for i in fields:
            if row[i].text:
                lines.extend(layout.labelled(label_width, headers[i], row[i], width))
    return lines


def _labelled_lines(view: View, lang: Lang, width: int) -> "list[Line]":
    """A field/value View as labelled lines, the first (the item's name) as the heading."""
    from kvlookup.output import layout

    label_column, value_column = view.columns[0], view.columns[1]
    pairs = [
        (
            _shown_value(label_column, record, lang)[0],
            _cell(
                value_column._replace(
                    link=_FIELD_LINKS.get(record[label_column.key]),
                    translate=_FIELD_TRANSLATE.get(record[label_column.key]),
                ),
                record,
                lang,
            ),
        )
        for record in view.records
    ]
    lines: list[layout.Line] = []
    # The item's name heads the block, as in the stacked layout of the other views.
    names = [i for i, r in enumerate(view.records) if r[label_column.key] == "name"]
    if names:
        lines.extend(layout.heading(pairs.pop(names[0])[1].text, width))
    label_width = max((layout.cell_width(label) for label, _ in pairs), default=0)
    previous = ""
    for label, cell in pairs:
        # A field with several values (aliases) names itself once, on the first.
        lines.extend(layout.labelled(label_width, "" if label == previous else label, cell, width))
        previous = label
    return lines


def _print_lines(console: Any, lines: "list[Line]") -> None:
    from rich.style import Style
    from rich.text import Text

    for line in lines:
        text = Text(line.prefix, style="bold" if line.prefix.strip() else "")
        if line.value is not None:
            cell = line.value
            style = "bold" if line.heading else "dim" if cell.dim else ""
            text.append(line.text, style=Style(link=cell.link) if cell.link else style)
        # The lines are laid out already: Rich must neither re-wrap nor crop them.
        console.print(text, no_wrap=True, overflow="ignore", crop=False)


def render_diff(diff: str, out: TextIO) -> None:
    """A unified diff, one line at a time, with control characters shown as escapes."""
    # split("\n"), not splitlines(): U+2028 inside a value must be shown, not obeyed.
    for line in diff.removesuffix("\n").split("\n") if diff else ():
        out.write(printable(line) + "\n")


def render_markdown(view: View, out: TextIO, lang: Lang, options: RenderOptions) -> None:
    """A Markdown (GFM) table with localised headers, to paste into a wiki or intranet page."""
    columns = _shown_columns(view)
    out.write("| " + " | ".join(markdown_cell(t(lang, c.header)) for c in columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for record in view.records:
        cells = (markdown_cell(_shown_value(c, record, lang)[0]) for c in columns)
        out.write("| " + " | ".join(cells) + " |\n")


def _mutt_field(value: str) -> str:
    # One address per line, fields split by tabs: neither may appear inside a value.
    return printable(" ".join(value.split()))


def render_mutt(view: View, out: TextIO, lang: Lang, options: RenderOptions) -> None:
    """mutt's query_command protocol: a message line, then email<TAB>name<TAB>other lines."""
    cards = _addressed(view)
    if options.header:
        key = "mutt.matches" if cards else "mutt.none"
        out.write(t(lang, key, count=len(cards)) + "\n")
    for card in cards:
        title = pick(lang, card.person.title, card.person.title_en)
        fields = (card.person.email, card.person.name, title)
        out.write("\t".join(_mutt_field(f) for f in fields) + "\n")


def render_vcard(view: View, out: TextIO, lang: Lang, options: RenderOptions) -> None:
    """One vCard per person (3.0 by default, 4.0 on request), CRLF, folded at 75 octets."""
    from kvlookup.output import vcard

    out.write(vcard.cards(view.cards or (), view.organisation, options.vcard_version, lang))


def render_toml(view: View, out: TextIO, lang: Lang, options: RenderOptions) -> None:
    """The exported sub-registry in the registry's own schema, written by tomli-w."""
    import tomli_w  # only TOML exports pay for it

    out.write(t(lang, "toml.header") + "\n\n")
    out.write(tomli_w.dumps(dict(view.tree or {})))


FORMATS: Mapping[str, Writer] = {
    "table": Writer(render_table),
    "json": Writer(render_json),
    "csv": Writer(render_csv),
    "tsv": Writer(render_tsv),
    "plain": Writer(render_plain),
    "markdown": Writer(render_markdown),
    "vcard": Writer(render_vcard, needs="cards", tally=_count_cards),
    "mutt": Writer(render_mutt, needs="cards", tally=_count_addressed, states_outcome=True),
    "toml": Writer(render_toml, needs="tree", tally=_count_tree),
}


def choose(requested: str | None, isatty: bool) -> str:
    """The format to use: the one asked for, else a table on a terminal and plain in a pipe."""
    if requested:
        return requested
    return "table" if isatty else "plain"


def _has(view: View, needs: Needs) -> bool:
    if needs == "cards":
        return view.card_source is not None
    if needs == "tree":
        return view.tree is not None
    return True


def check(view: View, fmt: str) -> None:
    """UsageError when view lacks what fmt needs (a vCard of a view without people)."""
    if not _has(view, FORMATS[fmt].needs):
        suitable = ", ".join(name for name, w in FORMATS.items() if _has(view, w.needs))
        raise UsageError("usage.format", fmt=fmt, formats=suitable)


def is_empty(view: View, fmt: str) -> bool:
    """True when fmt writes nothing for view: no records, no people with an address, no items."""
    return FORMATS[fmt].tally(view) == 0


def states_outcome(fmt: str) -> bool:
    """True when fmt's own output says that nothing matched (no stderr message needed)."""
    return FORMATS[fmt].states_outcome


def render(
    view: View, fmt: str, out: TextIO, lang: Lang, options: RenderOptions | None = None
) -> None:
    """Write view to out in fmt."""
    check(view, fmt)
    FORMATS[fmt].write(view, out, lang, options or RenderOptions())


def to_bytes(view: View, fmt: str, lang: Lang, options: RenderOptions | None = None) -> bytes:
    """view in fmt as UTF-8 bytes, line endings exactly as the format wants them."""
    # Encoded as it is written: text kept whole and then encoded is held twice, as text
    # and as bytes (134 MB each for a 100k-entry JSON export).
    buffer = io.BytesIO()
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    render(view, fmt, out, lang, options)
    out.flush()
    out.detach()  # the bytes stay readable: closing the wrapper would close them too
    return buffer.getvalue()
