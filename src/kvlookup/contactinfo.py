"""Phone numbers and email addresses: the one place that reads, checks and writes them."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

PhoneFormat = Literal["e164", "international", "national"]
DEFAULT_REGION = "FI"

# Patterns stay strings until first use (_regex compiles and keeps them then): the registry
# check at load needs only two of them, and a lookup answered from the cache none.
_OBFUSCATED_AT = r"\s*(\[at\]|\(at\)|\{at\}|\sat\s)\s*"
_OBFUSCATED_DOT = r"\s*(\[dot\]|\(dot\)|\{dot\})\s*"
_EMAIL = r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]+$"
_PHONE_CHARS = r"^[+0-9 ()./-]+$"
# A stored number: "+", a country code and 5 to 15 digits in all (E.164's limit), grouped by
# single spaces, hyphens or dots, as phonenumbers' international format groups them
# ("+358 40 5950009", "+7 495 123-45-67", "+1 650-253-0000"). Checked at every load, where
# importing phonenumbers (~15 ms) would cost too much; 'check' validates fully.
_STORED_PHONE = r"^\+[1-9](?:[ .-]?[0-9]){4,14}$"
# A line of page text that holds a phone number: an optional label of letters ("p.",
# "puh.", "Mobile:", "gsm", "Puhelin"), then a number written as people write them, starting
# with "+", "0" or "(". A letter or two inside the number is kept, so that the typo
# ("040 595O009") is reported rather than the line taken for a name.
_PHONE_LINE = (
    r"^(?:(?P<label>[^\W\d_]+(?:[ ./-]+[^\W\d_]+){0,2})\s*[.:]?\s*)?"
    r"(?P<number>[+(0][\w ()./-]*)$"
)


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    """pattern, compiled on first use and then kept (cheaper per call than re's own cache)."""
    return re.compile(pattern, re.IGNORECASE)


class InvalidValue(ValueError):
    """A phone number or email that cannot be normalised."""


def normalise_email(raw: str) -> str:
    """'name[at]domain.fi' -> 'name@domain.fi'; InvalidValue when it is not an address."""
    value = _regex(_OBFUSCATED_DOT).sub(".", _regex(_OBFUSCATED_AT).sub("@", raw.strip()))
    if not _regex(_EMAIL).match(value):
        raise InvalidValue(raw)
    return value


def is_email(value: str) -> bool:
    """True for a plausible email address (one @, a dot in the domain, no spaces)."""
    return bool(_regex(_EMAIL).match(value))


def is_phone_form(value: str) -> bool:
    """True when value is written as a stored number is: '+', country code, digits; no parse."""
    return bool(_regex(_STORED_PHONE).fullmatch(value))


def _parse(raw: str, region: str = DEFAULT_REGION) -> PhoneNumber | None:
    """raw as a phone number, or None when phonenumbers cannot read it."""
    import phonenumbers  # ~15 ms to import: only edits, imports, exports and check pay it

    try:
        return phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """'040 595 0009' -> '+358 40 5950009'; InvalidValue for letters or impossible numbers."""
    import phonenumbers

    # The result is phonenumbers' international format, which is_phone_form and
    # is_valid_phone accept for every region phonenumbers knows ("+7 495 123-45-67").

    value = raw.strip()
    if value[:4].lower() == "tel:":
        value = value[4:]  # RFC 3966: visual separators are allowed, parameters are not
    elif value[:2].lower() == "p.":
        value = value[2:].strip()  # "p. 040 ..." as written on web pages
    # A letter is a typo ("595O009"), not something to repair silently.
    if not _regex(_PHONE_CHARS).match(value):
        raise InvalidValue(raw)
    number = _parse(value, region)
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidValue(raw)
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def is_valid_phone(value: str) -> bool:
    """True for a stored number that is in stored form and a valid number (full check)."""
    import phonenumbers

    number = _parse(value) if is_phone_form(value) else None
    return number is not None and bool(phonenumbers.is_valid_number(number))


def e164(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """A phone number as typed anywhere ("040 595 0009", "+358405950009") in E.164; None if not one."""
    import phonenumbers

    number = _parse(raw, region)
    if number is None or not phonenumbers.is_possible_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def format_phone(value: str, style: PhoneFormat = "international") -> str:
    """A stored phone number in E.164 (+358405950009), international or national form."""
    if not value:
        return value
    import phonenumbers

    number = _parse(value)
    if number is None:
        return value
    fmt = {
        "e164": phonenumbers.PhoneNumberFormat.E164,
        "international": phonenumbers.PhoneNumberFormat.INTERNATIONAL,
        "national": phonenumbers.PhoneNumberFormat.NATIONAL,
    }[style]
    return str(phonenumbers.format_number(number, fmt))


def stored_e164(value: str) -> str | None:
    """'+358 40 5950009' -> '+358405950009'; None for a number not in global form."""
    # A stored number's digits after '+' are its E.164 form: no parse, so a table links and
    # search indexes phone numbers without importing phonenumbers.
    digits = "".join(c for c in value if c.isdigit())
    return f"+{digits}" if value.lstrip().startswith("+") and digits else None


def tel_uri(value: str) -> str | None:
    """'+358 40 5950009' -> 'tel:+358405950009' (RFC 3966); None for a number not in global form."""
    number = stored_e164(value)
    return f"tel:{number}" if number else None


def phone_in_line(line: str) -> str | None:
    """The number in a line of page text that holds one ('p. 040 595 0009', 'gsm +358 ...')."""
    # Told by what the line contains, not by its first letters: 'puheenjohtaja Matti M.'
    # and 'Puhdas energia' hold no number. A typo in the number ('040 595O009') still makes
    # a phone line, so that the import reports the number instead of misreading the block.
    m = _regex(_PHONE_LINE).match(line.strip())
    if m is None:
        return None
    number = m["number"].strip()
    digits = sum(c.isdigit() for c in number)
    letters = sum(c.isalpha() for c in number)
    return number if digits >= 5 and letters <= 2 else None
