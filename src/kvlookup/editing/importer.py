"""Import contacts from the web page's contact blocks, CSV or vCard, merged into the registry."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from kvlookup import collector
from kvlookup.contactinfo import InvalidValue, normalise_email, normalise_phone, phone_in_line
from kvlookup.editing import store
from kvlookup.editing.edits import RegistryEdit
from kvlookup.errors import InvalidInput, NotFoundError, UsageError
from kvlookup.models import PERSON_FIELDS, Entry, EntryKind, Person, Problem, Registry
from kvlookup.output import escape
from kvlookup.schema import EMAIL, PHONE, TEXT
from kvlookup.search import text
from kvlookup.sources.registry import is_id

# An email line: the address alone, perhaps after a label ("sähköposti: ...").
_EMAIL_LINE = re.compile(
    r"^(?:[^\W\d_]+(?:[ -][^\W\d_]+)?\s*:\s*)?(?P<address>\S+(?:\s*(?:\[at\]|\(at\)|\{at\})\s*\S+)?)$",
    re.IGNORECASE,
)
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
# The person fields an import file may give: the texts 'set' changes (name, title, phone ...).
IMPORTED = tuple(f for f in PERSON_FIELDS if f.settable and f.kind in (TEXT, PHONE, EMAIL))
# CSV header -> field: each imported field by its own name, Finnish headers as an office
# spreadsheet would have them, and the other columns of kvlookup's own export.
# An export before its schema 2 named title_fi 'title' and via_id 'via': both are read.
_CSV_COLUMNS = (
    {f.name: f.name for f in IMPORTED}
    | {f.out: f.name for f in IMPORTED}
    | {
        "nimi": "name",
        "nimike": "title",
        "tehtävänimike": "title",
        "puhelin": "phone",
        "sähköposti": "email",
        "handles": "handles",
        "vastuut": "handles",
        "id": "id",
        "kind": "kind",
        "via": "via",
        "via_id": "via",
        "contact": "contact",
        "contact_id": "contact_id",
    }
)
_ENTRY_KINDS: dict[str, EntryKind] = {"topic": "topic", "project": "project", "network": "network"}
# A page-text block with no phone or email whose last line has this many name words after a
# title is taken for a contact (and reported), not for prose or a heading.
_PERSON_NAME_WORDS = 2


class Handle(NamedTuple):
    """An entry a contact answers for, as the file names it, with what an export says of it."""

    label: str
    kind: EntryKind | None = None  # an export's kind column; otherwise told from the label
    id: str = ""  # an export's id: the new entry's id, when it is free
    via: str = ""  # an export's via: the contact answers for the entry through that entry


class Contact(NamedTuple):
    """A person read from an import file and what they handle; no name: only entries named.

    The person's id is an export's id (the new person's id, when it is free), or "".
    """

    person: Person
    handles: tuple[Handle, ...] = ()
    uid: str = ""  # a vCard's UID: kvlookup's own name the person a card was written for

    @property
    def name(self) -> str:
        """The person's name; "" when the file names only entries."""
        return self.person.name


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

    def person(self, where: str, values: Mapping[str, str], person_id: str = "") -> Person:
        """A person from the imported fields given, each checked as its kind wants."""
        checks = {PHONE: self.phone, EMAIL: self.email}
        given = {
            f.name: checks[f.kind](where, values[f.name]) if f.kind in checks else values[f.name]
            for f in IMPORTED
            if values.get(f.name)
        }
        named: dict[str, Any] = {"name": ""} | given
        return Person(person_id, **named)

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
    elif (delimiter := _csv_delimiter(content)) is not None:
        _read_csv(reader, content, delimiter)
    else:
        _read_page(reader, content)
    if reader.problems:
        raise InvalidInput(reader.problems, "import.invalid", path=path)
    if not reader.contacts:
        raise UsageError("import.empty", path=path)
    return reader.contacts


# --- page text -----------------------------------------------------------------------


def _contact_line(line: str) -> str:
    """'phone' or 'email' for a line that holds one of them alone, else ''."""
    if phone_in_line(line) is not None:
        return "phone"
    m = _EMAIL_LINE.match(line)
    return "email" if m and _EMAIL_HINT.search(m["address"]) else ""


def _read_page(reader: _Reader, content: str) -> None:
    # A contact block: a heading naming what the person handles, a title-and-name line, and
    # a run of phone and email lines, told apart by what they hold (not by their labels).
    lines = [line.strip() for line in content.split("\n")]
    kinds = [_contact_line(line) for line in lines]
    first_run: int | None = None
    i = 0
    while i < len(lines):
        if not kinds[i]:
            i += 1
            continue
        end = i
        while end < len(lines) and kinds[end]:
            end += 1
        first_run = i if first_run is None else first_run
        _read_block(reader, lines, kinds, i, end)
        i = end
    if first_run is not None:
        _report_blocks_without_contact_lines(reader, lines, kinds, first_run)


def _read_block(reader: _Reader, lines: list[str], kinds: list[str], start: int, end: int) -> None:
    """The contact whose phone and email lines are lines[start:end]."""
    at = start - 1  # the title-and-name line
    if at < 0 or not lines[at]:
        reader.problem(str(start + 1), "import.no_name", text=lines[start])
        return
    title, name = split_title(lines[at])
    if not name:
        reader.problem(str(at + 1), "import.no_name", text=lines[at])
        return
    heading = lines[at - 1] if at >= 1 and not kinds[at - 1] else ""
    if _EMAIL_HINT.search(heading) or heading.endswith(":"):
        heading = ""  # the previous block's last line, or a label such as "Yhteyshenkilöt:"
    # The first number of a block is kept ("p." before "gsm", as pages list them).
    phone = next((n for n in range(start, end) if kinds[n] == "phone"), None)
    email = next((n for n in range(start, end) if kinds[n] == "email"), None)
    values: dict[str, Any] = {"name": name, "title": title}
    if phone is not None:
        values["phone"] = reader.phone(str(phone + 1), _phone_of(lines[phone]))
    if email is not None:
        values["email"] = reader.email(str(email + 1), _email_of(lines[email]))
    reader.contacts.append(
        Contact(
            Person("", **values),
            handles=tuple(Handle(h.strip()) for h in heading.split(",") if h.strip()),
        )
    )


def _phone_of(line: str) -> str:
    return phone_in_line(line) or line


def _email_of(line: str) -> str:
    m = _EMAIL_LINE.match(line)
    return m["address"] if m else line


def _report_blocks_without_contact_lines(
    reader: _Reader, lines: list[str], kinds: list[str], first_run: int
) -> None:
    """Report blocks after the first contact that name a person but give no phone or email."""
    # Only blank-line separated blocks of a heading and a title-and-name line are told
    # apart from prose: reported, so that no contact is dropped without a word.
    start = first_run
    while start > 0 and lines[start - 1]:
        start -= 1
    block: list[int] = []
    for n in [*range(start, len(lines)), len(lines)]:
        if n < len(lines) and lines[n]:
            block.append(n)
            continue
        if block and len(block) <= 3 and not any(kinds[b] for b in block):
            last = lines[block[-1]]
            title, name = split_title(last)
            if title and len(name.split()) >= _PERSON_NAME_WORDS and not last.endswith("."):
                reader.problem(str(block[-1] + 1), "import.no_contact_lines", text=last)
        block = []


def split_title(line: str) -> tuple[str, str]:
    """'kehittämispäällikkö Hannu Koponen' -> ('kehittämispäällikkö', 'Hannu Koponen')."""
    # The name is the run of capitalised words at the end; Finnish titles are lower case,
    # and an all-capitals part ("EU-asiantuntija") marks a title word, not a name.
    words = line.split()
    start = len(words)
    while start > 0 and _is_name_word(words[start - 1]):
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


def _is_name_word(word: str) -> bool:
    # An initial ("M.") is a name word; "EU" is not.
    parts = word.split("-")
    return all(p[:1].isupper() and not (len(p.rstrip(".")) > 1 and p.isupper()) for p in parts)


# --- CSV and TSV ---------------------------------------------------------------------


def _csv_delimiter(content: str) -> str | None:
    """The header row's separator (',', ';' or tab) when it has a name column; else None."""
    header = next((line for line in content.split("\n") if line.strip()), "")
    try:
        delimiter = csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        return None
    columns = next(csv.reader([header], delimiter=delimiter))
    return delimiter if any(_column(c) == "name" for c in columns) else None


def _column(header: str) -> str | None:
    return _CSV_COLUMNS.get(header.strip().casefold())


def _read_csv(reader: _Reader, content: str, delimiter: str) -> None:
    # Only the separator is sniffed: a header row says nothing of quoting, and CSV is read
    # by RFC 4180 (as kvlookup and spreadsheets write it). Tab-separated text is read as
    # kvlookup writes it: no quoting, backslash escapes.
    tsv = delimiter == "\t"
    source = io.StringIO(content, newline="")
    rows = (
        csv.reader(source, delimiter=delimiter, quoting=csv.QUOTE_NONE)
        if tsv
        else csv.reader(source, delimiter=delimiter)
    )
    columns = [_column(c) for c in next(rows)]
    # 'contact' is the person of an entry row only in kvlookup's export, told by its other
    # columns; in another spreadsheet it may mean anything and is not read.
    has_contact = "contact" in columns and bool({"kind", "contact_id"} & set(columns))
    for row in rows:
        where = str(rows.line_num)
        if any(cell.strip() for cell in row[len(columns) :]):
            # Usually an unquoted ';' inside a cell: the rest of the row would be lost.
            reader.problem(where, "import.csv_extra", cells=len(row), columns=len(columns))
            continue
        values = {c: _cell(v, tsv).strip() for c, v in zip(columns, row, strict=False) if c}
        if values.get("phone", "").startswith("'"):
            values["phone"] = values["phone"][1:]  # --excel marks every number as text
        if any(values.values()):
            _read_row(reader, where, values, has_contact=has_contact)


def _cell(raw: str, tsv: bool) -> str:
    """A cell's value: kvlookup's spreadsheet guard ("'+358 ...") and TSV escapes undone."""
    unescape = escape.unescape_tsv if tsv else str
    if raw.startswith("'") and escape.is_formula(guarded := unescape(raw[1:])):
        return guarded
    return unescape(raw)


def _read_row(reader: _Reader, where: str, values: dict[str, str], *, has_contact: bool) -> None:
    """One CSV row: a person, or (an export's row) an entry and the contact who answers for it."""
    kind, name = values.get("kind", ""), values.get("name", "")
    if kind and kind != "person" and kind not in _ENTRY_KINDS:
        reader.problem(where, "import.bad_kind", kind=kind)
        return
    if not name:
        reader.problem(where, "import.no_name", text=",".join(values.values()))
        return
    contact = values.get("contact", "") if has_contact else ""
    # An export writes one row per (entry, contact): the entry in 'name', the person in
    # 'contact'; a person's own row has kind 'person' (or, without a kind, name == contact).
    entry_row = kind in _ENTRY_KINDS or (not kind and has_contact and name != contact)
    person = contact if entry_row else name
    handles = [Handle(h.strip()) for h in values.get("handles", "").split(";") if h.strip()]
    if entry_row:
        handles.insert(
            0, Handle(name, _ENTRY_KINDS.get(kind), values.get("id", ""), values.get("via", ""))
        )
    person_id = values.get("contact_id", "") if entry_row else values.get("id", "")
    details = (values if person else {}) | {"name": person}
    reader.contacts.append(
        Contact(reader.person(where, details, person_id if kind else ""), tuple(handles))
    )


# --- vCard ---------------------------------------------------------------------------


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
        name = _vcard_value(card, "fn") or _vcard_name(card)
        if not name:
            reader.problem(where, "import.vcard_no_name")
            continue
        title, title_en = _vcard_titles(card)
        categories = card.contents.get("categories", [])
        values = {
            "name": name,
            "title": title,
            "title_en": title_en,
            "phone": _vcard_value(card, "tel"),
            "email": _vcard_value(card, "email"),
        }
        reader.contacts.append(
            Contact(
                reader.person(where, values),
                handles=tuple(
                    Handle(c.strip()) for line in categories for c in line.value if c.strip()
                ),
                uid=_vcard_value(card, "uid"),
            )
        )


def _vcard_value(card: Any, key: str) -> str:
    lines = card.contents.get(key, [])
    return str(lines[0].value).strip() if lines else ""


def _vcard_name(card: Any) -> str:
    """The name in N (given, additional, family), for a card with no FN."""
    lines = card.contents.get("n", [])
    if not lines:
        return ""
    n = lines[0].value
    parts = (getattr(n, key, "") for key in ("given", "additional", "family"))
    words = (p if isinstance(p, str) else " ".join(p) for p in parts)
    return " ".join(" ".join(words).split())


def _vcard_titles(card: Any) -> tuple[str, str]:
    """(title, title_en) from TITLE lines, placed by their LANGUAGE; unmarked means Finnish."""
    by_language: dict[str, str] = {}
    for line in card.contents.get("title", []):
        language = (line.params.get("LANGUAGE") or [""])[0].casefold()[:2]
        by_language.setdefault(language if language in ("fi", "en") else "", str(line.value))
    title = by_language.get("fi") or by_language.get("", "")
    return title.strip(), by_language.get("en", "").strip()


# --- merging -------------------------------------------------------------------------


def merge(doc: RegistryEdit, contacts: Sequence[Contact]) -> None:
    """Add new people and entries, update changed details, add missing responsibilities.

    Nothing is removed: a person or responsibility missing from the file stays (use
    'unassign' or 'remove'). Importing the same file twice changes nothing the second time.
    """
    through_via = _add_exported_entries(doc, contacts)
    uids = _uids(doc.registry) if any(c.uid for c in contacts) else {}
    for contact in contacts:
        pid = _merge_person(doc, contact, uids) if contact.name else None
        for handle in contact.handles:
            entry = find_entry(doc, handle.label, handle.id)
            if entry is None:
                _add_entry(doc, handle, pid)
            elif pid is None or entry.id in through_via:
                continue  # its contacts come through its via entry, whose own row names them
            elif pid not in {p.id for p in doc.registry.contacts_of(entry)[0]}:
                doc.assign(entry.id, pid)


def _uids(registry: Registry) -> dict[str, str]:
    """The vCard UID kvlookup writes for each person -> the person's id."""
    from kvlookup.output.vcard import uid

    return {uid(registry.organisation, pid): pid for pid in registry.people}


def _add_exported_entries(doc: RegistryEdit, contacts: Sequence[Contact]) -> set[str]:
    """Add the missing entries an export names (kind, id, via); the ids given a via entry."""
    ids: dict[str, str] = {}  # the export's id -> the registry's
    missing: dict[str, Handle] = {}
    for handle in (h for c in contacts for h in c.handles if h.kind):
        found = find_entry(doc, handle.label, handle.id)
        if found is None:
            missing.setdefault(handle.label, handle)
        elif handle.id:
            ids.setdefault(handle.id, found.id)
    waiting = {h.id for h in missing.values() if h.id}
    through_via: set[str] = set()
    while missing:
        # An entry waits for the entry its contacts come through, which may be listed later
        # in the file; what a loop or an unknown id leaves is added without its via.
        ready = [
            h for h in missing.values() if not h.via or h.via in ids or h.via not in waiting
        ] or list(missing.values())
        for handle in ready:
            via = ids.get(handle.via, handle.via) if handle.via else ""
            if via and not isinstance(doc.registry.get(via), Entry):
                via = ""
            eid = _add_entry(doc, handle, None, via=via)
            if handle.id:
                ids.setdefault(handle.id, eid)
                waiting.discard(handle.id)
            del missing[handle.label]
            if via:
                through_via.add(eid)
    return through_via


def prepare(path: Path, contacts: Sequence[Contact]) -> tuple[store.Snapshot, bytes]:
    """What the registry would become: the snapshot read and the merged bytes (unwritten)."""
    snapshot = store.read(path, missing_ok=True)
    with collector.paused():
        # The merge allocates beside the millions of objects of the registry read, which the
        # collector would rescan again and again (0.9 s at 100,000 entries); they are let
        # go before it runs again, or its first pass would still walk them all (0.5 s).
        doc = RegistryEdit(snapshot.text, path)
        merge(doc, contacts)
        after = snapshot.encode(doc.result()) if doc.changed else snapshot.data
        del doc
    return snapshot, after


def _merge_person(doc: RegistryEdit, contact: Contact, uids: Mapping[str, str]) -> str:
    person = _find_person(doc, contact, uids)
    updates: dict[str, str] = {f.name: getattr(contact.person, f.name) for f in IMPORTED}
    if person is None:
        pid = _free_id(doc, contact.name, contact.person.id)
        doc.add_person(pid, updates)
        return pid
    if not contact.person.title_en and contact.person.title == person.title_en:
        # A title with no language said (an older English vCard export) that is the
        # person's English title is not a new Finnish one.
        updates["title"] = ""
    for field_name, value in updates.items():
        # An empty value in the file means "not given", never "delete".
        if value and value != getattr(person, field_name):
            doc.set_field(person.id, field_name, [value])
    return person.id


def _find_person(doc: RegistryEdit, contact: Contact, uids: Mapping[str, str]) -> Person | None:
    # A card kvlookup wrote says whom it was written for; else the email identifies a
    # person best; then the exact name (ambiguity is refused).
    by_uid = doc.registry.people.get(uids.get(contact.uid, "")) if contact.uid else None
    if by_uid is not None:
        return by_uid
    if contact.person.email:
        by_email = doc.person_with_email(contact.person.email)
        if by_email is not None:
            return by_email
    found: Entry | Person | None
    try:
        found = doc.item(contact.name)
    except NotFoundError:
        found = _by_id(doc, contact.name, contact.person.id)
    return found if isinstance(found, Person) else None


def find_entry(doc: RegistryEdit, label: str, wanted_id: str = "") -> Entry | None:
    """The entry a heading names, by id, exact name or alias, with or without '-hanke'."""
    for candidate in dict.fromkeys((label, _PROJECT_SUFFIX.sub("", label))):
        found: Entry | Person | None
        try:
            found = doc.item(candidate)
        except NotFoundError:
            found = _by_id(doc, candidate, wanted_id)
        if isinstance(found, Entry):
            return found
    return None


def _by_id(doc: RegistryEdit, name: str, wanted_id: str) -> Entry | Person | None:
    """The item of exactly this name under the id the file gives or the name's slug."""
    # A name with no search words ('Иван Петров', until search knows other scripts) is
    # found no other way; the slug is the id an earlier import gave it.
    for item_id in dict.fromkeys(i for i in (wanted_id, slug(name)) if i):
        item = doc.registry.get(item_id)
        if item is not None and item.name == name:
            return item
    return None


def _add_entry(doc: RegistryEdit, handle: Handle, pid: str | None, via: str = "") -> str:
    """Add the entry a handle names, with pid as its contact or through via; its id."""
    label = handle.label
    if handle.kind is not None:  # an export's row: the name and kind as they were
        kind, name, aliases = handle.kind, label, []
    else:
        name = _PROJECT_SUFFIX.sub("", label) or label
        kind = "topic"
        if name != label:
            kind = "project"
        elif any(word.startswith(_NETWORK_WORDS) for word in text.tokens(label)):
            kind = "network"
        aliases = [label] if name != label else []
    eid = _free_id(doc, name, handle.id)
    contacts = [pid] if pid else []
    doc.add_entry(kind, eid, name=name, aliases=aliases, contacts=contacts, via=via or None)
    return eid


def slug(name: str) -> str:
    """An id from a name: 'Veli-Pekka Päivänen' -> 'veli-pekka-paivanen', 'Иван' -> 'ivan'."""
    from anyascii import anyascii  # only imports that make new ids pay for the tables

    # Folded first, so that Latin names keep the ids they always had; what folding leaves
    # outside ASCII (Cyrillic, CJK, ...) is transliterated rather than dropped, so that
    # such names get ids of their own, the same on every import.
    ascii_name = anyascii(text.fold(name)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-") or "item"


def _free_id(doc: RegistryEdit, name: str, wanted: str = "") -> str:
    """wanted when it is a valid unused id; else the name's slug, numbered when taken."""
    if wanted and is_id(wanted) and doc.registry.get(wanted) is None:
        return wanted
    base = slug(name)
    candidate, n = base, 1
    while doc.registry.get(candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
