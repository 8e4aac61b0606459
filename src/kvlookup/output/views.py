"""Views: what a command produced (the View data model), built from core results."""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from kvlookup.i18n import pick
from kvlookup.models import (
    ENTRY_FIELDS,
    PERSON_FIELDS,
    Absence,
    Contact,
    Entry,
    Match,
    Person,
    Registry,
)
from kvlookup.record import Record

if TYPE_CHECKING:
    from kvlookup.contactinfo import PhoneFormat


class Column(Record):
    """A field of a View's records, with how the table shows it."""

    __slots__ = (
        "empty",
        "group",
        "header",
        "human",
        "in_table",
        "key",
        "link",
        "optional",
        "translate",
    )

    def __init__(
        self,
        key: str,  # stable machine name, the CSV/TSV header
        header: str,  # i18n key of the table header
        in_table: bool = True,
        optional: bool = False,  # the table drops it when every record leaves it empty
        translate: str | None = None,  # i18n prefix for values ("kind." -> "aihe")
        link: str | None = None,  # "mailto" or "tel": a terminal hyperlink
        empty: str | None = None,  # i18n key the table shows for an empty value
        # Stacked layout: a field of the block's heading part, shown once for consecutive
        # records that share it (the match, not each of its contacts).
        group: bool = False,
        human: bool = False,  # a sentence for people (table, Markdown); machine formats skip it
    ) -> None:
        self.key = key
        self.header = header
        self.in_table = in_table
        self.optional = optional
        self.translate = translate
        self.link = link
        self.empty = empty
        self.group = group
        self.human = human

    @property
    def is_phone(self) -> bool:
        """True for a phone-number column (Excel must keep it as text)."""
        return self.link == "tel"


class Card(Record):
    """A person as an address book sees them: the data of a vCard or a mutt query line."""

    __slots__ = ("handles", "person")

    def __init__(self, person: Person, handles: tuple[str, ...] = ()) -> None:
        self.person = person
        self.handles = handles  # names of what the person answers for


class Items:
    """A JSON array whose items are made as it is written (render.write_json), never all kept."""

    __slots__ = ("_count", "_make")

    def __init__(self, count: int, make: Callable[[], Iterator[object]]) -> None:
        self._count = count  # known beforehand: "[]" is written for an empty array
        self._make = make

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[object]:
        return self._make()


class View(Record):
    """What a command produced, in every shape a format may need."""

    __slots__ = (
        "about",
        "card_source",
        "columns",
        "document",
        "extra",
        "header",
        "labelled",
        "organisation",
        "records",
        "tree",
    )

    def __init__(
        self,
        columns: tuple[Column, ...],
        records: tuple[Mapping[str, str], ...],  # flat rows: table, CSV, TSV, plain, Markdown
        document: Mapping[str, object],  # JSON
        header: bool = True,  # tabular formats print a header row
        extra: Mapping[str, object] = MappingProxyType({}),
        # vCard and mutt: the people, built only when such a format asks (finding what
        # each person handles scans the registry), and then once (views.cards memoises
        # it); None: the view has no people to write.
        card_source: Callable[[], tuple[Card, ...]] | None = None,
        organisation: str = "",
        tree: Mapping[str, Any] | None = None,  # a registry document (TOML), for exports
        # Records are (label, value) pairs about one item: a terminal shows labelled lines.
        labelled: bool = False,
        # A labelled View a terminal shows first: the person whose responsibilities follow.
        about: "View | None" = None,
    ) -> None:
        self.columns = columns
        self.records = records
        self.document = document
        self.header = header
        self.extra = extra
        self.card_source = card_source
        self.organisation = organisation
        self.tree = tree
        self.labelled = labelled
        self.about = about

    @property
    def cards(self) -> tuple[Card, ...] | None:
        """The people of the view as address-book cards, or None when it has none."""
        return self.card_source() if self.card_source is not None else None


class RenderOptions(Record):
    """Everything beyond the View that shapes output, in one place.

    fields and phone_format are applied when an export View is built; the rest by renderers.
    """

    __slots__ = ("excel", "fields", "header", "phone_format", "raw", "vcard_version", "width")

    def __init__(
        self,
        raw: bool = False,  # CSV/TSV: no guard against spreadsheet formulas
        excel: bool = False,  # CSV only: Finnish-locale Excel's BOM, ';', phones as text
        header: bool = True,  # header row; mutt's informational first line
        vcard_version: Literal["3.0", "4.0"] = "3.0",
        phone_format: "PhoneFormat | None" = None,  # None: as stored in the registry
        fields: tuple[str, ...] | None = None,  # None: the View's default columns
        width: int | None = None,  # table width; None: the terminal's
    ) -> None:
        self.raw = raw
        self.excel = excel
        self.header = header
        self.vcard_version = vcard_version
        self.phone_format = phone_format
        self.fields = fields
        self.width = width


