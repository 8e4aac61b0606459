"""Merge a synced directory into a registry: link and enrich people, add groups as entries.

The registry stays the authority on who handles what; the directory is the authority on
phone numbers, email addresses and titles of the people it knows. Each merged value says
where it came from (Person.source, Entry.source). A directory group whose name or alias is
already the registry's is left out and reported (`clashes`), never silently renamed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from kvlookup.models import Entry, Person, Problem, Registry
from kvlookup.search import text
from kvlookup.sources.config import Directory
from kvlookup.sources.synced import DirectoryPerson, Snapshot

DIRECTORY = "directory"
REGISTRY = "registry"
# Fields enrichment may take from the directory, in the order source lists them.
ENRICHED = ("title", "title_en", "phone", "email")
# What a directory group gives an entry.
ENTRY_FIELDS = ("name", "aliases", "contacts")


class Link(NamedTuple):
    """How one registry person is found in the directory, and what was found."""

    attribute: str  # lowercased
    value: str
    found: tuple[DirectoryPerson, ...]

    @property
    def key(self) -> str:
        """The key as the registry writes it: uid=hkoponen, or mail=... for an email."""
        return f"{self.attribute}={self.value}"

    @property
    def person(self) -> DirectoryPerson | None:
        """The one directory person this key names (an active one first), or None."""
        if len(self.found) == 1:
            return self.found[0]
        active = [p for p in self.found if p.selected and not p.disabled]
        return active[0] if len(active) == 1 else None

    @property
    def active(self) -> bool:
        """True when the directory has this person among its people, enabled."""
        found = self.person
        return found is not None and found.selected and not found.disabled


class Merged(NamedTuple):
    """A merged registry, how each registry person was linked, and the clashes left out."""

    registry: Registry
    links: Mapping[str, Link]
    clashes: list[Problem]


def key_of(person: Person, email_attribute: str) -> tuple[str, str] | None:
    """The (attribute, value) a registry person is found by: their directory key, else email."""
    key = person.directory
    if key and "=" in key and "@" not in key.split("=", 1)[0]:
        attribute, value = key.split("=", 1)
        return attribute.lower(), value
    if key:
        return email_attribute.lower(), key
    if person.email and email_attribute:
        return email_attribute.lower(), person.email
    return None


def links_wanted(registry: Registry, directory: Directory) -> list[tuple[str, str]]:
    """The keys of every registry person who can be linked, for the sync to fetch."""
    pairs = (key_of(p, directory.attributes.email) for p in registry.people.values())
    return sorted({pair for pair in pairs if pair is not None})


def link(registry: Registry, snapshot: Snapshot, directory: Directory) -> dict[str, Link]:
    """Each linkable registry person's key and the directory people it finds."""
    by_key: dict[tuple[str, str], list[DirectoryPerson]] = {}
    for entry in snapshot.people:
        for attribute, values in entry.keys.items():
            for value in values:
                by_key.setdefault((attribute.lower(), value.casefold()), []).append(entry)
    out: dict[str, Link] = {}
    for person in registry.people.values():
        pair = key_of(person, directory.attributes.email)
        if pair is not None:
            found = tuple(by_key.get((pair[0], pair[1].casefold()), ()))
            out[person.id] = Link(pair[0], pair[1], found)
    return out


def phone_of(person: DirectoryPerson) -> str:
    """The directory's phone when it is in the registry's stored form (sync normalises it)."""
    from kvlookup.contactinfo import is_phone_form

    return person.phone if is_phone_form(person.phone) else ""


def email_of(person: DirectoryPerson) -> str:
    """The directory's email when it is a plausible address, else ""."""
    from kvlookup.contactinfo import is_email

    return person.email if is_email(person.email) else ""


