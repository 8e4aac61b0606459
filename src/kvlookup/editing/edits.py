"""Registry edits (add, assign, remove, rename, set, away), checked before anything is written."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from kvlookup import collector
from kvlookup.contactinfo import InvalidValue, normalise_email, normalise_phone
from kvlookup.editing import store
from kvlookup.editing.tomledit import LayoutError, TablePath, TomlText
from kvlookup.errors import InvalidInput, RegistryError, UsageError, WriteError
from kvlookup.models import (
    ENTRY_FIELDS,
    ENTRY_TABLES,
    PERSON_FIELDS,
    Entry,
    EntryKind,
    Person,
    Registry,
)
from kvlookup.schema import DAY, DIRECTORY_KEY, EMAIL, ENTRY, PEOPLE, PERSON, PHONE, TEXTS, Field
from kvlookup.search import ranking, text
from kvlookup.search.index import is_noise, labels
from kvlookup.sources import registry as reg

# Fields 'kvlookup set' changes; contacts, away and the id have commands of their own.
PERSON_SETTABLE = tuple(f for f in PERSON_FIELDS if f.settable)
ENTRY_SETTABLE = tuple(f for f in ENTRY_FIELDS if f.settable)
_OWN_COMMAND = {"id": "rename"} | {
    f.name: f.command for f in (*PERSON_FIELDS, *ENTRY_FIELDS) if f.command not in ("set", "")
}
# List fields whose items 'kvlookup set --add/--remove' change one at a time.
PERSON_LISTS = tuple(f.name for f in PERSON_FIELDS if f.kind in (TEXTS, PEOPLE) and f.in_registry)
ENTRY_LISTS = tuple(f.name for f in ENTRY_FIELDS if f.kind in (TEXTS, PEOPLE) and f.in_registry)

Item = Person | Entry


def path_of(item: Item) -> TablePath:
    """The table an item is written in: ("people", id) or ("topics", id) and so on."""
    if isinstance(item, Person):
        return ("people", item.id)
    return (ENTRY_TABLES[item.kind], item.id)


def phone(raw: str) -> str:
    """A phone number in international form; UsageError for letters or impossible numbers."""
    try:
        return normalise_phone(raw)
    except InvalidValue:
        raise UsageError("edit.bad_phone", value=raw) from None


def email(raw: str) -> str:
    """An email address with [at] and (dot) undone; UsageError when it is not an address."""
    try:
        return normalise_email(raw)
    except InvalidValue:
        raise UsageError("edit.bad_email", value=raw) from None


class RegistryEdit:
    """One registry text under edit: names resolve against it, and it is checked at the end.

    The text is parsed and checked once. After an edit only the items it touched are read
    again, and their names re-indexed: re-reading the whole registry after every edit made
    an import of 300 rows into 5,000 entries take 11 minutes.
    """

    def __init__(self, text: str, path: Path) -> None:
        self.path = path
        with collector.paused():
            data = reg.parse(text, path)
            # A registry that fails 'check' is fixed first (kvlookup edit): an edit on top
            # of it could not be told apart from the problems already there.
            # The owners of names are kept for result(), which checks only what changed.
            self._owners: dict[str, str] = {}
            registry = reg.check_data(data, text, path, allow_empty=True, owners=self._owners)
            try:
                # With the collector paused too: 100,000 cells made beside the parsed data
                # had it rescan that data again and again (0.7 s of 1.4 s at 100k entries).
                self.toml = TomlText(text, data)
            except LayoutError as exc:
                raise WriteError("edit.layout", path=path, detail=str(exc)) from None
        self._registry = registry
        self._people = dict(registry.people)
        self._entries = dict(registry.entries)
        self._ids = _ids(registry)
        self._names: _Names | None = None
        self._emails: dict[str, list[str]] | None = None  # see person_with_email
        self._stale: set[tuple[str, str]] = set()
        self._edited: set[str] = set()  # ids of every item an edit touched
        self._start = self.toml.text

    @property
    def changed(self) -> bool:
        """True once an edit has altered the text."""
        return self.toml.text != self._start

    @property
    def registry(self) -> Registry:
        """The registry as the text now stands (each item checked on its own)."""
        if self._stale:
            while self._stale:
                # Stale until read: an item that fails is failed again next time, never
                # taken as read (result() relies on every item having been checked).
                table, item_id = next(iter(self._stale))
                self._refresh(table, item_id)
                self._stale.discard((table, item_id))
            self._registry = self._registry._replace(people=self._people, entries=self._entries)
        return self._registry

    def _refresh(self, table: str, item_id: str) -> None:
        """Read one item again from the edited data (gone when its table was removed)."""
        items: dict[str, Any] = self._people if table == "people" else self._entries
        old = items.pop(item_id, None)
        if old is not None and self._names is not None:
            self._names.remove(item_id)
        if isinstance(old, Person) and old.email and self._emails is not None:
            self._emails[old.email.casefold()].remove(item_id)
        body = self.toml.data.get(table, {}).get(item_id)
        if body is None:
            return
        try:
            item = reg.item_of(self.path, table, item_id, body)
        except RegistryError as exc:
            raise InvalidInput(exc.problems, "edit.invalid", path=self.path) from None
        items[item_id] = item
        if self._names is not None:
            self._names.add(item)
        if isinstance(item, Person) and item.email and self._emails is not None:
            # Last in the list as it is last in people: the lists keep the people's order.
            self._emails.setdefault(item.email.casefold(), []).append(item_id)

    def result(self) -> str:
        """The edited text, if it passes everything 'kvlookup check' checks.

        UsageError when it keeps fewer than half of the people and entries there were.
        """
        text = self.toml.result()
        try:
            # The data the text parses to: every edit was verified on the text it changed,
            # so the result is checked without parsing all of it again.
            with collector.paused():
                after = self._checked(text)
        except RegistryError as exc:
            raise InvalidInput(exc.problems, "edit.invalid", path=self.path) from None
        store.guard_loss(self.path, self._ids, _ids(after))
        return text

    def _checked(self, text: str) -> Registry:
        """The edited registry, if it passes check_data; RegistryError otherwise.

        The registry passed when it was read, so only what the edits changed is checked
        again; should that fail, all of it is, so that problems read as 'check' says them.
        """
        try:
            edited: Registry | None = self.registry
        except InvalidInput:
            edited = None  # an item fails on its own
        if edited is not None and reg.still_passes(
            self.toml.data, edited, self._owners, self._edited
        ):
            return edited
        return reg.check_data(self.toml.data, text, self.path)

    # --- names -------------------------------------------------------------------

    def item(self, name: str) -> Item:
        """The entry or person an id or exact name means; never a guess."""
        registry = self.registry
        found = registry.get(name)
        if found is not None:
            return found
        if self._names is None:
            self._names = _Names(self._owners, registry, self._edited)
        return ranking.resolve(registry, name, fuzzy=False, exact=self._names.find)

    def person_with_email(self, address: str) -> Person | None:
        """The first person, in the registry's order, whose email is address (case aside)."""
        people = self.registry.people
        if self._emails is None:
            # Built once and kept up to date by _refresh: scanning every person for each
            # row made an import of 300 rows into 10,000 people 3 million comparisons.
            self._emails = {}
            for pid, person in people.items():
                if person.email:
                    self._emails.setdefault(person.email.casefold(), []).append(pid)
        pids = self._emails.get(address.casefold())
        return people[pids[0]] if pids else None

    def person(self, name: str) -> Person:
        """The person an id or exact name means."""
        found = self.item(name)
        if not isinstance(found, Person):
            raise UsageError("name.not_person", name=name)
        return found

    def entry(self, name: str) -> Entry:
        """The topic, project or network an id or exact name means."""
        found = self.item(name)
        if not isinstance(found, Entry):
            raise UsageError("name.not_entry", name=name)
        return found

    def references(self, item_id: str) -> list[tuple[Item, str]]:
        """Every (item, field) that names item_id: contacts, via and deputy."""
        refs: list[tuple[Item, str]] = []
        for entry in self.registry.entries.values():
            if item_id in entry.contacts:
                refs.append((entry, "contacts"))
            if entry.via == item_id:
                refs.append((entry, "via"))
        refs += [(p, "deputy") for p in self.registry.people.values() if p.deputy == item_id]
        return refs

    # --- edits -------------------------------------------------------------------

    def add_person(self, pid: str, given: Mapping[str, str | Sequence[str]]) -> None:
        """Add [people.<pid>] after the last person, with the fields given (name at least).

        Each value is checked and normalised as 'set' does it; an empty one is left out.
        """
        self._check_new_id(pid)
        values: dict[str, Any] = {"name": _required("name", _text(given.get("name", "")))}
        for field in PERSON_SETTABLE:
            raw = given.get(field.name)
            if raw is not None and field.name != "name":
                value = self._normalised(field, [raw] if isinstance(raw, str) else raw)
                if value is not None:
                    values[field.name] = value
        with self._editing():
            self.toml.add_table(("people", pid), values)

    def add_entry(
        self,
        kind: EntryKind,
        eid: str,
        *,
        name: str,
        aliases: Sequence[str] = (),
        contacts: Sequence[str] = (),
        via: str | None = None,
        description: str = "",
    ) -> None:
        """Add a topic, project or network after the last one of its kind."""
        self._check_new_id(eid)
        values: dict[str, Any] = {"name": _required("name", name)}
        if cleaned := _clean(aliases):
            values["aliases"] = cleaned
        values |= _optional(description=description)
        people = list(dict.fromkeys(self.person(c).id for c in contacts))
        if via:
            values["via"] = self.entry(via).id
        if people or not via:
            # An empty list says "no contact is named" out loud, as the bundled file does.
            values["contacts"] = people
        with self._editing():
            self.toml.add_table((ENTRY_TABLES[kind], eid), values)

    def assign(self, entry_name: str, person_name: str, *, primary: bool = False) -> None:
        """Make a person a contact of an entry (first, with primary)."""
        entry, person = self.entry(entry_name), self.person(person_name)
        contacts = [c for c in entry.contacts if c != person.id]
        if primary:
            contacts.insert(0, person.id)
        elif person.id in entry.contacts:
            return  # already a contact; its place in the order stays
        else:
            contacts.append(person.id)
        with self._editing():
            self.toml.set_list(path_of(entry), "contacts", contacts)

    def unassign(self, entry_name: str, person_name: str) -> None:
        """Remove a person from an entry's contacts."""
        entry, person = self.entry(entry_name), self.person(person_name)
        if person.id not in entry.contacts:
            raise UsageError("edit.not_contact", person=person.name, entry=entry.name)
        with self._editing():
            self.toml.set_list(
                path_of(entry), "contacts", [c for c in entry.contacts if c != person.id]
            )

    def remove(self, name: str, *, cascade: bool = False) -> None:
        """Delete an entry or person; with cascade, also every reference to it."""
        item = self.item(name)
        refs = self.references(item.id)
        if refs and not cascade:
            raise UsageError(
                "edit.referenced", id=item.id, refs=", ".join(f"{r.id}.{f}" for r, f in refs)
            )
        with self._editing():
            for ref, field in refs:
                if isinstance(ref, Entry) and field == "contacts":
                    kept = [c for c in ref.contacts if c != item.id]
                    self.toml.set_list(path_of(ref), "contacts", kept)
                else:
                    self.toml.set(path_of(ref), field, None)
            self.toml.remove_table(path_of(item))

    def rename(self, name: str, new_id: str) -> None:
        """Give an entry or person a new id, and update every reference to it."""
        item = self.item(name)
        if new_id == item.id:
            return
        self._check_new_id(new_id)
        refs = self.references(item.id)
        with self._editing():
            self.toml.rename_table(path_of(item), new_id)
            for ref, field in refs:
                if isinstance(ref, Entry) and field == "contacts":
                    renamed = [new_id if c == item.id else c for c in ref.contacts]
                    self.toml.set_list(path_of(ref), "contacts", renamed)
                else:
                    self.toml.set(path_of(ref), field, new_id)

    def set_field(self, name: str, field: str, values: Sequence[str]) -> None:
        """Set one field; an empty value removes an optional field."""
        item = self.item(name)
        if field in _OWN_COMMAND:
            raise UsageError("edit.use_command", field=field, command=_OWN_COMMAND[field])
        allowed = PERSON_SETTABLE if isinstance(item, Person) else ENTRY_SETTABLE
        chosen = next((f for f in allowed if f.name == field), None)
        if chosen is None:
            raise UsageError(
                "edit.unknown_field", field=field, allowed=", ".join(f.name for f in allowed)
            )
        value = self._normalised(chosen, values)
        with self._editing():
            if isinstance(value, list):
                self.toml.set_list(path_of(item), field, value)
            else:
                self.toml.set(path_of(item), field, value)

    def _normalised(self, field: Field, values: Sequence[str]) -> Any:
        """What a field is set to from the words given; None removes it; UsageError if wrong."""
        if field.is_list:
            return _clean(values) or None
        # Words typed without quotes arrive as separate values: "set x name Anna Aalto".
        value = " ".join(values).strip()
        if field.required:
            return _required(field.name, value)
        if not value:
            return None
        if field.kind == PHONE:
            return phone(value)
        if field.kind == EMAIL:
            return email(value)
        if field.kind == PERSON:
            return self.person(value).id
        if field.kind == ENTRY:
            return self.entry(value).id
        if field.kind == DIRECTORY_KEY and not reg.is_directory_key(value):
            raise UsageError("edit.bad_directory_key", value=value)
        if field.kind == DAY:
            # A TOML date, not a string: 'kvlookup review' compares days.
            return reviewed_day(value)
        return value

    def edit_list(
        self, name: str, field: str, add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> None:
        """Add and remove single items of a list field; the other items keep their lines."""
        item = self.item(name)
        lists = PERSON_LISTS if isinstance(item, Person) else ENTRY_LISTS
        if field not in lists:
            raise UsageError("edit.not_a_list", field=field, lists=", ".join(lists))
        current: list[str] = list(getattr(item, field))
        if field == "contacts":
            # People are named as 'assign' names them: an id or an exact name.
            added = [self.person(v).id for v in _clean(add)]
            removed = [self.person(v).id for v in _clean(remove)]
        else:
            added, removed = _clean(add), _clean(remove)
        for value in removed:
            # An alias is removed however it is capitalised; a contact by its id.
            found = [c for c in current if c.casefold() == value.casefold()]
            if not found:
                raise UsageError("edit.not_in_list", value=value, field=field, name=item.name)
            current = [c for c in current if c not in found]
        folded = {c.casefold() for c in current}
        for value in added:
            if value.casefold() not in folded:
                folded.add(value.casefold())
                current.append(value)
        if current == list(getattr(item, field)):
            return
        path = path_of(item)
        with self._editing():
            if current or field == "contacts":
                # An empty contacts list says "no contact is named" out loud.
                self.toml.set_list(path, field, current)
            else:
                self.toml.set(path, field, None)

    def add_absence(
        self,
        person_name: str,
        start: date,
        end: date,
        *,
        reason: str = "",
        deputy: str | None = None,
    ) -> None:
        """Record an absence (and, optionally, who stands in)."""
        person = self.person(person_name)
        if end < start:
            raise UsageError("edit.absence_order", start=start, end=end)
        absence: dict[str, Any] = {"from": start, "to": end}
        if reason.strip():
            absence["reason"] = reason.strip()
        deputy_id = self.person(deputy).id if deputy else None
        with self._editing():
            if deputy_id and deputy_id != person.deputy:
                self.toml.set(path_of(person), "deputy", deputy_id)
            if absence not in self.toml.data["people"][person.id].get("away", []):
                self.toml.append(path_of(person), "away", absence)

    # --- helpers -----------------------------------------------------------------

    def _check_new_id(self, new_id: str) -> None:
        if not reg.is_id(new_id):
            raise UsageError("edit.bad_id", id=new_id)
        existing = self.registry.get(new_id)
        if existing is not None:
            raise UsageError("edit.id_taken", id=new_id, name=existing.name)

    @contextmanager
    def _editing(self) -> Iterator[None]:
        try:
            yield
        except LayoutError as exc:
            raise WriteError("edit.layout", path=self.path, detail=str(exc)) from None
        finally:
            # The items the edit touched are read again when the registry is next needed.
            self._stale.update((p[0], p[1]) for p in self.toml.touched if len(p) >= 2)
            self._edited.update(p[1] for p in self.toml.touched if len(p) >= 2)
            self.toml.touched.clear()


class _Names:
    """Exact names and aliases of the items under edit, as words, kept up to date item by item.

    It answers what ranking.resolve asks when names are not guessed (fuzzy off): the ids of
    the items with a name or alias of exactly these words. The check of the registry read
    filled owners with the words of every entry name and alias and every person's alias,
    each of one item (the check refuses two); only people's names, which may repeat, and
    the items an edit changed are split into words here. Splitting every label again took
    1.6 s of an import into 100,000 entries.
    """

    def __init__(self, owners: Mapping[str, str], registry: Registry, edited: Set[str]) -> None:
        self._owners = owners
        self._replaced: set[str] = set()  # ids whose words in owners are out of date
        self._ids: dict[str, set[str]] = defaultdict(set)  # words -> ids, beside owners
        self._words: dict[str, list[str]] = {}  # id -> its words in _ids
        for person in registry.people.values():
            if person.id not in edited:
                self._index(person, ("name",))
        for item_id in edited:
            self._replaced.add(item_id)
            item = registry.get(item_id)
            if item is not None:
                self._index(item, ("name", "alias"))

    def _index(self, item: Item, fields: tuple[str, ...]) -> None:
        words = [
            key
            for field, label in labels(item)
            if field in fields and (key := " ".join(text.tokens(label)))
        ]
        self._words[item.id] = words
        for key in words:
            self._ids[key].add(item.id)

    def add(self, item: Item) -> None:
        """Index an item's names and aliases (read again after an edit)."""
        self.remove(item.id)
        self._index(item, ("name", "alias"))

    def remove(self, item_id: str) -> None:
        """Forget an item's names and aliases."""
        self._replaced.add(item_id)
        for key in self._words.pop(item_id, ()):
            self._ids[key].discard(item_id)

    def find(self, label: str) -> set[str]:
        """Ids of the items with a name or alias of exactly these folded words."""
        # As index.find_label: a label of noise words alone names nothing.
        if all(is_noise(w) for w in label.split()):
            return set()
        found = set(self._ids.get(label, ()))
        owner = self._owners.get(label)
        if owner is not None and owner not in self._replaced:
            found.add(owner)
        return found


def apply(
    path: Path, change: Callable[[RegistryEdit], None], *, dry_run: bool = False
) -> store.Change:
    """Run one edit on the registry at path: read, edit and write under the lock."""

    def step(snapshot: store.Snapshot) -> bytes:
        doc = RegistryEdit(snapshot.text, path)
        change(doc)
        return snapshot.encode(doc.result()) if doc.changed else snapshot.data

    return store.update(path, step, dry_run=dry_run)


def _ids(registry: Registry) -> set[str]:
    return {*registry.people, *registry.entries}


def reviewed_day(value: str, today: date | None = None) -> date:
    """'today' or YYYY-MM-DD as the day an entry was reviewed; UsageError otherwise."""
    if value.casefold() in ("today", "tänään"):
        return today or date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError("usage.bad_date", value=value) from None


def _text(value: str | Sequence[str]) -> str:
    return value if isinstance(value, str) else " ".join(value)


def _required(field: str, value: str) -> str:
    if not value.strip():
        raise UsageError("edit.required", field=field)
    return value.strip()


def _optional(**values: str) -> dict[str, str]:
    return {k: v.strip() for k, v in values.items() if v.strip()}


def _clean(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))
