"""Normalise and format phone numbers and email addresses (phonenumbers, default region FI)."""

from __future__ import annotations

import re
from typing import Literal

PhoneFormat = Literal["e164", "international", "national"]
DEFAULT_REGION = "FI"

_OBFUSCATED_AT = re.compile(r"\s*(\[at\]|\(at\)|\{at\}|\sat\s)\s*", re.IGNORECASE)
_OBFUSCATED_DOT = re.compile(r"\s*(\[dot\]|\(dot\)|\{dot\})\s*", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]+$")
_PHONE_CHARS = re.compile(r"^[+0-9 ()./-]+$")


class InvalidValue(ValueError):
    """A phone number or email that cannot be normalised."""


def normalise_email(raw: str) -> str:
    """'name[at]domain.fi' -> 'name@domain.fi'; InvalidValue when it is not an address."""
    value = _OBFUSCATED_DOT.sub(".", _OBFUSCATED_AT.sub("@", raw.strip()))
    if not _EMAIL.match(value):
        raise InvalidValue(raw)
    return value


def is_email(value: str) -> bool:
    """True for a plausible email address (one @, a dot in the domain, no spaces)."""
    return bool(_EMAIL.match(value))


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """'040 595 0009' -> '+358 40 5950009'; InvalidValue for letters or impossible numbers."""
    import phonenumbers  # ~15 ms to import: only edits, imports, exports and check pay it

    value = raw.strip()
    if value.lower().startswith("p."):
        value = value[2:].strip()  # "p. 040 ..." as written on web pages
    # A letter is a typo ("595O009"), not something to repair silently.
    if not _PHONE_CHARS.match(value):
        raise InvalidValue(raw)
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise InvalidValue(raw) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidValue(raw)
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def e164(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """A phone number as typed anywhere ("040 595 0009", "+358405950009") in E.164; None if not one."""
    import phonenumbers

    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def format_phone(value: str, style: PhoneFormat = "international") -> str:
    """A stored phone number in E.164 (+358405950009), international or national form."""
    if not value:
        return value
    import phonenumbers

    try:
        number = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return value
    fmt = {
        "e164": phonenumbers.PhoneNumberFormat.E164,
        "international": phonenumbers.PhoneNumberFormat.INTERNATIONAL,
        "national": phonenumbers.PhoneNumberFormat.NATIONAL,
    }[style]
    return str(phonenumbers.format_number(number, fmt))
