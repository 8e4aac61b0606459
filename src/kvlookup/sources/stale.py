"""Compare the registry with the synced directory: contacts missing, disabled or differing."""

from __future__ import annotations

from kvlookup.models import Person, Problem, Registry
from kvlookup.sources.config import Directory
from kvlookup.sources.merge import Link, email_of, merge, phone_of
from kvlookup.sources.synced import Snapshot


def findings(registry: Registry, snapshot: Snapshot, directory: Directory) -> list[Problem]:
    """Everything 'kvlookup check --directory' reports, registry people first, then entries."""
    merged = merge(registry, snapshot, directory)
    problems: list[Problem] = []
    file = registry.path.name
    gone: set[str] = set()
    for person in registry.people.values():
        found_link = merged.links.get(person.id)
        if found_link is None:
            continue  # no directory key and no email: nothing to find them by
        where = f"{file}: people.{person.id}"
        problem = _status(person.name, found_link)
        if problem is not None:
            key, params = problem
            problems.append(Problem(where, key, params))
            if key != "directory.ambiguous":
                gone.add(person.id)
            continue
        problems += [
            Problem(where, key, params) for key, params in _differences(person, found_link)
        ]
    for entry in registry.entries.values():
        if entry.contacts and all(c in gone for c in entry.contacts):
            names = ", ".join(
                registry.people[c].name for c in entry.contacts if c in registry.people
            )
            problems.append(
                Problem(
                    f"{file}: {entry.kind}.{entry.id}",
                    "directory.no_contact_left",
                    {"name": entry.name, "contacts": names},
                )
            )
    for entry in merged.registry.entries.values():
        if entry.directory and not entry.contacts:
            problems.append(Problem(entry.directory, "directory.group_empty", {"name": entry.name}))
    return problems + merged.clashes


def _status(name: str, found_link: Link) -> tuple[str, dict[str, object]] | None:
    """Why a linked person is not an active directory person, or None when they are."""
    if not found_link.found:
        return "directory.missing", {"name": name, "key": found_link.key}
    found = found_link.person
    if found is None:
        return "directory.ambiguous", {
            "name": name,
            "key": found_link.key,
            "count": len(found_link.found),
        }
    if found.disabled:
        return "directory.disabled", {"name": name, "dn": found.dn}
    if not found.selected:
        return "directory.left", {"name": name, "dn": found.dn}
    return None


def _differences(person: Person, found_link: Link) -> list[tuple[str, dict[str, object]]]:
    """Phone, email and title that differ between the registry and the directory."""
    found = found_link.person
    assert found is not None
    out: list[tuple[str, dict[str, object]]] = []
    if found.phone and not phone_of(found):
        out.append(("directory.bad_phone", {"dn": found.dn, "value": found.phone}))
    if found.email and not email_of(found):
        out.append(("directory.bad_email", {"dn": found.dn, "value": found.email}))
    pairs = (
        ("phone", person.phone, phone_of(found)),
        ("email", person.email, email_of(found)),
        ("title", person.title, found.title),
    )
    for field, mine, theirs in pairs:
        if mine and theirs and _same(field, mine) != _same(field, theirs):
            out.append(
                (
                    "directory.differs",
                    {"field": field, "registry": mine, "directory": theirs, "dn": found.dn},
                )
            )
    return out


def _same(field: str, value: str) -> str:
    """A value as compared: phones without spaces, emails and titles case-insensitively."""
    if field == "phone":
        return "".join(value.split())
    return value.strip().casefold()
