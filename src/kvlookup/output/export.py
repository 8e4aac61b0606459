"""Exports: select rows, people and a sub-registry from a Registry, and build their View.

Pure apart from save(): no printing; problems are raised as KvlookupError.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kvlookup import collector, schema
from kvlookup.errors import UsageError
from kvlookup.models import (
    ENTRY_FIELDS,
    ENTRY_TABLES,
    PERSON_FIELDS,
    Absence,
    Entry,
    Kind,
    Person,
    Registry,
)
from kvlookup.output import views
from kvlookup.output.views import Column, RenderOptions, View
from kvlookup.search.index import Vocabulary

if TYPE_CHECKING:
    from kvlookup.output.filters import Filter

# The registry file's schema, which a TOML export writes.
SCHEMA = 1
# The JSON export's contract: 2 named fields as every output names them (title_fi,
# description_fi, via_id); 1 used the registry's keys (title, description, via).
JSON_SCHEMA = 2
_Item = TypeVar("_Item", Entry, Person)
_Made = TypeVar("_Made")

# A row is an item and one of its contacts: the contact's fields describe the person to
# call, the entry's fields the item itself (a person's row reads them from the person).
_CONTACT_FIELDS = tuple(f for f in PERSON_FIELDS if f.column)
_ITEM_FIELDS = tuple(f for f in ENTRY_FIELDS if f.column)
_LINKS = {schema.PHONE: "tel", schema.EMAIL: "mailto"}


def _column(field: schema.Field) -> Column:
    return Column(field.out, f"col.{field.out}", link=_LINKS.get(field.kind))


# Every field a tabular export can carry, in the default order, with its table header.
COLUMNS: Mapping[str, Column] = {
    c.key: c
    for c in (
        Column("id", "col.id"),
        Column("kind", "col.kind", translate="kind."),
        Column("name", "col.name"),
        Column("via_id", "col.via_id"),
        Column("contact_id", "col.contact_id"),
        Column("contact", "col.contact"),
        *map(_column, _CONTACT_FIELDS),
        Column("organisation", "col.organisation"),
        Column("via_name", "col.via_name"),
        *map(_column, _ITEM_FIELDS),
    )
}
FIELDS: tuple[str, ...] = tuple(COLUMNS)
DEFAULT_FIELDS: tuple[str, ...] = FIELDS[: FIELDS.index("organisation")]


@dataclass(frozen=True, slots=True)
class Filters:
    """What to export: the CLI's --kind, --person, --query and --where, all of which hold."""

    kind: Kind | None = None
    person: str | None = None  # id or name: rows whose contact is this person
    query: str | None = None  # the items 'who' would answer
    where: str | None = None  # a written filter (filters.parse)

    def as_filter(self) -> Filter:
        """These options as one filter of the algebra."""
        # Imported here: an export that keeps every row never needs the algebra, whose
        # classes cost a plain export 4 ms of start-up.
        from kvlookup.output import filters

        parts: list[Filter] = []
        if self.kind is not None:
            parts.append(filters.KindIs(self.kind))
        if self.person is not None:
            parts.append(filters.HandledBy(self.person))
        if self.query is not None:
            parts.append(filters.Answers(self.query))
        if self.where is not None:
            parts.append(filters.parse(self.where))
        return filters.combine(parts)


@dataclass(frozen=True, slots=True)
class Row:
    """One (item, contact) pair, the unit of CSV and friends; contact None when none is named."""

    item: Entry | Person
    contact: Person | None
    through: Entry | None = None  # the entry the contact comes through, when not the item


def parse_fields(spec: str | None) -> tuple[str, ...]:
    """'name,email' -> ('name', 'email'); None -> the default fields; UsageError if unknown."""
    if spec is None:
        return DEFAULT_FIELDS
    wanted = tuple(dict.fromkeys(f.strip() for f in spec.split(",") if f.strip()))
    unknown = [f for f in wanted if f not in COLUMNS]
    if unknown or not wanted:
        raise UsageError(
            "export.bad_field", name=",".join(unknown) or spec, fields=", ".join(FIELDS)
        )
    return wanted


def select(
    registry: Registry, chosen: Filters | Filter, *, index: Vocabulary | None = None
) -> tuple[Row, ...]:
    """The rows the filter keeps, entries before people, in 'who' order for a query."""
    if chosen == Filters():  # no filter given: every row, in list order
        return tuple(row for item in registry.listed() for row in _rows(registry, item))
    test = (chosen.as_filter() if isinstance(chosen, Filters) else chosen).bind(registry, index)
    rows = [row for item in registry.listed() for row in _rows(registry, item) if test.keeps(row)]
    if test.rank is not None:
        ranks = test.rank
        # Stable: contact order is kept; rows a query did not rank ('or' another term) last.
        rows.sort(key=lambda r: ranks.get(r.item.id, len(ranks)))
    return tuple(rows)


