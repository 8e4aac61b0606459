"""Locate, parse and validate the TOML registry, reporting every problem with file:line."""

from __future__ import annotations

import itertools
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from kvlookup import schema
from kvlookup.errors import RegistryError
from kvlookup.models import (
    ENTRY_FIELDS,
    ENTRY_TABLES,
    PERSON_FIELDS,
    Absence,
    Entry,
    EntryKind,
    Person,
    Problem,
    Registry,
)
from kvlookup.search import text

# The keys a person's or an entry's table may hold: the fields the registry stores.
PERSON_KEYS = tuple(f for f in PERSON_FIELDS if f.in_registry)
ENTRY_KEYS = tuple(f for f in ENTRY_FIELDS if f.in_registry)
TOP_LEVEL = frozenset({"schema", "organisation", "people", *ENTRY_TABLES.values()})
SCHEMA_VERSION = 1

# Patterns stay strings until first use (_regex compiles and keeps them then): compiling
# at import cost every run, and a lookup answered from the cache uses none.
_ID = r"^[A-Za-z0-9_-]+$"
# A person's directory key: "attribute=value" (uid=hkoponen) or an email address. The
# attribute goes into an LDAP filter as it is (only values can be escaped), so it is held to
# RFC 4512's descr form here.
_DIRECTORY_KEY = r"^[A-Za-z][A-Za-z0-9-]*=\S.*$"
_TOML_POSITION = r"^(?P<msg>.*?) \(at line (?P<line>\d+), column (?P<col>\d+)\)$"
_TOML_EOF = r"^(?P<msg>.*?) \(at end of document\)$"


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    """pattern, compiled on first use and then kept (cheaper per call than re's own cache)."""
    return re.compile(pattern)


def read_text(path: Path) -> str:
    """The registry file's text; RegistryError when it cannot be read."""
    return decode(read_bytes(path), path)


