"""Frozen value types shared by every layer: people, entries, the registry and search matches.

Person and Entry are typed NamedTuples: their annotated fields are the field schema
(schema.py), and a NamedTuple is as immutable as a frozen dataclass without compiling
methods at import (about 0.7 ms per dataclass, at every `kvlookup who`). The other values
are record.Record classes, which cost a class statement at import, where a NamedTuple class
compiles its constructor (0.1-0.4 ms each).
"""

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Literal, NamedTuple

from kvlookup.record import Record
from kvlookup.schema import (
    ABSENCES,
    DAY,
    DIRECTORY_KEY,
    EMAIL,
    ENTRY,
    ORIGINS,
    PEOPLE,
    PERSON,
    PHONE,
    TEXT,
    TEXTS,
    Field,
    fields_of,
)

EntryKind = Literal["topic", "project", "network"]
Kind = Literal["topic", "project", "network", "person"]

# Table names in the TOML file, in the order they are written and listed.
ENTRY_TABLES: Mapping[EntryKind, str] = {
    "topic": "topics",
    "project": "projects",
    "network": "networks",
}
KINDS: tuple[Kind, ...] = ("topic", "project", "network", "person")
# The kinds as people type them, in English and Finnish (and henkilo, without ä/ö):
# --kind, export filters and directory groups all read them here.
KIND_WORDS: Mapping[str, Kind] = {
    "topic": "topic",
    "aihe": "topic",
    "project": "project",
    "hanke": "project",
    "network": "network",
    "verkosto": "network",
    "person": "person",
    "henkilö": "person",
    "henkilo": "person",
}

# Fields kept in the registry, and so in a TOML export of it, but in no export column or JSON.
_UNSHOWN: dict[str, bool] = {"column": False, "in_json": False}
# Fields only a directory merge adds (kvlookup.sources.merge): no command sets them, and a
# TOML export, being a registry, leaves them out.
_MERGED: dict[str, object] = {
    **_UNSHOWN,
    "in_toml_export": False,
    "command": "",
    "in_registry": False,
}


class Absence(Record):
    """A period (inclusive) when a person is away, with an optional reason."""

    __slots__ = ("end", "reason", "start")

    def __init__(self, start: date, end: date, reason: str = "") -> None:
        self.start = start
        self.end = end
        self.reason = reason

    def covers(self, day: date) -> bool:
        """True when day falls inside the absence."""
        return self.start <= day <= self.end


class Person(NamedTuple):
    """A contact person; each field's Field says how every layer treats it (schema.py)."""

    id: str
    name: Annotated[str, Field(TEXT, required=True, column=False)]
    title: Annotated[str, Field(TEXT, lang="fi", key="title_fi")] = ""
    title_en: Annotated[str, Field(TEXT, lang="en")] = ""
    phone: Annotated[str, Field(PHONE)] = ""
    email: Annotated[str, Field(EMAIL)] = ""
    aliases: Annotated[tuple[str, ...], Field(TEXTS, column=False, in_json=False)] = ()
    deputy: Annotated[str | None, Field(PERSON, column=False, in_json=False)] = None
    away: Annotated[
        tuple[Absence, ...], Field(ABSENCES, command="away", column=False, in_json=False)
    ] = ()
    # The directory key ("uid=hkoponen" or an email address) in the registry; the DN for a
    # person who comes from the directory alone.
    directory: Annotated[str, Field(DIRECTORY_KEY, **_UNSHOWN)] = ""
    # (field, "directory" or "registry") pairs once a directory is merged in; empty when
    # every value is the registry's.
    source: Annotated[tuple[tuple[str, str], ...], Field(ORIGINS, **_MERGED)] = ()

    @property
    def kind(self) -> Literal["person"]:
        """Always "person": people and entries share the kind attribute."""
        return "person"

    def absence_on(self, day: date) -> Absence | None:
        """The absence covering day, if any."""
        return next((a for a in self.away if a.covers(day)), None)


class Entry(NamedTuple):
    """A topic, project or network and who handles it; fields as in Person."""

    id: str
    kind: EntryKind
    name: Annotated[str, Field(TEXT, required=True, column=False)]
    aliases: Annotated[tuple[str, ...], Field(TEXTS)] = ()
    description: Annotated[str, Field(TEXT, lang="fi", key="description_fi")] = ""
    description_en: Annotated[str, Field(TEXT, lang="en")] = ""
    # Its JSON lists the people themselves (views.entry_json), not their ids.
    contacts: Annotated[
        tuple[str, ...], Field(PEOPLE, command="assign", column=False, in_json=False)
    ] = ()
    via: Annotated[str | None, Field(ENTRY, column=False, key="via_id")] = None
    # When someone last confirmed the entry is right.
    reviewed: Annotated[date | None, Field(DAY, **_UNSHOWN)] = None
    directory: Annotated[str, Field(TEXT, **_MERGED)] = ""  # the DN of its directory group
    source: Annotated[tuple[tuple[str, str], ...], Field(ORIGINS, **_MERGED)] = ()  # as Person's


