"""Import contacts from the web page's contact blocks, CSV or vCard, merged into the registry."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kvlookup import store, text
from kvlookup.contactinfo import InvalidValue, normalise_email, normalise_phone
from kvlookup.edit import RegistryEdit
from kvlookup.errors import InvalidInput, NotFoundError, UsageError
from kvlookup.models import Entry, EntryKind, Person, Problem

# "p. 040 595 0009", "puh. 040 ...", "tel. +358 ...": a contact block's phone line.
_PHONE_LINE = re.compile(r"^(?:p\.|puh\.?|tel\.?|phone:?)\s*(?P<number>\S.*)$", re.IGNORECASE)
_EMAIL_HINT = re.compile(r"@|\[at\]|\(at\)|\{at\}", re.IGNORECASE)
# "BEA-APP-hanke", "CREADIS3 -hanke", "X project": a project, named without the suffix.
_PROJECT_SUFFIX = re.compile(r"[\s-]*\b(?:hanke|project)$", re.IGNORECASE)
# Folded word starts that make a heading a network rather than a topic.
_NETWORK_WORDS = (
    "verkosto",
    "network",
    "kauppakamari",
    "chamber",
    "jarjesto",
    "federation",
    "association",
    "paneeli",
    "panel",
)
# CSV header -> field; Finnish headers as an office spreadsheet would have them.
_CSV_COLUMNS = {
    "name": "name",
    "nimi": "name",
    "title": "title",
    "nimike": "title",
    "tehtävänimike": "title",
    "title_en": "title_en",
    "phone": "phone",
    "puhelin": "phone",
    "email": "email",
    "sähköposti": "email",
    "handles": "handles",
    "vastuut": "handles",
}


@dataclass(frozen=True)
class Contact:
    """One person read from an import file, with the entries they handle."""

    name: str
    title: str = ""
    title_en: str = ""
    phone: str = ""
    email: str = ""
    handles: tuple[str, ...] = ()


@dataclass
class _Reader:
    """Collects contacts and every problem, so one run reports them all."""

    source: str
    contacts: list[Contact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, where: str, key: str, **params: object) -> None:
        self.problems.append(
            Problem(f"{self.source}:{where}" if where else self.source, key, params)
        )

    def phone(self, where: str, raw: str) -> str:
        try:
            return normalise_phone(raw) if raw.strip() else ""
        except InvalidValue:
            self.problem(where, "import.bad_phone", value=raw.strip())
            return ""

    def email(self, where: str, raw: str) -> str:
        try:
            return normalise_email(raw) if raw.strip() else ""
        except InvalidValue:
            self.problem(where, "import.bad_email", value=raw.strip())
            return ""


def read(path: Path) -> list[Contact]:
    """Contacts in a file; the format (vCard, CSV with a header, page text) is told by content."""
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError("import.unreadable", path=path, detail=detail or str(exc)) from None
    reader = _Reader(path.name)
    if "BEGIN:VCARD" in content.upper():
        _read_vcards(reader, content)
    elif _csv_dialect(content) is not None:
        _read_csv(reader, content)
    else:
        _read_page(reader, content)
    if reader.problems:
        raise InvalidInput(reader.problems, "import.invalid", path=path)
    if not reader.contacts:
        raise UsageError("import.empty", path=path)
    return reader.contacts


def _read_page(reader: _Reader, content: str) -> None:
    lines = [line.strip() for line in content.split("\n")]
    for i, line in enumerate(lines):
        phone_line = _PHONE_LINE.match(line)
        if not phone_line:
            continue
        where = str(i + 1)
        if i == 0 or not lines[i - 1]:
            reader.problem(where, "import.no_name", text=line)
            continue
        title, name = split_title(lines[i - 1])
        if not name:
            reader.problem(str(i), "import.no_name", text=lines[i - 1])
            continue
        heading = lines[i - 2] if i >= 2 else ""
        if _PHONE_LINE.match(heading) or _EMAIL_HINT.search(heading) or heading.endswith(":"):
            heading = ""  # the previous block's last line, or a label such as "Yhteyshenkilöt:"
        below = lines[i + 1] if i + 1 < len(lines) else ""
        reader.contacts.append(
            Contact(
                name=name,
                title=title,
                phone=reader.phone(where, phone_line["number"]),
                email=reader.email(str(i + 2), below) if _EMAIL_HINT.search(below) else "",
                handles=tuple(h.strip() for h in heading.split(",") if h.strip()),
            )
        )


def split_title(line: str) -> tuple[str, str]:
    """'kehittämispäällikkö Hannu Koponen' -> ('kehittämispäällikkö', 'Hannu Koponen').

    The name is the run of capitalised words at the end; Finnish titles are lower case,
    and an all-capitals part ("EU-asiantuntija") marks a title word, not a name.
    """
    words = line.split()
    start = len(words)
    while start > 0 and _is_name_word(words[start - 1]):
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


def _is_name_word(word: str) -> bool:
    parts = word.split("-")
    return all(p[:1].isupper() and not (len(p) > 1 and p.isupper()) for p in parts)


def _csv_dialect(content: str) -> type[csv.Dialect] | csv.Dialect | None:
    header = next((line for line in content.split("\n") if line.strip()), "")
    try:
        dialect = csv.Sniffer().sniff(header, delimiters=",;\t")
    except csv.Error:
        return None
    columns = next(csv.reader([header], dialect))
    return dialect if any(_column(c) == "name" for c in columns) else None


def _column(header: str) -> str | None:
    return _CSV_COLUMNS.get(header.strip().casefold())


def _read_csv(reader: _Reader, content: str) -> None:
    dialect = _csv_dialect(content)
    assert dialect is not None  # read() only comes here when the header has a name column
    rows = csv.reader(io.StringIO(content, newline=""), dialect)
    columns = [_column(c) for c in next(rows)]
    for row in rows:
        where = str(rows.line_num)
        values = {c: v.strip() for c, v in zip(columns, row, strict=False) if c}
        if any(cell.strip() for cell in row[len(columns) :]):
            # Usually an unquoted ';' inside a cell: the rest of the row would be lost.
            reader.problem(where, "import.csv_extra", cells=len(row), columns=len(columns))
            continue
        if not any(values.values()):
            continue
        if not values.get("name"):
            reader.problem(where, "import.no_name", text=",".join(row))
            continue
        reader.contacts.append(
            Contact(
                name=values["name"],
                title=values.get("title", ""),
                title_en=values.get("title_en", ""),
                phone=reader.phone(where, values.get("phone", "")),
                email=reader.email(where, values.get("email", "")),
                handles=tuple(h.strip() for h in values.get("handles", "").split(";") if h.strip()),
            )
        )


def _read_vcards(reader: _Reader, content: str) -> None:
    # vobject handles line folding, escaping and the 2.1/3.0/4.0 differences.
    import vobject  # type: ignore[import-untyped]

    try:
        cards = list(vobject.readComponents(content))
    except vobject.base.VObjectError as exc:
        reader.problem("", "import.vcard", detail=str(exc))
        return
    for number, card in enumerate(cards, 1):
        where = f"vcard {number}"
        name = _vcard_value(card, "fn")
        if not name:
            reader.problem(where, "import.no_name", text=str(card.contents.keys()))
            continue
        categories = card.contents.get("categories", [])
        reader.contacts.append(
            Contact(
                name=name,
                title=_vcard_value(card, "title"),
                phone=reader.phone(where, _vcard_value(card, "tel")),
                email=reader.email(where, _vcard_value(card, "email")),
                handles=tuple(c.strip() for line in categories for c in line.value if c.strip()),
            )
        )


def _vcard_value(card: object, key: str) -> str:
    lines = getattr(card, "contents", {}).get(key, [])
    return str(lines[0].value).strip() if lines else ""


# --- merging -------------------------------------------------------------------------


def merge(doc: RegistryEdit, contacts: Sequence[Contact]) -> None:
    """Add new people and entries, update changed details, add missing responsibilities.

    Nothing is removed: a person or responsibility missing from the file stays (use
    'unassign' or 'remove'). Importing the same file twice changes nothing the second time.
    """
    for contact in contacts:
        pid = _merge_person(doc, contact)
        for label in contact.handles:
            entry = find_entry(doc, label)
            if entry is None:
                _add_entry(doc, label, pid)
            elif pid not in {p.id for p in doc.registry.contacts_of(entry)[0]}:
                doc.assign(entry.id, pid)


def prepare(path: Path, contacts: Sequence[Contact]) -> tuple[store.Snapshot, bytes]:
    """What the registry would become: the snapshot read and the merged bytes (unwritten)."""
    snapshot = store.read(path, missing_ok=True)
    doc = RegistryEdit(snapshot.text, path)
    merge(doc, contacts)
    return snapshot, (snapshot.encode(doc.result()) if doc.changed else snapshot.data)


def _merge_person(doc: RegistryEdit, contact: Contact) -> str:
    person = _find_person(doc, contact)
    if person is None:
        pid = _free_id(doc, contact.name)
        doc.add_person(
            pid,
            name=contact.name,
            title=contact.title,
            title_en=contact.title_en,
            phone_number=contact.phone,
            email_address=contact.email,
        )
        return pid
    updates = {
        "name": contact.name,
        "title": contact.title,
        "title_en": contact.title_en,
        "phone": contact.phone,
        "email": contact.email,
    }
    for field_name, value in updates.items():
        # An empty value in the file means "not given", never "delete".
        if value and value != getattr(person, field_name):
            doc.set_field(person.id, field_name, [value])
    return person.id


def _find_person(doc: RegistryEdit, contact: Contact) -> Person | None:
    # The email identifies a person best; then the exact name (ambiguity is refused).
    if contact.email:
        folded = contact.email.casefold()
        for person in doc.registry.people.values():
            if person.email.casefold() == folded:
                return person
    try:
        found = doc.item(contact.name)
    except NotFoundError:
        return None
    return found if isinstance(found, Person) else None


def find_entry(doc: RegistryEdit, label: str) -> Entry | None:
    """The entry a heading names, by id, exact name or alias, with or without '-hanke'."""
    for candidate in dict.fromkeys((label, _PROJECT_SUFFIX.sub("", label))):
        try:
            found = doc.item(candidate)
        except NotFoundError:
            continue
        if isinstance(found, Entry):
            return found
    return None


def _add_entry(doc: RegistryEdit, label: str, pid: str) -> None:
    name = _PROJECT_SUFFIX.sub("", label) or label
    kind: EntryKind = "topic"
    if name != label:
        kind = "project"
    elif any(word.startswith(_NETWORK_WORDS) for word in text.tokens(label)):
        kind = "network"
    aliases = [label] if name != label else []
    doc.add_entry(kind, _free_id(doc, name), name=name, aliases=aliases, contacts=[pid])


def slug(name: str) -> str:
    """An id from a name: 'Veli-Pekka Päivänen' -> 'veli-pekka-paivanen'."""
    return re.sub(r"[^a-z0-9]+", "-", text.fold(name)).strip("-") or "item"


def _free_id(doc: RegistryEdit, name: str) -> str:
    base = slug(name)
    candidates: Iterator[str] = (base if n == 1 else f"{base}-{n}" for n in range(1, 1000))
    return next(c for c in candidates if doc.registry.get(c) is None)