def decode(data: bytes, path: Path) -> str:
    """Registry bytes as text (UTF-8, an optional BOM); RegistryError when not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegistryError(
            [Problem(str(path), "registry.not_utf8", {"detail": str(exc.reason)})]
        ) from None


_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)  # POSIX; Windows has no FIFOs to wait on


def read_bytes(path: Path) -> bytes:
    """The registry file's bytes; RegistryError when it cannot be read.

    A regular file, or a pipe (-r /dev/stdin); a device, a socket or a folder is refused,
    and a FIFO nobody writes to is an error rather than a wait that never ends.
    """
    try:
        # Non-blocking: opening a FIFO that has no writer would otherwise wait forever.
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise RegistryError([Problem(str(path), "registry.missing")]) from None
    except OSError as exc:
        # Windows cannot open a folder at all; POSIX opens it, and fstat tells below.
        key = "registry.is_dir" if os.path.isdir(path) else "registry.unreadable"
        raise RegistryError(
            [Problem(str(path), key, {"detail": exc.strerror or str(exc)})]
        ) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise RegistryError([Problem(str(path), "registry.is_dir")])
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            # /dev/zero would be read until memory runs out, a terminal until someone types.
            raise RegistryError([Problem(str(path), "registry.not_file")])
        if _NONBLOCK and not stat.S_ISREG(mode):
            os.set_blocking(fd, True)  # a pipe's writer may still be producing
        with open(fd, "rb", closefd=False) as fh:
            data = fh.read()
    except OSError as exc:
        raise RegistryError(
            [Problem(str(path), "registry.unreadable", {"detail": exc.strerror or str(exc)})]
        ) from None
    finally:
        os.close(fd)
    if not data and not stat.S_ISREG(mode):
        raise RegistryError([Problem(str(path), "registry.empty_pipe")])
    return data


def parse(source: str, path: Path) -> dict[str, Any]:
    """Parse TOML text; a syntax error becomes 'file:line:col: message'."""
    # Imported here: a warm run answers from the cache and never parses TOML.
    from kvlookup.sources import tomlread

    try:
        return tomlread.loads(source)
    except RecursionError:
        # The parser descends once per nested array or inline table: 2,000 of them exhaust
        # Python's stack, and the file is as unreadable as one with a syntax error.
        raise RegistryError([Problem(path.name, "registry.too_deep")]) from None
    except tomlread.TOMLDecodeError as exc:
        msg = str(exc)
        if m := _regex(_TOML_POSITION).match(msg):
            where = f"{path.name}:{m['line']}:{m['col']}"
            msg = m["msg"]
        elif m := _regex(_TOML_EOF).match(msg):
            where = f"{path.name}:{source.count(chr(10)) + 1}"
            msg = m["msg"]
        else:
            where = path.name
        raise RegistryError([Problem(where, "registry.syntax", {"detail": msg})]) from None


def load(path: Path) -> Registry:
    """Read, parse and validate a registry file; RegistryError lists every problem."""
    source = read_text(path)
    return build(parse(source, path), path, source)


def check_text(source: str, path: Path, *, allow_empty: bool = False) -> Registry:
    """Everything 'kvlookup check' verifies, on registry text; RegistryError lists every problem.

    A registry with no people and no entries is a problem (an editor that emptied the
    file), unless allow_empty: an edit or an import may start from an empty file.
    """
    return check_data(parse(source, path), source, path, allow_empty=allow_empty)


def check_data(
    data: Mapping[str, Any],
    source: str,
    path: Path,
    *,
    allow_empty: bool = False,
    owners: dict[str, str] | None = None,
) -> Registry:
    """check_text on text already parsed into data (parsing 100k entries costs seconds).

    owners: filled with the item id each name and alias (as words) belongs to, which
    still_passes needs.
    """
    loaded = build(data, path, source, owners=owners)
    problems = deep_check(loaded, source)
    if not allow_empty and not loaded.people and not loaded.entries:
        problems.append(Problem(path.name, "registry.no_items"))
    if problems:
        raise RegistryError(problems)
    return loaded


def build(
    data: Mapping[str, Any],
    path: Path,
    source: str = "",
    tokenise: Callable[[str], Sequence[str]] = text.tokens,
    *,
    owners: dict[str, str] | None = None,
) -> Registry:
    """Validate parsed TOML data and turn it into a Registry.

    tokenise splits aliases into words for the duplicate check; opening.py passes a memo
    that the search index then reuses. owners: as check_data.
    """
    checker = _Checker(path, source, tokenise, owners)
    registry = checker.build(data)
    if checker.problems:
        raise RegistryError(checker.problems)
    return registry


def item_of(path: Path, table: str, item_id: str, body: object) -> Person | Entry:
    """One person or entry from its table's data, checked on its own; RegistryError if not.

    What it refers to (contacts, via, deputy) and what it shares with others (aliases) are
    not checked here: an edit checks those once, on the whole result.
    """
    checker = _Checker(path, "")
    raw = {item_id: body}
    found: list[Person | Entry]
    if table == "people":
        found = [person for _, person in checker._people(raw)]
    else:
        kind = next(k for k, t in ENTRY_TABLES.items() if t == table)
        found = list(checker._entries(kind, table, raw))
    if checker.problems or not found:
        raise RegistryError(checker.problems)
    return found[0]


def is_id(value: str) -> bool:
    """True for a valid id: letters, digits, '-' and '_'."""
    return bool(_regex(_ID).fullmatch(value))  # fullmatch: "$" would accept a trailing newline


def is_directory_key(value: str) -> bool:
    """True for a person's directory key: attribute=value (uid=hkoponen) or an email address."""
    from kvlookup.contactinfo import is_email

    return bool(_regex(_DIRECTORY_KEY).fullmatch(value)) or is_email(value)