def merge(registry: Registry, snapshot: Snapshot, directory: Directory) -> Merged:
    """The registry with the directory merged in (see the module docstring)."""
    links = link(registry, snapshot, directory)
    people: dict[str, Person] = {}
    taken: set[str] = set(registry.people) | set(registry.entries)
    # Directory DN (casefolded) -> the id of the person who answers for it.
    by_dn: dict[str, str] = {}
    for person in registry.people.values():
        found = links[person.id].person if person.id in links else None
        if found is not None and found.selected and not found.disabled:
            by_dn[found.dn.casefold()] = person.id
            people[person.id] = _enriched(person, found)
        else:
            people[person.id] = person._replace(source=_sources(person, ()))
    for found in snapshot.people:
        if not found.selected or found.disabled or found.dn.casefold() in by_dn:
            continue
        pid = _unique(slug(found.id or found.name, "person"), taken)
        by_dn[found.dn.casefold()] = pid
        people[pid] = Person(
            id=pid,
            name=found.name,
            title=found.title,
            title_en=found.title_en,
            phone=phone_of(found),
            email=email_of(found),
            directory=found.dn,
            source=tuple((f, DIRECTORY) for f in ("name", *ENRICHED) if getattr(found, f, "")),
        )
    entries: dict[str, Entry] = {
        e.id: e._replace(source=tuple((f, REGISTRY) for f in ENTRY_FIELDS))
        for e in registry.entries.values()
    }
    owners = _labels(registry)
    clashes: list[Problem] = []
    member_of: dict[str, list[str]] = {}
    for found in snapshot.people:
        for group_dn in found.member_of:
            member_of.setdefault(group_dn.casefold(), []).append(found.dn)
    for group in snapshot.groups:
        where = group.dn
        name = group.names[0]
        name_key = _label_key(name)
        if not name_key:
            continue
        if name_key in owners:
            clashes.append(
                Problem(where, "directory.clash", {"name": name, "other": owners[name_key]})
            )
            continue
        eid = _unique(slug(name, "group"), taken)
        owners[name_key] = eid
        aliases: list[str] = []
        for alias in (*group.names[1:], *group.descriptions):
            key = _label_key(alias)
            if not key or key == name_key or alias in aliases:
                continue
            if key in owners:
                if owners[key] != eid:
                    clashes.append(
                        Problem(where, "directory.clash", {"name": alias, "other": owners[key]})
                    )
                continue
            owners[key] = eid
            aliases.append(alias)
        members = [*group.members, *member_of.get(group.dn.casefold(), ())]
        contacts = tuple(
            dict.fromkeys(by_dn[m.casefold()] for m in members if m.casefold() in by_dn)
        )
        entries[eid] = Entry(
            id=eid,
            kind=group.kind,
            name=name,
            aliases=tuple(aliases),
            contacts=contacts,
            directory=group.dn,
            source=tuple((f, DIRECTORY) for f in ENTRY_FIELDS),
        )
    merged = Registry(registry.path, people, entries, registry.organisation)
    return Merged(merged, links, clashes)


def _enriched(person: Person, found: DirectoryPerson) -> Person:
    """A registry person with the directory's title, phone and email where it has them."""
    values = {
        "title": found.title,
        "title_en": found.title_en,
        "phone": phone_of(found),
        "email": email_of(found),
    }
    taken = tuple(f for f in ENRICHED if values[f])
    kept = {f: values[f] or getattr(person, f) for f in ENRICHED}
    return person._replace(
        title=kept["title"],
        title_en=kept["title_en"],
        phone=kept["phone"],
        email=kept["email"],
        source=_sources(person, taken),
    )


def _sources(person: Person, from_directory: Iterable[str]) -> tuple[tuple[str, str], ...]:
    chosen = set(from_directory)
    return tuple(
        (f, DIRECTORY if f in chosen else REGISTRY)
        for f in ("name", *ENRICHED)
        if f in chosen or getattr(person, f)
    )


def _label_key(label: str) -> str:
    """A label as the registry compares names and aliases for duplicates."""
    return " ".join(text.tokens(label))


def _labels(registry: Registry) -> dict[str, str]:
    """Every entry name and alias, and every person alias, of the registry -> its owner's id."""
    owners: dict[str, str] = {}
    for entry in registry.entries.values():
        for label in (entry.name, *entry.aliases):
            if key := _label_key(label):
                owners.setdefault(key, entry.id)
    for person in registry.people.values():
        for label in person.aliases:
            if key := _label_key(label):
                owners.setdefault(key, person.id)
    return owners


def slug(value: str, fallback: str) -> str:
    """An id made of a name, as import makes them: 'Päivänen' -> 'paivanen', 'Иван' -> 'ivan'."""
    from kvlookup.editing.importer import slug as import_slug  # one rule for ids made of names

    made = import_slug(value)
    return fallback if made == "item" else made  # "item": nothing of the name was usable


def _unique(candidate: str, taken: set[str]) -> str:
    """candidate, or candidate-2, -3, ... when taken; the result is added to taken."""
    chosen, n = candidate, 1
    while chosen in taken:
        n += 1
        chosen = f"{candidate}-{n}"
    taken.add(chosen)
    return chosen
