"""Edit TOML text in place: find tables, keys and array items by position, rewrite only those.

A hand-edited file keeps its comments, key order, quoting, blank lines and line endings:
every edit is a splice of the few characters it changes, new values are written by
tomli-w, and each edit is verified by re-parsing the text with tomllib and comparing it
with the data the edit was meant to produce. (tomlkit was tried first: it puts a new key or
table after the comments that introduce the next section, drops that comment when it
deletes the table before it, and reformats neighbouring inline tables when appending one.)
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import tomli_w

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
    except (IndexError, ValueError, tomllib.TOMLDecodeError) as exc:
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
                key = tomllib.loads(f"k = {self.s[i:j]}")["k"]
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


class TomlText:
    """TOML text under in-place edits, with the data it must parse to kept alongside."""

    def __init__(self, text: str) -> None:
        self.original = text
        # Edits work on LF text; result() puts back CRLF (or whatever each line had).
        self.text = text.replace("\r\n", "\n")
        try:
            self.data: dict[str, Any] = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            raise LayoutError(str(exc)) from None

    def result(self) -> str:
        """The edited text, with the original's line endings on every line not edited."""
        return restore_newlines(self.original, self.text)

    def find(self, path: TablePath) -> Table | None:
        """The table with this header path, if the text has one."""
        return next((t for t in tables(self.text) if t.path == path), None)

    def add_table(self, path: TablePath, values: Mapping[str, Any]) -> None:
        """Add [path] after the last table of its kind ([people.x] after the last person)."""
        lines = [f"[{'.'.join(key_text(k) for k in path)}]"]
        lines += [render_key_value(k, v) for k, v in values.items()]
        body = "\n".join(lines) + "\n"
        kin = [
            t for t in tables(self.text) if len(t.path) == len(path) and t.path[:-1] == path[:-1]
        ]
        if kin:
            # Right after the last sibling's last key, so that the comments and blank lines
            # that introduce the next section stay in front of that section.
            pos = kin[-1].end
            gap = "\n" if self.text[pos - 1 : pos] == "\n" else "\n\n"
            self._splice(pos, pos, gap + body)
        else:
            head = self.text
            if head and not head.endswith("\n"):
                head += "\n"
            if head.strip() and not head.endswith("\n\n"):
                head += "\n"
            self.text = head + body
        parent = self._node(path[:-1], create=True)
        parent[path[-1]] = {k: _plain(v) for k, v in values.items()}
        self._verify()

    def remove_table(self, path: TablePath) -> None:
        """Delete a table with the comment lines directly above its header."""
        table = self._table(path)
        assert table.header is not None
        start, end = self._with_comments_above(table.header.start), table.end
        head, tail = self.text[:start], self.text[end:]
        if tail.startswith("\n") and (not head or head.endswith("\n\n")):
            tail = tail[1:]  # the blank lines before and after must not add up to two
        if not tail.strip():
            head, tail = (head.rstrip("\n") + "\n" if head.strip() else ""), ""
        self.text = head + tail
        parent = self._node(path[:-1])
        del parent[path[-1]]
        if not parent and path[:-1] and self.find(path[:-1]) is None:
            # [topics.t] alone made "topics" exist; without it, there is no topics table.
            del self._node(path[:-2])[path[-2]]
        self._verify()

    def rename_table(self, path: TablePath, new_key: str) -> None:
        """Change the last key of a table's header: [people.old] -> [people.new]."""
        table = self._table(path)
        assert table.header is not None
        start, end = table.header.key_spans[-1]
        self._splice(start, end, key_text(new_key))
        parent = self._node(path[:-1])
        parent[new_key] = parent.pop(path[-1])
        self._verify()

    def set(self, path: TablePath, key: str, value: Any) -> None:
        """Set, replace or (value None) delete a key, touching only its own lines."""
        table = self._table(path)
        statement = table.key(key)
        node = self._node(path)
        if value is None:
            if statement is not None:
                self._splice(statement.start, statement.end, "")
            elif key in node:
                raise LayoutError(f"{key} is not set on its own line")
            node.pop(key, None)
        elif statement is not None and statement.value is not None:
            self._splice(statement.value.start, statement.value.end, render(value))
            node[key] = _plain(value)
        elif key in node:
            raise LayoutError(f"{key} is not set on its own line")
        else:
            self._insert_line(table, render_key_value(key, value))
            node[key] = _plain(value)
        self._verify()

    def set_list(self, path: TablePath, key: str, values: Sequence[Any]) -> None:
        """Make an array hold values, in order, by removing and inserting single items."""
        wanted = [_plain(v) for v in values]
        statement = self._table(path).key(key)
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
        self._verify()

    def append(self, path: TablePath, key: str, value: Any) -> None:
        """Add one item at the end of an array (creating the key when missing)."""
        node = self._node(path)
        if key not in node:
            self.set(path, key, [value])
            return
        self._insert_item(path, key, len(node[key]), render(value))
        node[key] = [*node[key], _plain(value)]
        self._verify()

    # --- helpers -------------------------------------------------------------------

    def _table(self, path: TablePath) -> Table:
        table = self.find(path)
        if table is None:
            raise LayoutError(f"no [{'.'.join(path)}] table")
        return table

    def _node(self, path: TablePath, *, create: bool = False) -> dict[str, Any]:
        node = self.data
        for key in path:
            node = node.setdefault(key, {}) if create else node[key]
        return node

    def _splice(self, start: int, end: int, new: str) -> None:
        self.text = self.text[:start] + new + self.text[end:]

    def _insert_line(self, table: Table, line: str) -> None:
        pos = table.end
        lead = "" if pos == 0 or self.text[pos - 1] == "\n" else "\n"
        self._splice(pos, pos, lead + line + "\n")

    def _with_comments_above(self, start: int) -> int:
        # Comment lines right above a header (no blank line between) describe that table.
        floor = max((s.end for s in scan(self.text) if s.end <= start), default=0)
        while start > floor:
            above = self.text.rfind("\n", 0, start - 1) + 1
            if not self.text[above : start - 1].lstrip().startswith("#"):
                break
            start = max(above, floor)
        return start

    def _array(self, path: TablePath, key: str) -> Value:
        statement = self._table(path).key(key)
        if statement is None or statement.value is None or not statement.value.is_array:
            raise LayoutError(f"{key} is not an array on its own line")
        return statement.value

    def _line_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1

    def _insert_item(self, path: TablePath, key: str, pos: int, item: str) -> None:
        array = self._array(path, key)
        items = array.items
        if not items and "\n" in self.text[array.start : array.end]:
            line = self._line_start(array.end - 1)  # "[\n]": the item gets a line of its own
            self._splice(line, line, f"    {item},\n")
        elif not items:
            self._splice(array.start + 1, array.start + 1, item)
        elif pos < len(items):
            start = items[pos][0]
            line = self._line_start(start)
            indent = self.text[line:start]
            if indent.strip():
                self._splice(start, start, f"{item}, ")
            else:  # one item per line: a new line above
                self._splice(line, line, f"{indent}{item},\n")
        else:
            first, last = items[-1]
            close = array.end - 1
            comma = array.commas[-1]
            if "\n" in self.text[last:close]:  # the closing bracket has its own line
                indent = self.text[self._line_start(first) : first]
                indent = indent if not indent.strip() else "    "
                line = self._line_start(close)
                self._splice(line, line, f"{indent}{item},\n")
                if comma is None:
                    self._splice(last, last, ",")
            elif comma is not None:
                self._splice(comma + 1, comma + 1, f" {item},")
            else:
                self._splice(last, last, f", {item}")

    def _remove_item(self, path: TablePath, key: str, index: int) -> None:
        array = self._array(path, key)
        items = array.items
        start, end = items[index]
        line = self._line_start(start)
        line_end = self.text.find("\n", end)
        rest = self.text[end : line_end if line_end >= 0 else len(self.text)]
        if not self.text[line:start].strip() and _AFTER_ITEM.fullmatch(rest) and line_end >= 0:
            self._splice(line, line_end + 1, "")  # the item had its own line
        elif index + 1 < len(items):
            self._splice(start, items[index + 1][0], "")
        elif index > 0:
            self._splice(items[index - 1][1], end, "")
        else:
            self._splice(start, array.end - 1, "")

    def _verify(self) -> None:
        try:
            parsed = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            raise LayoutError(f"edit broke the syntax: {exc}") from None
        if parsed != self.data:
            raise LayoutError("edit changed more than intended")


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
    matcher = difflib.SequenceMatcher(None, bare, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
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