class _Locator:
    """Finds the line of a table or key in the source, so problems can say file:line."""

    def __init__(self, path: Path, source: str) -> None:
        self.name = path.name
        self.source = source
        # Split and indexed on the first problem: a valid registry never needs them, and
        # the lines of a 100k registry would sit in memory beside the parsed data.
        self._lines: list[str] | None = None
        self._headers: dict[tuple[str, str], int] = {}

    def __call__(self, table: str, item: str | None = None, key: str | None = None) -> str:
        keypath = ".".join(p for p in (table, item, key) if p)
        line = self._find(table, item, key)
        return f"{self.name}:{line}: {keypath}" if line else f"{self.name}: {keypath}"

    def _index(self) -> list[str]:
        if self._lines is None:
            self._lines = self.source.splitlines()
            # Every header line once, so that locating many problems is not a scan each.
            plain = re.compile(
                r"^\s*\[\s*[\"']?([^\s\"'.\]]+)[\"']?\s*\.\s*[\"']?([^\"'\]]+?)[\"']?\s*\]"
            )
            for i, line in enumerate(self._lines):
                if line.lstrip().startswith("[") and (m := plain.match(line)):
                    self._headers.setdefault((m[1], m[2]), i)
        return self._lines

    def _find(self, table: str, item: str | None, key: str | None) -> int | None:
        if item is None:
            return None
        lines = self._index()
        header = re.compile(
            rf"^\s*\[\s*{re.escape(table)}\s*\.\s*[\"']?{re.escape(item)}[\"']?\s*\]\s*(#.*)?$"
        )
        start = self._headers.get((table, item))
        if start is None or not header.match(lines[start]):
            start = next((i for i, ln in enumerate(lines) if header.match(ln)), None)
        if start is None:
            return None
        if key is None:
            return start + 1
        key_re = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for i in range(start + 1, len(lines)):
            if lines[i].lstrip().startswith("["):
                break
            if key_re.match(lines[i]):
                return i + 1
        return start + 1


