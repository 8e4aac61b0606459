"""Edit TOML text in place: find tables, keys and array items by position, rewrite only those.

A hand-edited file keeps its comments, key order, quoting, blank lines and line endings:
every edit is a splice of the few characters it changes, new values are written by
tomli-w, and each edit is verified by re-parsing the text with tomli and comparing it
with the data the edit was meant to produce. (tomlkit was tried first: it puts a new key or
table after the comments that introduce the next section, drops that comment when it
deletes the table before it, and reformats neighbouring inline tables when appending one.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import tomli_w

from kvlookup.sources import tomlread

TablePath = tuple[str, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}#\n]+")
_AFTER_ITEM = re.compile(r"[ \t]*,?[ \t]*(#.*)?")
LINE_WIDTH = 100  # a new array longer than this is written one item per line


class LayoutError(ValueError):
    """The text is laid out in a way in-place editing does not handle; nothing was changed."""


@dataclass(frozen=True, slots=True)
class Value:
    """Where a value sits in the text; for an array, where each item and its comma sit."""

    start: int
    end: int
    items: tuple[tuple[int, int], ...] = ()
    commas: tuple[int | None, ...] = ()
    is_array: bool = False


@dataclass(frozen=True, slots=True)
class Statement:
    """A table header (value is None) or a key = value line, from its line start to its end."""

    keys: tuple[str, ...]
    key_spans: tuple[tuple[int, int], ...]
    start: int
    end: int  # just after the newline that ends the statement (or the end of the text)
    value: Value | None


@dataclass(frozen=True, slots=True)
class Table:
    """A table: its header (None for the root) and its key = value statements."""

    path: TablePath
    header: Statement | None
    body: tuple[Statement, ...]

    @property
    def end(self) -> int:
        """Just after the table's last statement: where a new key or a following table goes."""
        last = self.body[-1] if self.body else self.header
        return last.end if last else 0

    def key(self, name: str) -> Statement | None:
        """The statement setting key name directly in this table."""
        return next((s for s in self.body if s.keys == (name,)), None)


def scan(text: str) -> list[Statement]:
    """Every header and key = value statement of valid TOML text, with positions."""
    try:
        return _Scanner(text).statements()
    except (IndexError, ValueError, tomlread.TOMLDecodeError) as exc:
        raise LayoutError(str(exc)) from None


def tables(text: str) -> list[Table]:
    """The tables of TOML text in file order, the root table first."""
    found: list[tuple[TablePath, Statement | None, list[Statement]]] = [((), None, [])]
    for statement in scan(text):
        if statement.value is None:
            found.append((statement.keys, statement, []))
        else:
            found[-1][2].append(statement)
    return [Table(path, header, tuple(body)) for path, header, body in found]


