"""Write vCards (3.0 or 4.0): RFC 6350 text escaping, CRLF line ends, folding at 75 octets."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from kvlookup.contactinfo import tel_uri
from kvlookup.i18n import Lang, t
from kvlookup.output.escape import printable
from kvlookup.output.views import Card

FOLD_OCTETS = 75
CRLF = "\r\n"
_NEWLINES = re.compile(r"\r\n|\r|\n")
_UID_NAMESPACE = uuid.UUID("6f1c1e4e-3b8a-5d2e-9c55-6b76c6f2a0d1")  # kvlookup's own


def escape(value: str) -> str:
    """A TEXT value with backslash, comma, semicolon and line breaks escaped (RFC 6350 3.4).

    Escaping is what keeps a hostile name from starting a property or a card of its own.
    Other control characters are written visibly ("\\x1b"), as everywhere in kvlookup.
    """
    lines = _NEWLINES.split(value)
    return "\\n".join(
        printable(line).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
        for line in lines
    )


def fold(line: str) -> str:
    """line folded into CRLF + space continued pieces of at most 75 octets each.

    Counting is in UTF-8 octets and never splits a multi-byte character; a continuation
    piece's leading space counts towards its 75.
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = FOLD_OCTETS
    for ch in line:
        octets = len(ch.encode("utf-8"))
        if size + octets > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, FOLD_OCTETS - 1
        current.append(ch)
        size += octets
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def uid(organisation: str, person_id: str) -> str:
    """A person's vCard UID: stable across exports, so a re-import updates, never duplicates."""
    return f"urn:uuid:{uuid.uuid5(_UID_NAMESPACE, f'{organisation}/{person_id}')}"


def _titles(card: Card, lang: Lang, v4: bool) -> list[str]:
    """TITLE lines, the reader's language first, each saying its LANGUAGE."""
    # The language lets an import put each title back in its own field (title or
    # title_en) whatever the exporter's locale. 3.0 carries one title, since a second TITLE
    # would be a second job; 4.0 gives the other language as an alternative (ALTID).
    titles = [(code, value) for code, value in _by_language(card, lang) if value]
    if not v4:
        titles = titles[:1]
    altid = ";ALTID=1" if len(titles) > 1 else ""
    return [f"TITLE{altid};LANGUAGE={code}:{escape(value)}" for code, value in titles]


def _by_language(card: Card, lang: Lang) -> list[tuple[Lang, str]]:
    fi: tuple[Lang, str] = ("fi", card.person.title)
    en: tuple[Lang, str] = ("en", card.person.title_en)
    return [en, fi] if lang == "en" else [fi, en]


def properties(card: Card, organisation: str, version: str, lang: Lang) -> list[str]:
    """The unfolded content lines of one card."""
    words = card.person.name.split()
    family, given = (words[-1], " ".join(words[:-1])) if words else ("", "")
    v4 = version == "4.0"
    lines = ["BEGIN:VCARD", f"VERSION:{version}"]
    if v4:
        lines.append("KIND:individual")
    lines += [
        f"UID:{uid(organisation, card.person.id)}",
        f"FN:{escape(card.person.name)}",
        f"N:{escape(family)};{escape(given)};;;",
    ]
    if organisation:
        lines.append(f"ORG:{escape(organisation)}")
    lines += _titles(card, lang, v4)
    if card.person.phone:
        uri = tel_uri(card.person.phone) if v4 else None
        if uri:
            lines.append(f"TEL;VALUE=uri;TYPE=work,voice:{uri}")
        elif v4:
            lines.append(f"TEL;VALUE=text;TYPE=work,voice:{escape(card.person.phone)}")
        else:
            lines.append(f"TEL;TYPE=WORK,VOICE:{escape(card.person.phone)}")
    if card.person.email:
        kind = "work" if v4 else "INTERNET,WORK"
        lines.append(f"EMAIL;TYPE={kind}:{escape(card.person.email)}")
    if card.handles:
        # NOTE rather than CATEGORIES: Google Contacts turns categories into labels, one per
        # responsibility, which clutters the address book.
        note = t(lang, "vcard.handles") + "\n" + "\n".join(card.handles)
        lines.append(f"NOTE:{escape(note)}")
    lines.append("END:VCARD")
    return lines


def cards(people: Iterable[Card], organisation: str, version: str, lang: Lang) -> str:
    """A .vcf document: every card's lines folded and ended with CRLF."""
    return "".join(
        fold(line) + CRLF
        for card in people
        for line in properties(card, organisation, version, lang)
    )