def _rows(registry: Registry, item: Entry | Person) -> list[Row]:
    if isinstance(item, Person):
        return [Row(item, item)]
    people, through = registry.contacts_of(item)
    return [Row(item, p, through) for p in people] or [Row(item, None, through)]


def build(
    registry: Registry, rows: Sequence[Row], options: RenderOptions, fmt: str | None = None
) -> View:
    """The View of an export: records, JSON, vCard/mutt cards and the TOML sub-registry.

    fmt: the format to be written; the JSON document and the TOML tree, each as large as
    the registry, are then built only for their own format (None: everything).
    """
    shown = _with_phone_format(registry, options)
    fields = options.fields or DEFAULT_FIELDS
    # One record per row, kept until the export is written: at 100k entries, 135,000 dicts
    # the collector would otherwise walk again and again while they are made.
    with collector.paused():
        # The phone-formatted copy of each contact, its cells made once (_per_person).
        cells = _per_person(lambda person: _contact_cells(shown.people[person.id]))
        # The default columns are the first ones a record has: only they are made then.
        head_only = tuple(fields) == _HEAD
        records = tuple(_record(shown, row, cells, every=not head_only) for row in rows)
        if not head_only and tuple(fields) != FIELDS:
            records = tuple({f: record[f] for f in fields} for record in records)
    people = _unique(shown.people[r.contact.id] for r in rows if r.contact is not None)
    return View(
        columns=tuple(COLUMNS[f] for f in fields),
        records=records,
        document=_document(shown, rows, records, people, fields) if fmt in (None, "json") else {},
        card_source=views.cards(shown, people),
        organisation=registry.organisation,
        tree=registry_tree(registry, rows) if fmt in (None, "toml") else None,
    )


def _document(
    shown: Registry,
    rows: Sequence[Row],
    records: Sequence[Mapping[str, str]],
    people: Sequence[Person],
    fields: Sequence[str],
) -> dict[str, Any]:
    """The JSON export document (JSON_SCHEMA), its arrays made item by item as written."""
    entries = _unique(r.item for r in rows if isinstance(r.item, Entry))
    # One pass over the entries for every person: asking per person made export quadratic
    # (30,000 entries took 85 s).
    handles = shown.handled_by_each(p.id for p in people)
    # Items, not lists: at 100k entries the records, entries and people as JSON objects,
    # all held at once, were 5 times the memory of 'kvlookup list'.
    contact = _per_person(views.person_json)
    return {
        "schema": JSON_SCHEMA,
        "organisation": shown.organisation,
        "fields": list(fields),
        "records": views.Items(len(records), lambda: iter(records)),  # of fields already
        "entries": views.Items(
            len(entries), lambda: (views.entry_json(shown, e, contact) for e in entries)
        ),
        "people": views.Items(
            len(people),
            lambda: (contact(p) | {"handles": [e.id for e, _ in handles[p.id]]} for p in people),
        ),
    }


def _with_phone_format(registry: Registry, options: RenderOptions) -> Registry:
    """registry with every phone number written in the chosen form."""
    if options.phone_format is None:
        return registry
    from kvlookup.contactinfo import format_phone

    style = options.phone_format
    people = {
        pid: p._replace(phone=format_phone(p.phone, style)) for pid, p in registry.people.items()
    }
    return registry._replace(people=people)


def _unique(items: Iterable[_Item]) -> list[_Item]:
    seen: dict[str, _Item] = {}
    for item in items:
        seen.setdefault(item.id, item)
    return list(seen.values())


def _per_person(make: Callable[[Person], _Made]) -> Callable[[Person], _Made]:
    """make, called once per person id: a person is the contact of many rows and entries."""
    made: dict[str, _Made] = {}

    def once(person: Person) -> _Made:
        found = made.get(person.id)
        if found is None:
            found = made[person.id] = make(person)
        return found

    return once


def _record(
    registry: Registry, row: Row, cells_of: Callable[[Person], dict[str, str]], *, every: bool
) -> dict[str, str]:
    """A row as a flat record: the _HEAD columns, and with every all FIELDS.

    cells_of: the cells of a row's contact (_contact_cells).
    """
    item, contact = row.item, row.contact
    cells = _NO_CONTACT if contact is None else cells_of(contact)
    via = row.through
    if via is None and isinstance(item, Entry) and item.via:
        via = registry.entries.get(item.via)
    record = {
        "id": item.id,
        "kind": item.kind,
        "name": item.name,
        "via_id": via.id if via else "",
        **cells,
    }
    if every:
        record["organisation"] = registry.organisation
        record["via_name"] = via.name if via else ""
        for f in _ITEM_FIELDS:
            record[f.out] = _cell(item, f)
    return record