# The JSON contract's version: 2 added matched_field to each 'who' match; 3 gave each
# contact its own absence ("away") in place of the ambiguous "reason"; 4 named fields as
# every output names them (title_fi, description_fi, via_id; README "Field names").
SCHEMA = 4

# The table's title is the one in the reader's language; machine formats carry both.
_TITLES = (
    Column("title", "col.title", human=True),
    Column("title_fi", "col.title_fi", in_table=False),
    Column("title_en", "col.title_en", in_table=False),
)

_WHO_COLUMNS = (
    Column("id", "col.id", in_table=False, group=True),
    Column("name", "col.topic", group=True),
    Column("kind", "col.kind", translate="kind.", group=True),
    Column("via_name", "col.via", optional=True, group=True),
    Column("contact_id", "col.id", in_table=False),
    Column("contact", "col.contact", empty="who.none_named"),
    Column("stands_in_for", "col.deputy", in_table=False),
    Column("note", "col.note", optional=True, human=True),
    *_TITLES[:2],
    Column("phone", "col.phone", link="tel"),
    Column("email", "col.email", link="mailto"),
    # After the email, so that `cut -f6` (contact) and `cut -f10` (email) of schema 3
    # still find what they found.
    _TITLES[2],
    Column("via_id", "col.via_id", in_table=False, group=True),
    Column("away_until", "col.away", in_table=False),
    Column("score", "col.score", in_table=False),
    Column("matched_field", "col.matched_field", translate="field.", group=True),
)
# Fields that name an item: a match found there needs no "Found in" column in a table.
_BY_NAME = frozenset({"name", "alias"})


# The fields the JSON of a person as a contact, and of an entry, carries (Field.in_json).
_PERSON_JSON = tuple(f for f in PERSON_FIELDS if f.in_json)
_ENTRY_JSON = tuple(f for f in ENTRY_FIELDS if f.in_json)


def person_json(person: Person) -> dict[str, object]:
    """A person as the JSON contract shows a contact."""
    return {"id": person.id} | {f.out: _json(getattr(person, f.name)) for f in _PERSON_JSON}


def _json(value: object) -> object:
    """A field's value as JSON holds it: a list for several values, a date as YYYY-MM-DD."""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def contact_json(contact: Contact) -> dict[str, object]:
    """A contact of a match: the person, whom they stand in for, and their own absence."""
    away = contact.away
    return person_json(contact.person) | {
        "stands_in_for": contact.stands_in_for.id if contact.stands_in_for else None,
        "away": None
        if away is None
        else {"from": str(away.start), "until": str(away.end), "reason": away.reason},
    }


def match_json(match: Match) -> dict[str, object]:
    """One match in the stable 'who' JSON shape."""
    return {
        "id": match.id,
        "name": match.name,
        "kind": match.kind,
        "score": match.score,
        "matched": match.matched,
        "matched_field": match.matched_field,
        "via_id": match.via,
        "contacts": [contact_json(c) for c in match.contacts],
    }


def _note(contact: Contact, lang: str) -> str:
    """What a reader must know about a contact today: away, or standing in for someone."""
    from kvlookup.i18n import as_lang, short_day, t

    ui = as_lang(lang) or "en"
    if contact.stands_in_for is not None:
        return t(ui, "who.stands_in", name=contact.stands_in_for.name)
    if contact.away is not None:
        reason = f", {contact.away.reason}" if contact.away.reason else ""
        return t(ui, "who.away", until=short_day(contact.away.end), reason=reason)
    return ""


def _title(person: Person, lang: str) -> str:
    return pick(lang, person.title, person.title_en)


def _titles(person: Person | None, lang: str) -> dict[str, str]:
    """The title columns of a record: the reader's for the table, then both languages."""
    if person is None:
        return dict.fromkeys(("title", "title_fi", "title_en"), "")
    return {"title": _title(person, lang), "title_fi": person.title, "title_en": person.title_en}