class _Checker:
    """Collects every problem in one pass instead of stopping at the first."""

    def __init__(
        self,
        path: Path,
        source: str,
        tokenise: Callable[[str], Sequence[str]] = text.tokens,
        owners: dict[str, str] | None = None,
    ) -> None:
        self.path = path
        self.tokenise = tokenise
        # Each name and alias, as its words joined, -> the id of the item it names.
        self.owners: dict[str, str] = {} if owners is None else owners
        self.where = _Locator(path, source)
        self.problems: list[Problem] = []

    def add(self, location: str, message: str, /, **params: object) -> None:
        self.problems.append(Problem(location, message, params))

    def build(self, data: Mapping[str, Any]) -> Registry:
        for key in data:
            if key not in TOP_LEVEL:
                self.add(f"{self.path.name}: {key}", "registry.unknown_table", name=key)
        schema = data.get("schema", SCHEMA_VERSION)
        if schema != SCHEMA_VERSION:
            self.add(f"{self.path.name}: schema", "registry.schema", found=schema)
        people = dict(self._people(data.get("people", {})))
        entries: dict[str, Entry] = {}
        for kind, table in ENTRY_TABLES.items():
            for entry in self._entries(kind, table, data.get(table, {})):
                if entry.id in people or entry.id in entries:
                    self.add(self.where(table, entry.id), "registry.duplicate_id", id=entry.id)
                    continue
                entries[entry.id] = entry
        self._check_references(people, entries)
        self._check_aliases(people, entries)
        organisation = data.get("organisation", "")
        if not isinstance(organisation, str):
            self.add(
                f"{self.path.name}: organisation",
                "registry.type",
                expected="string",
                found=_type_name(organisation),
            )
            organisation = ""
        return Registry(self.path, people, entries, organisation)

    def _items(self, table: str, raw: object) -> Iterator[tuple[str, Mapping[str, Any]]]:
        if not isinstance(raw, dict):
            self.add(f"{self.path.name}: {table}", "registry.not_table", name=table)
            return
        for item_id, body in raw.items():
            if not is_id(item_id):
                self.add(self.where(table, item_id), "registry.bad_id", id=item_id)
            if not isinstance(body, dict):
                self.add(
                    self.where(table, item_id), "registry.not_table", name=f"{table}.{item_id}"
                )
                continue
            yield item_id, body

    def _str(
        self, table: str, item: str, body: Mapping[str, Any], key: str, *, required: bool = False
    ) -> str:
        value = body.get(key, "")
        if key not in body and required:
            self.add(self.where(table, item), "registry.missing_key", key=key)
        elif not isinstance(value, str):
            self.add(
                self.where(table, item, key),
                "registry.type",
                expected="string",
                found=_type_name(value),
            )
            return ""
        elif required and not value.strip():
            self.add(self.where(table, item, key), "registry.empty", key=key)
        return value if isinstance(value, str) else ""

    def _strs(self, table: str, item: str, body: Mapping[str, Any], key: str) -> tuple[str, ...]:
        value = body.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(
                self.where(table, item, key),
                "registry.type",
                expected="list of strings",
                found=_type_name(value),
            )
            return ()
        return tuple(value)

    def _unknown_keys(
        self, table: str, item: str, body: Mapping[str, Any], fields: Sequence[schema.Field]
    ) -> None:
        allowed = schema.names(fields)
        for key in body:
            if key not in allowed:
                self.add(
                    self.where(table, item, key),
                    "registry.unknown_key",
                    key=key,
                    allowed=", ".join(sorted(allowed)),
                )

    def _people(self, raw: object) -> Iterator[tuple[str, Person]]:
        for pid, body in self._items("people", raw):
            yield pid, Person(pid, **self._values("people", pid, body, PERSON_KEYS))

    def _values(
        self, table: str, item: str, body: Mapping[str, Any], fields: tuple[schema.Field, ...]
    ) -> dict[str, Any]:
        """The checked values of an item's table, by field; problems recorded on the way."""
        by_name, plain, required = _plan(fields)
        if not body.keys() <= by_name.keys():
            self._unknown_keys(table, item, body, fields)
        # The keys the item has (an absent optional field keeps its default), a plain text
        # taken as it is: this runs for every item, and a call per field was a quarter of
        # validating 100k entries.
        values = {
            key: value
            if key in plain and type(value) is str
            else self._value(table, item, body, by_name[key])
            for key, value in body.items()
            if key in by_name
        }
        for field in required:
            if field.name not in body:
                values[field.name] = self._value(table, item, body, field)
        return values

    def _value(self, table: str, item: str, body: Mapping[str, Any], field: schema.Field) -> Any:
        """One field's value as its kind wants it; its default, and a problem, when it is not."""
        key, kind = field.name, field.kind
        value = body.get(key)
        # The common case first and cheaply: this runs for every field of every item (450,000
        # times at 100k entries).
        if kind == schema.TEXT and type(value) is str and (not field.required or value.strip()):
            return value
        if field.is_list and kind != schema.ABSENCES:
            return self._strs(table, item, body, key)
        if kind == schema.ABSENCES:
            return self._away(table, item, key, body[key])
        if kind in (schema.PERSON, schema.ENTRY):
            value = body[key]
            if isinstance(value, str):
                return value
            self.add(
                self.where(table, item, key),
                "registry.type",
                expected="string",
                found=_type_name(value),
            )
            return None
        if kind == schema.DAY:
            value = body[key]
            # type(), not isinstance(): a TOML date-time is a datetime, and a day is meant.
            if type(value) is date:
                return value
            self.add(
                self.where(table, item, key), "registry.bad_day", key=key, found=_type_name(value)
            )
            return None
        text = self._str(table, item, body, key, required=field.required)
        if text and not _FORM_CHECKS.get(kind, _any_form)(text):
            self.add(self.where(table, item, key), _FORM_PROBLEMS[kind], value=text)
        return text

    def _away(self, table: str, item: str, key: str, raw: object) -> tuple[Absence, ...]:
        if not raw:
            return ()

        def where() -> str:
            # Locating a line scans the file: only worth it when there is a problem.
            return self.where(table, item, key)

        if not isinstance(raw, list):
            self.add(where(), "registry.type", expected="list of tables", found=_type_name(raw))
            return ()
        out: list[Absence] = []
        for i, absence in enumerate(raw):
            start = absence.get("from") if isinstance(absence, dict) else None
            end = absence.get("to") if isinstance(absence, dict) else None
            reason = absence.get("reason", "") if isinstance(absence, dict) else ""
            # type(), not isinstance(): a TOML date-time is a datetime, which is a date too
            # but cannot be compared with one.
            if not (type(start) is date and type(end) is date and isinstance(reason, str)):
                self.add(f"{where()}[{i}]", "registry.bad_absence")
            elif end < start:
                self.add(f"{where()}[{i}]", "registry.absence_order", start=start, end=end)
            else:
                out.append(Absence(start, end, reason))
        return tuple(out)

    def _entries(self, kind: EntryKind, table: str, raw: object) -> Iterator[Entry]:
        for eid, body in self._items(table, raw):
            yield Entry(eid, kind, **self._values(table, eid, body, ENTRY_KEYS))

    def _check_references(self, people: Mapping[str, Person], entries: Mapping[str, Entry]) -> None:
        for entry in entries.values():
            table = ENTRY_TABLES[entry.kind]
            for i, pid in enumerate(entry.contacts):
                if pid not in people:
                    self.add(
                        f"{self.where(table, entry.id, 'contacts')}[{i}]",
                        "registry.unknown_person",
                        id=pid,
                    )
            if len(set(entry.contacts)) != len(entry.contacts):
                self.add(self.where(table, entry.id, "contacts"), "registry.repeated_contact")
            if entry.via is not None:
                if entry.via not in entries:
                    self.add(
                        self.where(table, entry.id, "via"), "registry.unknown_entry", id=entry.via
                    )
                elif self._has_cycle(entry, entries):
                    self.add(self.where(table, entry.id, "via"), "registry.via_cycle", id=entry.via)
        for person in people.values():
            if person.deputy is not None and person.deputy not in people:
                self.add(
                    self.where("people", person.id, "deputy"),
                    "registry.unknown_person",
                    id=person.deputy,
                )
            elif person.deputy == person.id:
                self.add(self.where("people", person.id, "deputy"), "registry.self_deputy")

    @staticmethod
    def _has_cycle(entry: Entry, entries: Mapping[str, Entry]) -> bool:
        seen = {entry.id}
        current = entry
        while current.via is not None and current.via in entries:
            if current.via in seen:
                return True
            seen.add(current.via)
            current = entries[current.via]
        return False

    def _check_aliases(self, people: Mapping[str, Person], entries: Mapping[str, Entry]) -> None:
        # Person names may legitimately repeat (two Matti Virtanens); explicit aliases and
        # entry names may not, because a lookup by them could not tell the two apart.
        owner = self.owners
        for table, item_id, field, label in _labelled(people.values(), entries.values()):
            key = " ".join(self.tokenise(label))
            if not key:
                if field == "aliases":
                    self.add(self.where(table, item_id, field), "registry.empty_alias")
                continue
            other = owner.setdefault(key, item_id)
            if other != item_id:
                self.add(
                    self.where(table, item_id, field),
                    "registry.duplicate_alias",
                    alias=label,
                    other=other,
                )


