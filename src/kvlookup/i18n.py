"""The user's language (Finnish or English), and a message or registry text in it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from datetime import date

Lang = Literal["en", "fi"]
LANGS: tuple[Lang, ...] = ("en", "fi")

EPILOG = {
    "en": "Exit codes: 0 answered, 1 no match, 2 usage error, 3 registry problem, "
    "4 registry changed by someone else (run again), 5 output could not be written, 6 directory unreachable or refused.",
    "fi": "Poistumiskoodit: 0 vastattu, 1 ei osumaa, 2 käyttövirhe, 3 rekisterin ongelma, "
    "4 joku muu muutti rekisteriä (aja uudelleen), 5 tulostetta ei voitu kirjoittaa, 6 hakemistoon ei yhteyttä tai se hylkäsi.",
}


def detect(argv: Sequence[str], environ: Mapping[str, str]) -> Lang:
    """Language from --lang in argv, else the locale variables, else English."""
    for i, arg in enumerate(argv):
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value is not None:
            return as_lang(value) or from_locale(environ)
    return from_locale(environ)


def as_lang(value: str | None) -> Lang | None:
    """value as a supported language, or None."""
    if value == "fi":
        return "fi"
    if value == "en":
        return "en"
    return None


def from_locale(environ: Mapping[str, str]) -> Lang:
    """'fi' when the POSIX locale (LC_ALL, LC_MESSAGES, LANG in that order) is Finnish."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var)
        if value:
            return "fi" if value.lower().startswith("fi") else "en"
    return "en"


def day(lang: Lang | str, value: date) -> str:
    """A date as a reader of lang writes it: 1.12.2026 in Finnish, 2026-12-01 in English."""
    return f"{value.day}.{value.month}.{value.year}" if lang == "fi" else value.isoformat()


def short_day(value: date) -> str:
    """A near day as Finnish offices write it in either language: 8.12."""
    return f"{value.day}.{value.month}."


def pick(lang: Lang | str, fi: str, en: str) -> str:
    """A registry text in the user's language: the English one when asked for and present."""
    return en if lang == "en" and en else fi


def t(lang: Lang, key: str, /, **params: object) -> str:
    """The message for key in lang, filled with params."""
    # Imported here: the catalogue is a third of a warm lookup's own import time, and a
    # lookup whose answer is JSON prints no message at all.
    from kvlookup.messages import MESSAGES

    en, fi = MESSAGES[key]
    return (fi if lang == "fi" else en).format(**params)