def who(query: str, matches: Sequence[Match], registry: Registry, lang: str) -> View:
    """The answer to 'who': one record per (match, contact) pair."""
    records: list[dict[str, str]] = []
    for m in matches:
        base = {
            "id": m.id,
            "name": m.name,
            "kind": m.kind,
            "via_id": m.via or "",
            "via_name": _name_of(registry, m.via),
            "score": f"{m.score:.2f}",
            "matched_field": m.matched_field,
        }
        if not m.contacts:
            records.append(
                base
                | dict.fromkeys(
                    ("contact_id", "contact", "title", "title_fi", "title_en", "phone", "email"),
                    "",
                )
            )
        for c in m.contacts:
            records.append(
                base
                | {
                    "contact_id": c.person.id,
                    "contact": c.person.name,
                    "stands_in_for": c.stands_in_for.id if c.stands_in_for else "",
                    "note": _note(c, lang),
                    "away_until": str(c.away.end) if c.away else "",
                    **_titles(c.person, lang),
                    "phone": c.person.phone,
                    "email": c.person.email,
                }
            )
    document = {"schema": SCHEMA, "query": query, "matches": [match_json(m) for m in matches]}
    people = [c.person for m in matches for c in m.contacts]
    # The table says where a match was found only when some match was not found by name,
    # so that an answer found in a description or a title can be judged.
    found_in = any(m.matched_field not in _BY_NAME for m in matches)
    columns = tuple(
        c._replace(in_table=found_in) if c.key == "matched_field" else c for c in _WHO_COLUMNS
    )
    return View(
        columns,
        tuple(records),
        document,
        card_source=cards(registry, people),
        organisation=registry.organisation,
    )


def cards(registry: Registry, people: Iterable[Person]) -> Callable[[], tuple[Card, ...]]:
    """A thunk for each person once, in order, with what they answer for (vCard and mutt)."""
    unique: dict[str, Person] = {}
    for person in people:
        unique.setdefault(person.id, person)

    @cache  # a format may count the cards, then write them
    def build() -> tuple[Card, ...]:
        handles = registry.handled_by_each(unique)
        return tuple(Card(p, tuple(e.name for e, _ in handles[p.id])) for p in unique.values())

    return build


def _name_of(registry: Registry, item_id: str | None) -> str:
    item = registry.get(item_id) if item_id else None
    return item.name if item else ""


_LIST_COLUMNS = (
    Column("id", "col.id"),
    Column("kind", "col.kind", translate="kind."),
    Column("name", "col.name", group=True),
    Column("contacts", "col.contacts", optional=True),
    *(c._replace(optional=True) for c in _TITLES),
    Column("phone", "col.phone", optional=True, link="tel"),
    Column("email", "col.email", optional=True, link="mailto"),
)


def listing(registry: Registry, items: Iterable[Entry | Person], lang: str = "en") -> View:
    """Entries and people, one record each."""
    records: list[dict[str, str]] = []
    docs: list[dict[str, object]] = []
    listed: list[Person] = []
    for item in items:
        if isinstance(item, Entry):
            people, _ = registry.contacts_of(item)
            listed.extend(people)
            records.append(
                {
                    "id": item.id,
                    "kind": item.kind,
                    "name": item.name,
                    "contacts": "; ".join(p.name for p in people),
                    **_titles(None, lang),
                    "phone": "",
                    "email": "",
                }
            )
            docs.append(entry_json(registry, item))
        else:
            records.append(
                {
                    "id": item.id,
                    "kind": "person",
                    "name": item.name,
                    "contacts": "",
                    **_titles(item, lang),
                    "phone": item.phone,
                    "email": item.email,
                }
            )
            docs.append(person_json(item) | {"kind": "person"})
            listed.append(item)
    return View(
        _LIST_COLUMNS,
        tuple(records),
        {"schema": SCHEMA, "items": docs},
        card_source=cards(registry, listed),
        organisation=registry.organisation,
    )


def entry_json(
    registry: Registry,
    entry: Entry,
    contact: Callable[[Person], dict[str, object]] = person_json,
) -> dict[str, object]:
    """Everything about an entry, with its resolved contacts (each written by contact)."""
    people, through = registry.contacts_of(entry)
    # One dict filled in place, not three merged: an export makes one per entry (at 100k
    # entries, 0.48 s instead of 0.67 s).
    found: dict[str, object] = {"id": entry.id, "kind": entry.kind}
    for f in _ENTRY_JSON:
        value = getattr(entry, f.name)
        found[f.out] = value if type(value) is str else _json(value)
    found["contacts_via_id"] = through.id if through else None
    found["contacts"] = [contact(p) for p in people]
    return found


_DETAIL_COLUMNS = (
    Column("field", "col.field", translate="col."),
    Column("value", "col.value"),
)