@cache
def _plan(
    fields: tuple[schema.Field, ...],
) -> tuple[dict[str, schema.Field], frozenset[str], tuple[schema.Field, ...]]:
    """Fields by name, the optional plain texts among them, and the required ones."""
    plain = frozenset(f.name for f in fields if f.kind == schema.TEXT and not f.required)
    return {f.name: f for f in fields}, plain, tuple(f for f in fields if f.required)


def _labelled(
    people: Iterable[Person], entries: Iterable[Entry]
) -> Iterator[tuple[str, str, str, str]]:
    """(table, id, field, label) of every entry name and alias and every person's alias."""
    # A generator, not a list of every label: at 100k entries the list was one more copy
    # of the registry's structure beside the parsed data.
    return itertools.chain(
        (
            (ENTRY_TABLES[e.kind], e.id, field, label)
            for e in entries
            for field, label in itertools.chain(
                (("name", e.name),), (("aliases", a) for a in e.aliases)
            )
        ),
        (("people", p.id, "aliases", a) for p in people for a in p.aliases),
    )


def still_passes(
    data: Mapping[str, Any], edited: Registry, owners: Mapping[str, str], changed: Set[str]
) -> bool:
    """True when data passes check_data, if it passed before an edit and differs only so.

    data passed check_data (which filled owners) and then changed only in the items whose
    ids are in changed; edited holds every item of data, the changed ones read again by
    item_of. Only what an edit can break is checked again: the changed items' names and
    phone numbers, references, and that each id is one item. False means "perhaps not":
    check_data then says what is wrong (checking all of it again made 'set' on 100k
    entries take twice as long as 'list').
    """
    if not (edited.people or edited.entries):
        return False
    if any(key not in TOP_LEVEL for key in data) or data.get("schema", SCHEMA_VERSION) != (
        SCHEMA_VERSION
    ):
        return False
    if data.get("organisation", "") != edited.organisation:
        return False
    count = 0
    for table in ("people", *ENTRY_TABLES.values()):
        items = data.get(table, {})
        if not isinstance(items, dict):
            return False
        count += len(items)
    if count != len(edited.people) + len(edited.entries):
        return False  # an id used twice (edited holds one item per id)
    checker = _Checker(edited.path, "")
    checker._check_references(edited.people, edited.entries)
    if checker.problems:
        return False
    people = [p for pid in changed if (p := edited.people.get(pid)) is not None]
    entries = [e for eid in changed if (e := edited.entries.get(eid)) is not None]
    mine: dict[str, str] = {}
    for _, item_id, field, label in _labelled(people, entries):
        key = " ".join(text.tokens(label))
        if not key:
            if field == "aliases":
                return False
            continue
        # owners holds the names before the edit: one of an unchanged item is still there.
        other = owners.get(key)
        if other is not None and other not in changed:
            return False
        if mine.setdefault(key, item_id) != item_id:
            return False
    return next(_invalid_phones(people), None) is None