def _contact_cells(contact: Person | None) -> dict[str, str]:
    """The columns a row's contact fills: contact_id, contact and the person's fields."""
    return {
        "contact_id": contact.id if contact else "",
        "contact": contact.name if contact else "",
        **{f.out: _cell(contact, f) for f in _CONTACT_FIELDS},
    }


def _cell(item: Entry | Person | None, field: schema.Field) -> str:
    """A field as one cell: several values joined by '; ', empty when the item has none."""
    value = getattr(item, field.name, None)
    if not value:
        return ""
    return "; ".join(value) if field.is_list else str(value)


_NO_CONTACT = _contact_cells(None)
# The columns _record always makes, in its order.
_HEAD: tuple[str, ...] = ("id", "kind", "name", "via_id", *_NO_CONTACT)


def registry_tree(registry: Registry, rows: Sequence[Row]) -> dict[str, Any]:
    """The sub-registry of rows as TOML data in the registry schema.

    Whatever the kept items refer to comes along (via entries, their contacts, deputies),
    so the result passes 'kvlookup check'. Order follows the source registry.
    """
    entry_ids = {r.item.id for r in rows if isinstance(r.item, Entry)}
    person_ids = {r.item.id for r in rows if isinstance(r.item, Person)}
    for entry_id in list(entry_ids):
        entry_ids.update(e.id for e in registry.via_chain(registry.entries[entry_id]))
    for entry_id in entry_ids:
        person_ids.update(registry.entries[entry_id].contacts)
    pending = list(person_ids)
    while pending:  # a deputy's deputy must exist too
        deputy = registry.people[pending.pop()].deputy
        if deputy and deputy not in person_ids:
            person_ids.add(deputy)
            pending.append(deputy)
    tree: dict[str, Any] = {"schema": SCHEMA}
    if registry.organisation:
        tree["organisation"] = registry.organisation
    people = {p.id: _person_table(p) for p in registry.people.values() if p.id in person_ids}
    if people:
        tree["people"] = people
    for kind, table in ENTRY_TABLES.items():
        chosen = {
            e.id: _entry_table(e)
            for e in registry.entries.values()
            if e.kind == kind and e.id in entry_ids
        }
        if chosen:
            tree[table] = chosen
    return tree


def _person_table(person: Person) -> dict[str, Any]:
    return _table(person, PERSON_FIELDS)


def _entry_table(entry: Entry) -> dict[str, Any]:
    table = _table(entry, ENTRY_FIELDS)
    # An empty list says "no contact is named" on purpose; keep it unless 'via' answers.
    if not entry.contacts and entry.via is not None:
        del table["contacts"]
    return table


def _table(item: Entry | Person, fields: Sequence[schema.Field]) -> dict[str, Any]:
    """An item as its registry table: the fields it has, in the registry's order."""
    table: dict[str, Any] = {}
    for f in fields:
        value = getattr(item, f.name)
        if f.kind == schema.PEOPLE or (value and f.in_registry and f.in_toml_export):
            table[f.name] = _TOML_VALUES.get(f.kind, _same)(value)
    return table


def _same(value: Any) -> Any:
    return value


def _absences(away: Sequence[Absence]) -> list[dict[str, Any]]:
    return [
        {"from": a.start, "to": a.end} | ({"reason": a.reason} if a.reason else {}) for a in away
    ]


# How a value of each kind is written in TOML data; any other kind is as it is.
_TOML_VALUES: Mapping[str, Callable[[Any], Any]] = {
    schema.TEXTS: list,
    schema.PEOPLE: list,
    schema.ABSENCES: _absences,
}


def check_output(path: Path, registry: Path) -> None:
    """UsageError when path names the registry or its backup or lock file, however spelt."""
    from kvlookup.editing.store import sibling

    target = os.path.realpath(path)
    for protected in (registry, sibling(registry, ".bak"), sibling(registry, ".lock")):
        same = target == os.path.realpath(protected)
        with contextlib.suppress(OSError):  # samefile also sees a hard link
            same = same or os.path.samefile(path, protected)
        if same:
            raise UsageError("export.is_registry", path=str(path), registry=str(registry))


def save(path: Path, data: bytes, *, force: bool) -> None:
    """Write data to path atomically, or into a device or pipe; an existing file needs force."""
    from kvlookup import safewrite

    try:
        safewrite.write_output(path, data, overwrite=force)
    except FileExistsError:
        raise UsageError("export.exists", path=str(path)) from None
    except safewrite.SpecialFileError:
        raise UsageError("export.special", path=str(path)) from None
    except OSError as exc:
        raise UsageError(
            "export.cannot_write", path=str(path), detail=exc.strerror or str(exc)
        ) from None
