"""How a human-facing View fits a terminal: table column widths, or a stacked layout.

Pure functions over strings, so the choice can be tested without a terminal. A table is
used only when every column can be as wide as its longest word (its whole value for
phones and emails): then no word is broken and no column collapses to nothing. Otherwise
each record becomes a block of labelled lines, as `gh issue view` and `kubectl describe`
print them.
"""

# No `from __future__ import annotations`: typing.NamedTuple compiles each string
# annotation into a ForwardRef, at a cost to every run that prints a table.
from collections.abc import Sequence
from typing import NamedTuple

# A Rich table with a box: one border before each column, one after the last, and one
# space of padding on each side of every cell.
_PER_COLUMN = 3
_EDGE = 1
INDENT = "  "  # labelled lines under a block's heading
DEEP = "    "  # a value too long to sit beside its label goes below it


class Cell(NamedTuple):
    """One value as shown: its text, whether it must stay on one line, and its link."""

    text: str
    whole: bool = False  # a phone number or an address: never wrapped
    link: str | None = None
    dim: bool = False  # a placeholder such as "(no contact named)"


def cell_width(text: str) -> int:
    """Terminal cells text takes (wide East Asian characters take two)."""
    from rich.cells import cell_len

    return cell_len(text)


def _narrowest(cell: Cell) -> int:
    """The narrowest a cell can be without breaking a word (or a whole value)."""
    if cell.whole:
        return cell_width(cell.text)
    return max((cell_width(word) for word in cell.text.split()), default=0)


def table_widths(
    headers: Sequence[str], rows: Sequence[Sequence[Cell]], width: int
) -> list[int] | None:
    """Column widths that fit width without breaking a word, or None when none do."""
    count = len(headers)
    narrowest = [_narrowest(Cell(h)) for h in headers]
    widest = [cell_width(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            narrowest[i] = max(narrowest[i], _narrowest(cell))
            widest[i] = max(widest[i], cell_width(cell.text))
    room = width - _PER_COLUMN * count - _EDGE
    if sum(narrowest) > room:
        return None
    widths = list(narrowest)
    spare = room - sum(widths)
    # Spare room goes first to the columns that need least to fit on one line (a name
    # two cells short), so that as many values as possible are whole; the rest of it
    # widens the column that wants it most, so its text wraps into fewer lines.
    for i in sorted(range(count), key=lambda j: widest[j] - widths[j]):
        grow = min(spare, widest[i] - widths[i])
        widths[i] += grow
        spare -= grow
    return widths


def wrap(text: str, width: int) -> list[str]:
    """text in lines of at most width cells, broken only between words."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and cell_width(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    return lines


class Line(NamedTuple):
    """One output line of the stacked layout: a label part and a value part."""

    prefix: str  # indentation and label, padded
    value: Cell | None
    text: str = ""  # the value's text on this line (a wrapped part of value.text)
    heading: bool = False


def labelled(label_width: int, label: str, cell: Cell, width: int) -> list[Line]:
    """A value beside its label, or below it when a word of it would not fit beside."""
    prefix = INDENT + label.ljust(label_width) + "  "
    room = width - cell_width(prefix)
    if _narrowest(cell) <= room:
        parts = [cell.text] if cell.whole else wrap(cell.text, room)
        return [Line(prefix, cell, parts[0])] + [
            Line(" " * len(prefix), cell, part) for part in parts[1:]
        ]
    room = max(1, width - len(DEEP))
    parts = [cell.text] if cell.whole else wrap(cell.text, room)
    return [Line(INDENT + label, None)] + [Line(DEEP, cell, part) for part in parts]


def heading(text: str, width: int) -> list[Line]:
    """A block's heading, wrapped between words."""
    cell = Cell(text)
    return [Line("", cell, part, heading=True) for part in wrap(text, width)]