def _is_phone_form(value: str) -> bool:
    # Not needed by a warm run; a cheap check of the form only, 'check' parses numbers.
    from kvlookup.contactinfo import is_phone_form

    return is_phone_form(value)


def _is_email(value: str) -> bool:
    from kvlookup.contactinfo import is_email

    return is_email(value)


def _any_form(value: str) -> bool:
    return True


# What a text of each kind must look like, and the problem when it does not.
_FORM_CHECKS: Mapping[str, Callable[[str], bool]] = {
    schema.PHONE: _is_phone_form,
    schema.EMAIL: _is_email,
    schema.DIRECTORY_KEY: is_directory_key,
}
_FORM_PROBLEMS: Mapping[str, str] = {
    schema.PHONE: "registry.bad_phone",
    schema.EMAIL: "registry.bad_email",
    schema.DIRECTORY_KEY: "registry.bad_directory_key",
}


def _type_name(value: object) -> str:
    return {
        str: "string",
        int: "integer",
        float: "float",
        bool: "boolean",
        list: "array",
        dict: "table",
    }.get(type(value), type(value).__name__)


def deep_check(registry: Registry, source: str = "") -> list[Problem]:
    """Checks too slow for every load (full phone-number validation), for 'kvlookup check'."""
    where = _Locator(registry.path, source)
    return [
        Problem(where("people", person.id, key), "registry.invalid_phone", {"value": number})
        for person, key, number in _invalid_phones(registry.people.values())
    ]


def _invalid_phones(people: Iterable[Person]) -> Iterator[tuple[Person, str, str]]:
    """(person, field, number) of each stored phone number that is not a valid number."""
    from kvlookup.contactinfo import is_valid_phone  # imports phonenumbers: check and edits

    phones = [f.name for f in PERSON_FIELDS if f.kind == schema.PHONE]
    for person in people:
        for key in phones:
            if (number := getattr(person, key)) and not is_valid_phone(number):
                yield person, key, number
