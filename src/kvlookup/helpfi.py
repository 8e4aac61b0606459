"""Click's own words in Finnish: the help skeleton, option extras and parse errors.

The Click that Typer 0.26-0.28 vendors writes "Usage:", "Missing argument" and "Show this
message and exit." as plain string literals, not through gettext, so a gettext catalog
cannot reach them; this module replaces them where they are written instead: a help
formatter, a context that uses it, and a translation of Click's usage errors.
Imported only for a Finnish run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import IO, Any

import typer.core
from typer._click.core import Context
from typer._click.exceptions import ClickException, UsageError
from typer._click.formatting import HelpFormatter

# Typer marks these with gettext; Click's literals are handled below.
WORDS: dict[str, str] = {
    "Usage: ": "Käyttö: ",
    "Options": "Valinnat",
    "Arguments": "Argumentit",
    "Commands": "Komennot",
    "Show this message and exit.": "Näytä tämä ohje ja lopeta.",
    "default: {default}": "oletus: {default}",
    "required": "pakollinen",
    "env var: {var}": "ympäristömuuttuja: {var}",
    "(dynamic)": "(muuttuva)",
    "Aborted!": "Keskeytetty.",
    "Missing command.": "Komento puuttuu.",
    "No such command {name!r}.": "Tuntematonta komentoa {name!r} ei ole.",
}
# Placeholders in usage lines and option lists.
METAVARS: dict[str, str] = {
    "[OPTIONS]": "[VALINNAT]",
    "COMMAND [ARGS]...": "KOMENTO [ARGUMENTIT]...",
    "QUERY...": "HAKU...",
    "QUERY": "HAKU",
    "NAME...": "NIMI...",
    "PERSON...": "HENKILÖ...",
    "PERSON": "HENKILÖ",
    "ENTRY": "KOHDE",
    "ID": "TUNNISTE",
    "FILE": "TIEDOSTO",
    "FIELD": "KENTTÄ",
    "VALUE...": "ARVO...",
    "FIELDS": "KENTÄT",
    "YYYY-MM-DD": "PP.KK.VVVV",
    "topic|project|network|person": "aihe|hanke|verkosto|henkilö",
    "OLD": "VANHA",
    "NEW": "UUSI",
    "TEXT": "TEKSTI",
    "REASON": "SYY",
}
_METAVAR = re.compile(
    "|".join(re.escape(k) for k in sorted(METAVARS, key=len, reverse=True)) + r"(?![\w.])"
)
# Click's parse errors, most specific first: (pattern, Finnish template).
ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.S), template)
    for pattern, template in (
        (r"Missing argument (.*)\.$", r"Argumentti \1 puuttuu."),
        (r"Missing option (.*)\.$", r"Valitsin \1 puuttuu."),
        (r"Missing parameter (.*)\.$", r"Arvo \1 puuttuu."),
        (
            r"No such option: (\S+) \(Possible options: (.*)\)$",
            r"Tuntematon valitsin \1 (tarkoititko: \2)",
        ),
        (r"No such option: (\S+)$", r"Tuntematon valitsin \1."),
        (r"No such command '(.*)'\.$", r"Tuntematonta komentoa '\1' ei ole."),
        (r"Option '(.*)' requires an argument\.$", r"Valitsin '\1' tarvitsee arvon."),
        (r"Option '(.*)' does not take a value\.$", r"Valitsin '\1' ei ota arvoa."),
        (r"Got unexpected extra arguments? \((.*)\)$", r"Ylimääräinen argumentti (\1)."),
        (r"Missing command\.$", "Komento puuttuu."),
        (
            r"Invalid value for (.*?): (.*) is not one of (.*)\.$",
            r"Virheellinen arvo \1: \2 ei ole mikään näistä: \3.",
        ),
        (
            r"Invalid value for (.*?): (.*) is not in the range (.*)\.$",
            r"Virheellinen arvo \1: \2 ei ole välillä \3.",
        ),
        (
            r"Invalid value for (.*?): (.*) is not a valid integer\.$",
            r"Virheellinen arvo \1: \2 ei ole kokonaisluku.",
        ),
        (
            r"Invalid value for (.*?): (.*) is not a valid float\.$",
            r"Virheellinen arvo \1: \2 ei ole luku.",
        ),
        (
            r"Invalid value for (.*?): File (.*) does not exist\.$",
            r"Virheellinen arvo \1: tiedostoa \2 ei ole.",
        ),
        (
            r"Invalid value for (.*?): File (.*) is a directory\.$",
            r"Virheellinen arvo \1: \2 on hakemisto.",
        ),
        (r"Invalid value for (.*?): (.*)$", r"Virheellinen arvo \1: \2"),
    )
)


def word(text: str) -> str:
    """text in Finnish when Click or Typer say it, else text unchanged."""
    return WORDS.get(text, text)


def metavars(text: str) -> str:
    """The placeholders in a usage line or an option's name column, in Finnish."""
    return _METAVAR.sub(lambda m: METAVARS[m.group()], text)