class _Scanner:
    """Walks valid TOML just far enough to know where statements, values and items are."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.n = len(text)

    def statements(self) -> list[Statement]:
        s, out, i = self.s, [], 0
        while i < self.n:
            start = i
            i = self._blank(i)
            if i >= self.n:
                break
            if s[i] == "\n":
                i += 1
            elif s[i] == "#":
                i = self._next_line(i)
            elif s[i] == "[":
                brackets = 2 if s.startswith("[[", i) else 1
                keys, spans, i = self._keys(i + brackets)
                if not s.startswith("]" * brackets, i):
                    raise LayoutError(f"table header at {i}")
                i = self._end_of_line(i + brackets)
                out.append(Statement(keys, spans, start, i, None))
            else:
                keys, spans, i = self._keys(i)
                if s[i] != "=":
                    raise LayoutError(f"no '=' at {i}")
                value, i = self._value(self._blank(i + 1))
                i = self._end_of_line(i)
                out.append(Statement(keys, spans, start, i, value))
        return out

    def _blank(self, i: int) -> int:
        while i < self.n and self.s[i] in " \t":
            i += 1
        return i

    def _gap(self, i: int) -> int:
        # Whitespace, newlines and comments, as allowed between array items.
        while True:
            if self.s[i] in " \t\r\n":
                i += 1
            elif self.s[i] == "#":
                i = self._next_line(i)
            else:
                return i

    def _next_line(self, i: int) -> int:
        j = self.s.find("\n", i)
        return self.n if j < 0 else j + 1

    def _end_of_line(self, i: int) -> int:
        i = self._blank(i)
        if i >= self.n:
            return i
        if self.s[i] in "#\r\n":
            return self._next_line(i)
        raise LayoutError(f"unexpected {self.s[i]!r} at {i}")

    def _keys(self, i: int) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...], int]:
        keys: list[str] = []
        spans: list[tuple[int, int]] = []
        while True:
            i = self._blank(i)
            if self.s[i] == '"':
                j = self._basic_end(i)
                key = tomlread.loads(f"k = {self.s[i:j]}")["k"]
            elif self.s[i] == "'":
                j = self.s.index("'", i + 1) + 1
                key = self.s[i + 1 : j - 1]
            else:
                m = _BARE_KEY.match(self.s, i)
                if not m:
                    raise LayoutError(f"no key at {i}")
                j, key = m.end(), m.group()
            keys.append(key)
            spans.append((i, j))
            i = self._blank(j)
            if self.s[i] != ".":
                return tuple(keys), tuple(spans), i
            i += 1

    def _value(self, i: int) -> tuple[Value, int]:
        s = self.s
        if s[i] == "[":
            return self._array(i)
        if s[i] == "{":
            end = self._inline_table_end(i)
        elif s.startswith('"""', i) or s.startswith("'''", i):
            end = self._multiline_end(i)
        elif s[i] == '"':
            end = self._basic_end(i)
        elif s[i] == "'":
            end = s.index("'", i + 1) + 1
        else:
            m = _SCALAR.match(s, i)
            if not m or not m.group().strip():
                raise LayoutError(f"no value at {i}")
            end = i + len(m.group().rstrip())
        return Value(i, end), end

    def _array(self, i: int) -> tuple[Value, int]:
        items: list[tuple[int, int]] = []
        commas: list[int | None] = []
        j = i + 1
        while True:
            j = self._gap(j)
            if self.s[j] == "]":
                return Value(i, j + 1, tuple(items), tuple(commas), is_array=True), j + 1
            item, j = self._value(j)
            items.append((item.start, item.end))
            j = self._gap(j)
            if self.s[j] == ",":
                commas.append(j)
                j += 1
            else:
                commas.append(None)

    def _basic_end(self, i: int) -> int:
        j = i + 1
        while self.s[j] != '"':
            j += 2 if self.s[j] == "\\" else 1
        return j + 1

    def _multiline_end(self, i: int) -> int:
        quote = self.s[i] * 3
        j = i + 3
        while True:
            if quote[0] == '"' and self.s[j] == "\\":
                j += 2
            elif self.s.startswith(quote, j):
                # Up to two more quotes belong to the string: """a""""" ends with 'a""'.
                k = j + 3
                while k < j + 5 and k < self.n and self.s[k] == quote[0]:
                    k += 1
                return k
            else:
                j += 1

    def _inline_table_end(self, i: int) -> int:
        depth, j = 0, i
        while True:
            c = self.s[j]
            if self.s.startswith('"""', j) or self.s.startswith("'''", j):
                j = self._multiline_end(j)
            elif c == '"':
                j = self._basic_end(j)
            elif c == "'":
                j = self.s.index("'", j + 1) + 1
            else:
                depth += (c in "[{") - (c in "]}")
                j += 1
                if depth == 0:
                    return j


def key_text(key: str) -> str:
    """A key as written in TOML: bare when it can be, else quoted."""
    if _BARE_KEY.fullmatch(key):
        return key
    return tomli_w.dumps({key: 0})[: -len(" = 0\n")]