PERSON_FIELDS = fields_of(Person)
ENTRY_FIELDS = fields_of(Entry)


class Problem(Record):
    """One validation finding, located by file:line and/or key path."""

    __slots__ = ("key", "location", "params")

    def __init__(
        self, location: str, key: str, params: Mapping[str, object] = MappingProxyType({})
    ) -> None:
        self.location = location
        self.key = key
        self.params = params


class Registry(Record):
    """A validated registry: people and entries by id."""

    __slots__ = ("entries", "organisation", "path", "people")

    def __init__(
        self,
        path: Path,
        people: Mapping[str, Person],
        entries: Mapping[str, Entry],
        organisation: str = "",
    ) -> None:
        self.path = path
        self.people = people
        self.entries = entries
        self.organisation = organisation

    def get(self, item_id: str) -> Person | Entry | None:
        """The person or entry with this id."""
        return self.people.get(item_id) or self.entries.get(item_id)

    def via_chain(self, entry: Entry) -> list[Entry]:
        """The entries this one is reached through, nearest first."""
        chain: list[Entry] = []
        current = entry
        while current.via is not None and current.via in self.entries:
            current = self.entries[current.via]
            if current in chain or current == entry:
                break  # validation rejects cycles; this only guards an unvalidated registry
            chain.append(current)
        return chain

    def contacts_of(self, entry: Entry) -> tuple[tuple[Person, ...], Entry | None]:
        """The people who answer for an entry and the entry they come through, if not itself."""
        if entry.contacts:
            return tuple(self.people[c] for c in entry.contacts if c in self.people), None
        chain = self.via_chain(entry)
        for hop in chain:
            if hop.contacts:
                return tuple(self.people[c] for c in hop.contacts if c in self.people), hop
        return (), (chain[-1] if chain else None)

    def listed(self, kind: Kind | None = None) -> list[Entry | Person]:
        """Entries by kind then name, then people by name; only one kind when given."""
        entries = sorted(
            (e for e in self.entries.values() if kind in (None, e.kind)),
            key=lambda e: (KINDS.index(e.kind), e.name.casefold()),
        )
        people = (
            sorted(self.people.values(), key=lambda p: p.name.casefold())
            if kind in (None, "person")
            else []
        )
        return [*entries, *people]

    def handled_by(self, person_id: str) -> list[tuple[Entry, Entry | None]]:
        """Entries this person answers for, directly or through a via entry."""
        return self.handled_by_each([person_id])[person_id]

    def handled_by_each(
        self, person_ids: Iterable[str]
    ) -> dict[str, list[tuple[Entry, Entry | None]]]:
        """handled_by for several people in one pass over the entries."""
        out: dict[str, list[tuple[Entry, Entry | None]]] = {pid: [] for pid in person_ids}
        for entry in self.entries.values():
            people, through = self.contacts_of(entry)
            for person in people:
                if person.id in out:
                    out[person.id].append((entry, through))
        return out


class Contact(Record):
    """A person as presented for one match, possibly standing in for someone away."""

    __slots__ = ("away", "person", "reason", "stands_in_for")

    def __init__(
        self,
        person: Person,
        stands_in_for: Person | None = None,
        reason: str = "",  # why stands_in_for is away
        away: "Absence | None" = None,  # this person's own absence on the day asked about
    ) -> None:
        self.person = person
        self.stands_in_for = stands_in_for
        self.reason = reason
        self.away = away


class Match(Record):
    """One search answer: the entry or person found and who to contact."""

    __slots__ = ("contacts", "id", "kind", "matched", "matched_field", "name", "score", "via")

    def __init__(
        self,
        id: str,
        kind: Kind,
        name: str,
        score: float,
        matched: str,
        # Where the match was found: name, alias, title, description, email or phone.
        matched_field: str,
        via: str | None,
        contacts: tuple[Contact, ...],
    ) -> None:
        self.id = id
        self.kind = kind
        self.name = name
        self.score = score
        self.matched = matched
        self.matched_field = matched_field
        self.via = via
        self.contacts = contacts