_EXTRA = re.compile(r"\[(default|required|env var)([^\]]*)\]")


def _extras(text: str) -> str:
    """'[default: 5; required]' at the end of an option's help, in Finnish."""

    def one(m: re.Match[str]) -> str:
        inner = m.group(0)[1:-1]
        parts = [p.strip() for p in inner.split(";")]
        out = []
        for part in parts:
            if part.startswith("default: "):
                value = part.removeprefix("default: ")
                out.append("oletus: " + {"True": "kyllä", "False": "ei"}.get(value, value))
            elif part.startswith("env var: "):
                out.append("ympäristömuuttuja: " + part.removeprefix("env var: "))
            else:
                out.append(word(part))
        return "[" + "; ".join(out) + "]"

    return _EXTRA.sub(one, text)


class FinnishFormatter(HelpFormatter):
    """Click's help layout with its headings, usage line and option extras in Finnish."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """'Käyttö: kvlookup who [VALINNAT] HAKU...'."""
        super().write_usage(prog, metavars(args), "Käyttö: " if prefix is None else prefix)

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        """A help section under its Finnish heading."""
        with super().section(word(name)):
            yield

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """Options and commands, their placeholders and extras in Finnish."""
        super().write_dl(
            [(metavars(term), _extras(word(text))) for term, text in rows], col_max, col_spacing
        )


class FinnishContext(Context):
    """A Click context whose help is written by FinnishFormatter."""

    formatter_class = FinnishFormatter


def message(text: str) -> str:
    """One of Click's error messages in Finnish (unchanged when it is not Click's)."""
    for pattern, template in ERRORS:
        if pattern.match(text):
            return metavars(pattern.sub(template, text))
    return text


class FinnishUsageError(UsageError):
    """A Click usage error shown in Finnish: usage line, help hint, then the error."""

    def __init__(self, original: ClickException) -> None:
        super().__init__(message(original.format_message()), getattr(original, "ctx", None))
        self.exit_code = original.exit_code

    def format_message(self) -> str:
        """The message, already translated."""
        return self.message

    def show(self, file: IO[Any] | None = None) -> None:
        """Write the error to stderr as Click does, in Finnish."""
        from typer._click.utils import echo

        lines = []
        if self.ctx is not None:
            lines.append(self.ctx.get_usage())
            lines.append(f"Ohje: '{self.ctx.command_path} {self.ctx.help_option_names[0]}'.\n")
        lines.append(f"Virhe: {self.message}")
        echo("\n".join(lines), file=file, err=file is None)


def install(finnish: bool) -> None:
    """Point Typer's gettext-marked strings at WORDS for a Finnish run, back otherwise."""
    import gettext

    typer.core._ = word if finnish else gettext.gettext  # type: ignore[attr-defined,assignment]


def localise(command: Any) -> None:
    """Let command and every subcommand format help and usage errors in Finnish."""
    # Mixed into the context class the command already has, so that what it does (the
    # CLI's argument check) stays: only the help formatter changes.
    base = command.context_class
    if not issubclass(base, FinnishContext):
        command.context_class = _finnish(base)
    for sub in getattr(command, "commands", {}).values():
        localise(sub)


@cache
def _finnish(base: type[Context]) -> type[Context]:
    return type(f"Finnish{base.__name__}", (FinnishContext, base), {})