def detail(registry: Registry, item: Entry | Person, lang: str) -> View:
    """Everything about one entry or person, as field/value records, in both languages.

    A field with several values (aliases, contacts, absences) has one record per value, so
    a terminal shows one per line and a script reads them without splitting.
    """
    fields: list[tuple[str, str]] = [("name", item.name), ("id", item.id), ("kind", item.kind)]
    if isinstance(item, Entry):
        people, through = registry.contacts_of(item)
        fields += [("alias", a) for a in item.aliases]
        fields += [("description_fi", item.description), ("description_en", item.description_en)]
        fields.append(("via_name", " → ".join(e.name for e in registry.via_chain(item))))
        reached = [e for e in registry.entries.values() if e.via == item.id]
        fields += [("reached", e.name) for e in reached]
        fields.append(("contacts_via_name", through.name if through else ""))
        for person in people:
            fields += [
                ("contact", person.name),
                ("title_fi", person.title),
                ("title_en", person.title_en),
                ("phone", person.phone),
                ("email", person.email),
            ]
            fields += [("away", absence_text(a, lang)) for a in person.away]
        document: dict[str, object] = entry_json(registry, item) | {
            "reached_through": [e.id for e in reached]
        }
        shown = list(people)
    else:
        handles = registry.handled_by(item.id)
        deputy_for = [p for p in registry.people.values() if p.deputy == item.id]
        fields += [
            ("title_fi", item.title),
            ("title_en", item.title_en),
            ("phone", item.phone),
            ("email", item.email),
        ]
        fields += [("alias", a) for a in item.aliases]
        fields.append(("deputy", _name_of(registry, item.deputy)))
        fields += [("deputy_for", p.name) for p in deputy_for]
        fields += [("away", absence_text(a, lang)) for a in item.away]
        fields += [("handles", f"{e.name} ({via.name})" if via else e.name) for e, via in handles]
        document = person_json(item) | {
            "kind": "person",
            "aliases": list(item.aliases),
            "deputy": item.deputy,
            "deputy_for": [p.id for p in deputy_for],
            "away": [
                {"from": str(a.start), "to": str(a.end), "reason": a.reason} for a in item.away
            ],
            "handles": [_handled_json(e, via) for e, via in handles],
        }
        shown = [item]
    if item.source:  # only once a directory is merged in: registry-only output is unchanged
        fields.append(("source", _source_text(item)))
        document = document | {"source": dict(item.source), "directory": item.directory or None}
    records = tuple({"field": k, "value": v} for k, v in fields if v)
    return View(
        _DETAIL_COLUMNS,
        records,
        {"schema": SCHEMA, "item": document},
        card_source=cards(registry, shown),
        organisation=registry.organisation,
        labelled=True,
    )


def _source_text(item: Entry | Person) -> str:
    """'phone, email: directory (uid=...); name: registry' for the detail view."""
    by_origin: dict[str, list[str]] = {}
    for field, origin in item.source:
        by_origin.setdefault(origin, []).append(field)
    parts = []
    for origin, fields in by_origin.items():
        where = f" ({item.directory})" if origin == "directory" and item.directory else ""
        parts.append(f"{', '.join(fields)}: {origin}{where}")
    return "; ".join(parts)


def absence_text(absence: Absence, lang: str) -> str:
    """An absence as a person reads it: "1.12.2026–8.12.2026 loma" (ISO dates in English)."""
    from kvlookup.i18n import day

    return f"{day(lang, absence.start)}–{day(lang, absence.end)} {absence.reason}".strip()


def _handled_json(entry: Entry, via: Entry | None) -> dict[str, object]:
    return {
        "id": entry.id,
        "kind": entry.kind,
        "name": entry.name,
        "via_id": via.id if via else None,
    }


_WHOIS_COLUMNS = (
    Column("id", "col.id", in_table=False, group=True),
    Column("name", "col.topic", group=True),
    Column("kind", "col.kind", translate="kind.", group=True),
    Column("via_name", "col.via", optional=True, group=True),
    Column("via_id", "col.via_id", in_table=False, group=True),
)


def whois(registry: Registry, person: Person, lang: str = "en") -> View:
    """What one person handles, directly or through a via entry."""
    handles = registry.handled_by(person.id)
    records = tuple(
        {
            "id": e.id,
            "name": e.name,
            "kind": e.kind,
            "via_name": via.name if via else "",
            "via_id": via.id if via else "",
        }
        for e, via in handles
    )
    document: Mapping[str, object] = {
        "schema": SCHEMA,
        "person": person_json(person),
        "handles": [_handled_json(e, via) for e, via in handles],
    }
    about = (
        ("name", person.name),
        ("title", _title(person, lang)),
        ("phone", person.phone),
        ("email", person.email),
    )
    return View(
        _WHOIS_COLUMNS,
        records,
        document,
        card_source=cards(registry, [person]),
        organisation=registry.organisation,
        about=View(
            _DETAIL_COLUMNS,
            tuple({"field": k, "value": v} for k, v in about if v),
            {},
            labelled=True,
        ),
    )