def render(value: Any) -> str:
    """A value as TOML on one line; inline tables are written '{ a = 1 }'."""
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{key_text(k)} = {render(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(render(v) for v in value) + "]"
    return tomli_w.dumps({"v": value})[len("v = ") :].rstrip("\n")


def render_key_value(key: str, value: Any) -> str:
    """'key = value' lines for a new key; a long array gets one item per line."""
    line = f"{key_text(key)} = {render(value)}"
    if isinstance(value, list | tuple) and value and len(line) > LINE_WIDTH:
        items = "".join(f"    {render(v)},\n" for v in value)
        return f"{key_text(key)} = [\n{items}]"
    return line


# A line that is a table header and nothing else: "[people.x]", "[ a . 'b' ]  # note",
# "[[a.b]]". Keys with escapes are left to the full scanner (such a file is edited whole).
_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"\\\n]*"|'[^'\n]*')"""
_HEADER = rf"^[ \t]*(\[\[?)[ \t]*({_KEY}(?:[ \t]*\.[ \t]*{_KEY})*)[ \t]*(\]\]?)[ \t]*(?:#[^\n]*)?$"
_BRACKET_LINE = r"^[ \t]*\["


class _Cell:
    """A stretch of the text from one table header to the next (the root: up to the first)."""

    # Linked, not listed: finding a cell's place in a list of 100,000 to insert after it
    # cost as much as the rest of an import.
    __slots__ = ("next", "outside", "path", "prev", "text")

    def __init__(self, text: str, path: TablePath | None) -> None:
        self.text = text
        self.path = path  # None: not addressable (an array of tables, or the whole text)
        self.prev: _Cell | None = None
        self.next: _Cell | None = None
        # Keys of the table's data that other cells define ([people.x.away] sub-tables);
        # None until the cell is first checked.
        self.outside: frozenset[str] | None = None


def _split(text: str) -> list[_Cell] | None:
    """The text cut before every table header; None when a header cannot be told by its line.

    Every edit then scans, splices and re-parses its own table's cell only, so an edit
    costs the same in a 100-entry registry as in a 100,000-entry one (scanning the whole
    text per edit made 'set' take 43 s and 'import' quadratic).
    """
    header = re.compile(_HEADER, re.M)
    found = list(header.finditer(text))
    if len(found) != len(re.findall(_BRACKET_LINE, text, re.M)):
        return None  # a line starting "[" that is not a plain header: edit the text whole
    cells = [_Cell(text[: found[0].start()] if found else text, ())]
    for i, m in enumerate(found):
        stop = found[i + 1].start() if i + 1 < len(found) else len(text)
        double = m.group(1) == "[["
        if double != (m.group(3) == "]]"):
            return None
        dotted = m.group(2)
        if '"' in dotted or "'" in dotted:
            keys = tuple(k[1:-1] if k[0] in "\"'" else k for k in re.findall(_KEY, dotted))
        else:
            keys = tuple(k.strip() for k in dotted.split("."))
        cells.append(_Cell(text[m.start() : stop], None if double else keys))
    return cells


class TomlText:
    """TOML text under in-place edits, with the data it must parse to kept alongside.

    The text is held as cells, one per table (see _split). A header-like line inside a
    multi-line string cuts a cell wrongly; scanning such a cell fails, and the text is then
    edited whole, as one cell, the way every layout was edited before.
    """

    def __init__(self, text: str, data: dict[str, Any] | None = None) -> None:
        """text, and its data when the caller has parsed it already (tomlread.loads(text))."""
        self.original = text
        # Edits work on LF text; result() puts back CRLF (or whatever each line had).
        lf = text.replace("\r\n", "\n")
        if data is None:
            try:
                data = tomlread.loads(lf)
            except tomlread.TOMLDecodeError as exc:
                raise LayoutError(str(exc)) from None
        self.data: dict[str, Any] = data
        self._head = self._tail = _Cell(lf, None)
        self._by_path: dict[TablePath, _Cell] | None = None
        # The last table of each (parent, depth): where add_table puts a new sibling.
        self._kin: dict[tuple[TablePath, int], _Cell] = {}
        cells = _split(lf)
        if cells is not None:
            by_path = {c.path: c for c in cells if c.path}
            if len(by_path) == sum(1 for c in cells if c.path):  # no table defined twice
                self._by_path = by_path
                for before, after in pairwise(cells):
                    before.next, after.prev = after, before
                self._head, self._tail = cells[0], cells[-1]
                for cell in cells:
                    if cell.path:
                        self._kin[cell.path[:-1], len(cell.path)] = cell
        self._joined: str | None = lf
        # Header paths of the tables edited since the caller last cleared it.
        self.touched: set[TablePath] = set()

    @property
    def text(self) -> str:
        """The text as edited so far (LF line endings)."""
        if self._joined is None:
            self._joined = "".join(c.text for c in self._each())
        return self._joined

    def result(self) -> str:
        """The edited text, with the original's line endings on every line not edited."""
        return restore_newlines(self.original, self.text)

    def find(self, path: TablePath) -> Table | None:
        """The table with this header path, if the text has one."""
        located = self._locate(path)
        return located[1] if located else None

    def add_table(self, path: TablePath, values: Mapping[str, Any]) -> None:
        """Add [path] after the last table of its kind ([people.x] after the last person)."""
        self.touched.add(path)
        lines = [f"[{'.'.join(key_text(k) for k in path)}]"]
        lines += [render_key_value(k, v) for k, v in values.items()]
        body = "\n".join(lines) + "\n"
        parent = self._node(path[:-1], create=True)
        if path[-1] in parent:
            raise LayoutError(f"[{'.'.join(path)}] is defined already")
        if self._by_path is not None and path[:-1] and parent and not self._has_kin(path):
            self._collapse()  # the parent is written inline or with dotted keys
        kin = self._kin_of(path)
        if kin is not None:
            # Right after the last sibling's last key, so that the comments and blank lines
            # that introduce the next section stay in front of that section.
            cell, table = kin
            pos = table.end
            gap = "\n" if cell.text[pos - 1 : pos] == "\n" else "\n\n"
            if self._by_path is None:
                self._splice(cell, pos, pos, gap + body)
                new = cell
            else:
                new = _Cell(gap + body + cell.text[pos:], path)
                cell.text = cell.text[:pos]
                self._link_after(cell, new)
        else:
            last = self._tail
            if last.text and not last.text.endswith("\n"):
                last.text += "\n"
            if self.text.strip() and not self.text.endswith("\n\n"):
                last.text += "\n"
            new = _Cell(body, path) if self._by_path is not None else last
            if new is last:
                last.text += body
            else:
                self._link_after(last, new)
        self._joined = None
        if self._by_path is not None:
            self._by_path[path] = new
            self._kin[path[:-1], len(path)] = new
            new.outside = frozenset()
        parent[path[-1]] = {k: _plain(v) for k, v in values.items()}
        self._verify(new)

    def remove_table(self, path: TablePath) -> None:
        """Delete a table with the comment lines directly above its header."""
        self.touched.add(path)
        cell, table = self._table(path)
        assert table.header is not None
        if self._by_path is not None and cell.outside:
            raise LayoutError(f"[{'.'.join(path)}] has tables of its own elsewhere")
        if self._by_path is None:
            start = self._with_comments_above(cell, table.header.start)
            cell.text = self._cut(cell.text[:start], cell.text[table.end :], first=True, last=True)
        else:
            prev = cell.prev
            assert prev is not None  # the root cell always comes first
            if prev.path is None or not self._consistent(prev):
                self._collapse()  # an array of tables, or a wrongly cut cell, above it
                self.remove_table(path)
                return
            start = self._with_comments_above(prev, len(prev.text))
            first = prev is self._head and not prev.text[:start].strip()
            last = cell.next is None
            prev.text = self._cut(prev.text[:start], cell.text[table.end :], first=first, last=last)
            self._unlink(cell)
            del self._by_path[path]
            if self._kin.get((path[:-1], len(path))) is cell:
                self._forget_kin(path, prev)
            cell = prev
        self._joined = None
        parent = self._node(path[:-1])
        del parent[path[-1]]
        if not parent and path[:-1] and self.find(path[:-1]) is None:
            # [topics.t] alone made "topics" exist; without it, there is no topics table.
            del self._node(path[:-2])[path[-2]]
        self._verify(cell)

    def rename_table(self, path: TablePath, new_key: str) -> None:
        """Change the last key of a table's header: [people.old] -> [people.new]."""
        self.touched.update((path, (*path[:-1], new_key)))
        cell, table = self._table(path)
        assert table.header is not None
        parent = self._node(path[:-1])
        if new_key in parent:
            raise LayoutError(f"{new_key} is defined already")
        if self._by_path is not None and cell.outside:
            raise LayoutError(f"[{'.'.join(path)}] has tables of its own elsewhere")
        start, end = table.header.key_spans[-1]
        self._splice(cell, start, end, key_text(new_key))
        parent[new_key] = parent.pop(path[-1])
        if self._by_path is not None:
            del self._by_path[path]
            cell.path = (*path[:-1], new_key)
            self._by_path[cell.path] = cell
        self._verify(cell)

    def set(self, path: TablePath, key: str, value: Any) -> None:
        """Set, replace or (value None) delete a key, touching only its own lines."""
        self.touched.add(path)
        cell, table = self._table(path)
        statement = table.key(key)
        node = self._node(path)
        if value is None:
            if statement is not None:
                self._splice(cell, statement.start, statement.end, "")
            elif key in node:
                raise LayoutError(f"{key} is not set on its own line")
            node.pop(key, None)
        elif statement is not None and statement.value is not None:
            self._splice(cell, statement.value.start, statement.value.end, render(value))
            node[key] = _plain(value)
        elif key in node:
            raise LayoutError(f"{key} is not set on its own line")
        else:
            self._insert_line(cell, table, render_key_value(key, value))
            node[key] = _plain(value)
        self._verify(cell)

    def set_list(self, path: TablePath, key: str, values: Sequence[Any]) -> None:
        """Make an array hold values, in order, by removing and inserting single items."""
        self.touched.add(path)
        wanted = [_plain(v) for v in values]
        table = self._table(path)[1]
        statement = table.key(key)
        if statement is None or statement.value is None or not statement.value.is_array:
            self.set(path, key, wanted)
            return
        current = list(self._node(path)[key])
        for i in reversed(range(len(current))):
            if current[i] not in wanted or current.index(current[i]) < i:
                self._remove_item(path, key, i)
                del current[i]
        for pos, value in enumerate(wanted):
            if pos < len(current) and current[pos] == value:
                continue
            if value in current:
                self._remove_item(path, key, current.index(value))
                current.remove(value)
            self._insert_item(path, key, pos, render(value))
            current.insert(pos, value)
        self._node(path)[key] = wanted
        self._verify(self._table(path)[0])

    def append(self, path: TablePath, key: str, value: Any) -> None:
        """Add one item at the end of an array (creating the key when missing)."""
        self.touched.add(path)
        node = self._node(path)
        if key not in node:
            self.set(path, key, [value])
            return
        self._insert_item(path, key, len(node[key]), render(value))
        node[key] = [*node[key], _plain(value)]
        self._verify(self._table(path)[0])

    # --- cells -----------------------------------------------------------------------

    def _locate(self, path: TablePath) -> tuple[_Cell, Table] | None:
        """The cell holding the table with this header path, and the table (cell positions)."""
        if self._by_path is None:
            whole = self._head
            table = next((t for t in tables(whole.text) if t.path == path), None)
            return (whole, table) if table else None
        cell = self._by_path.get(path)
        if cell is None:
            return None
        try:
            found = [t for t in tables(cell.text) if t.header is not None]
        except LayoutError:
            found = []
        if len(found) != 1 or found[0].path != path or not self._consistent(cell):
            # A header-like line inside a string cut the text wrongly: edit it whole.
            self._collapse()
            return self._locate(path)
        return cell, found[0]

    def _consistent(self, cell: _Cell) -> bool:
        """True when the cell, parsed alone, is part of the data; notes what it leaves out."""
        if cell.outside is not None:
            return True
        assert cell.path is not None
        try:
            alone = tomlread.loads(cell.text)
            local = _dig(alone, cell.path)
            node = _dig(self.data, cell.path)
        except (tomlread.TOMLDecodeError, KeyError, TypeError):
            return False
        if any(k not in node or node[k] != v for k, v in local.items()):
            return False
        cell.outside = frozenset(node.keys() - local.keys())
        return True

    def _collapse(self) -> None:
        """Edit the text as one cell from now on."""
        self._head = self._tail = _Cell(self.text, None)
        self._by_path = None
        self._kin = {}

    def _has_kin(self, path: TablePath) -> bool:
        return (path[:-1], len(path)) in self._kin

    def _kin_of(self, path: TablePath) -> tuple[_Cell, Table] | None:
        """The last table with the same parent and depth as path, if any."""
        if self._by_path is None:
            cell = self._head
            kin = [
                t
                for t in tables(cell.text)
                if len(t.path) == len(path) and t.path[:-1] == path[:-1]
            ]
            return (cell, kin[-1]) if kin else None
        cell_kin = self._kin.get((path[:-1], len(path)))
        if cell_kin is None or cell_kin.path is None:
            return None
        located = self._locate(cell_kin.path)
        if self._by_path is None:
            return self._kin_of(path)  # collapsed while locating
        return located

    def _forget_kin(self, path: TablePath, before: _Cell) -> None:
        """After removing the last table of its kind: the one before becomes the last."""
        key = (path[:-1], len(path))
        cell: _Cell | None = before
        while cell is not None:
            if cell.path is not None and (cell.path[:-1], len(cell.path)) == key:
                self._kin[key] = cell
                return
            cell = cell.prev
        del self._kin[key]

    def _each(self) -> Iterator[_Cell]:
        cell: _Cell | None = self._head
        while cell is not None:
            yield cell
            cell = cell.next

    def _link_after(self, cell: _Cell, new: _Cell) -> None:
        new.prev, new.next = cell, cell.next
        if cell.next is None:
            self._tail = new
        else:
            cell.next.prev = new
        cell.next = new

    def _unlink(self, cell: _Cell) -> None:
        assert cell.prev is not None  # never the root cell
        cell.prev.next = cell.next
        if cell.next is None:
            self._tail = cell.prev
        else:
            cell.next.prev = cell.prev

    def _cut(self, head: str, tail: str, *, first: bool, last: bool) -> str:
        """head and tail joined where a table was cut out; first/last: at the file's ends."""
        if tail.startswith("\n") and ((first and not head) or head.endswith("\n\n")):
            tail = tail[1:]  # the blank lines before and after must not add up to two
        if last and not tail.strip():
            head, tail = (head.rstrip("\n") + "\n" if head.strip() or not first else ""), ""
        return head + tail

    # --- helpers -------------------------------------------------------------------

    def _table(self, path: TablePath) -> tuple[_Cell, Table]:
        located = self._locate(path)
        if located is None:
            raise LayoutError(f"no [{'.'.join(path)}] table")
        return located

    def _node(self, path: TablePath, *, create: bool = False) -> dict[str, Any]:
        node = self.data
        for key in path:
            node = node.setdefault(key, {}) if create else node[key]
        return node

    def _splice(self, cell: _Cell, start: int, end: int, new: str) -> None:
        cell.text = cell.text[:start] + new + cell.text[end:]
        self._joined = None

    def _insert_line(self, cell: _Cell, table: Table, line: str) -> None:
        pos = table.end
        lead = "" if pos == 0 or cell.text[pos - 1] == "\n" else "\n"
        self._splice(cell, pos, pos, lead + line + "\n")

    def _with_comments_above(self, cell: _Cell, start: int) -> int:
        # Comment lines right above a header (no blank line between) describe that table.
        text = cell.text
        try:
            floor = max((s.end for s in scan(text) if s.end <= start), default=0)
        except LayoutError:
            floor = start  # the cell cut through a value: take no comment with the table
        while start > floor:
            above = text.rfind("\n", 0, start - 1) + 1
            if not text[above : start - 1].lstrip().startswith("#"):
                break
            start = max(above, floor)
        return start

    def _array(self, path: TablePath, key: str) -> tuple[_Cell, Value]:
        cell, table = self._table(path)
        statement = table.key(key)
        if statement is None or statement.value is None or not statement.value.is_array:
            raise LayoutError(f"{key} is not an array on its own line")
        return cell, statement.value

    @staticmethod
    def _line_start(text: str, pos: int) -> int:
        return text.rfind("\n", 0, pos) + 1

    def _insert_item(self, path: TablePath, key: str, pos: int, item: str) -> None:
        cell, array = self._array(path, key)
        text = cell.text
        items = array.items
        if not items and "\n" in text[array.start : array.end]:
            line = self._line_start(text, array.end - 1)  # "[\n]": the item gets its own line
            self._splice(cell, line, line, f"    {item},\n")
        elif not items:
            self._splice(cell, array.start + 1, array.start + 1, item)
        elif pos < len(items):
            start = items[pos][0]
            line = self._line_start(text, start)
            indent = text[line:start]
            if indent.strip():
                self._splice(cell, start, start, f"{item}, ")
            else:  # one item per line: a new line above
                self._splice(cell, line, line, f"{indent}{item},\n")
        else:
            first, last = items[-1]
            close = array.end - 1
            comma = array.commas[-1]
            if "\n" in text[last:close]:  # the closing bracket has its own line
                indent = text[self._line_start(text, first) : first]
                indent = indent if not indent.strip() else "    "
                line = self._line_start(text, close)
                self._splice(cell, line, line, f"{indent}{item},\n")
                if comma is None:
                    self._splice(cell, last, last, ",")
            elif comma is not None:
                self._splice(cell, comma + 1, comma + 1, f" {item},")
            else:
                self._splice(cell, last, last, f", {item}")

    def _remove_item(self, path: TablePath, key: str, index: int) -> None:
        cell, array = self._array(path, key)
        text = cell.text
        items = array.items
        start, end = items[index]
        line = self._line_start(text, start)
        line_end = text.find("\n", end)
        rest = text[end : line_end if line_end >= 0 else len(text)]
        if not text[line:start].strip() and _AFTER_ITEM.fullmatch(rest) and line_end >= 0:
            self._splice(cell, line, line_end + 1, "")  # the item had its own line
        elif index + 1 < len(items):
            self._splice(cell, start, items[index + 1][0], "")
        elif index > 0:
            self._splice(cell, items[index - 1][1], end, "")
        else:
            self._splice(cell, start, array.end - 1, "")

    def _verify(self, cell: _Cell) -> None:
        """The edited text parses to the data the edit was meant to produce.

        Whole text: all of it is parsed again. A cell: it alone, against its table's data
        less the keys other cells define; every other cell is unchanged.
        """
        if self._by_path is None or cell.path is None:
            text, expected = self.text, self.data
        else:
            node = self._node(cell.path)
            local = {k: v for k, v in node.items() if k not in (cell.outside or ())}
            text, expected = cell.text, _nest(cell.path, local)
        try:
            parsed = tomlread.loads(text)
        except tomlread.TOMLDecodeError as exc:
            raise LayoutError(f"edit broke the syntax: {exc}") from None
        if parsed != expected:
            raise LayoutError("edit changed more than intended")


def _dig(data: Mapping[str, Any], path: TablePath) -> dict[str, Any]:
    """The table at path of parsed data; KeyError or TypeError when there is none."""
    node: Any = data
    for key in path:
        node = node[key]
    if not isinstance(node, dict):
        raise TypeError(path)
    return node


def _nest(path: TablePath, table: dict[str, Any]) -> dict[str, Any]:
    """{"a": {"b": table}} for path ("a", "b")."""
    for key in reversed(path):
        table = {key: table}
    return table


def _plain(value: Any) -> Any:
    # What tomllib gives back for a value: lists for tuples, dicts for mappings.
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def restore_newlines(original: str, edited: str) -> str:
    """edited (LF) with each unchanged line ending as in original; new lines get its majority."""
    if "\r" not in original:
        return edited
    old, old_ends = _split_lines(original)
    new, new_ends = _split_lines(edited)
    crlf = sum(1 for line, end in zip(old, old_ends, strict=True) if end and line.endswith("\r"))
    newline = "\r\n" if crlf * 2 >= len(old) else "\n"
    bare = [line.removesuffix("\r") for line in old]
    out: list[str] = []
    from kvlookup.editing import linediff

    for tag, i1, i2, j1, j2 in linediff.opcodes(bare, new):
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                ending = old[i][len(bare[i]) :] + old_ends[i]
                out.append(bare[i] + (ending if old_ends[i] else newline if new_ends[j] else ""))
        else:
            out += [new[j] + (newline if new_ends[j] else "") for j in range(j1, j2)]
    return "".join(out)


def _split_lines(text: str) -> tuple[list[str], list[str]]:
    # str.splitlines() also splits at form feeds and U+2028, which TOML strings may hold.
    lines = text.split("\n")
    ends = ["\n"] * (len(lines) - 1) + [""]
    if lines[-1] == "":
        lines.pop()
        ends.pop()
    return lines, ends
