"""A Finnish screen has no English in it: help, Click's skeleton and errors, labels, values."""

from __future__ import annotations

import re

import pytest

from kvlookup.cli import COMMANDS

from .conftest import Invoke

# Words of kvlookup's and Click's English UI; registry data (aliases, English descriptions)
# may hold English, so output screens are checked for UI words only.
UI_WORDS = set(
    "Usage Options Arguments Commands Show message exit Missing argument Error Try help "
    "default required Invalid value Topic Contact Title Phone Email Kind Name Via Note "
    "Found Deputy Handles Aliases Description topic project network person away until "
    "stands Also called".split()
)
HELP_WORDS = UI_WORDS | set("the and of for with this that is are or to".split())


# Command names are typed as they are, in either language.
COMMAND_NAMES = {*COMMANDS, "person", "topic", "project", "network"}


def _leaks(text: str, words: set[str]) -> set[str]:
    """English words in text, ignoring option names (--help), $VARIABLES and file names."""
    text = "\n".join(_without_command_names(line) for line in text.splitlines())
    text = re.sub(r"kvlookup( [a-z]+)*", "", text)  # a command path, as in the usage line
    tokens = re.findall(r"(?<![-$\w.'])[A-Za-z]+(?![\w.'])", text)
    return {t for t in tokens if t in words}


def _without_command_names(line: str) -> str:
    """A line of help without the command name that starts a command list's row."""
    words = line.split()
    if line.startswith("  ") and words and words[0] in COMMAND_NAMES:
        return " ".join(words[1:])
    return line


@pytest.mark.parametrize("command", ["", *COMMANDS, "add person", "add topic"])
def test_finnish_help_has_no_english(run: Invoke, command: str) -> None:
    result = run("--lang", "fi", *command.split(), "--help")
    assert result.exit_code == 0
    assert _leaks(result.stdout, HELP_WORDS) == set(), result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("who", "FEDARENE", "-f", "table"),
        ("who", "Development Manager", "-f", "table"),
        ("who", "energia", "-f", "table"),
        ("show", "FEDARENE", "-f", "table"),
        ("show", "hannu-koponen", "-f", "table"),
        ("whois", "hannu-koponen", "-f", "table"),
        ("list", "-f", "table"),
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("width", [40, 120])
def test_finnish_output_has_no_english_labels(
    run: Invoke, args: tuple[str, ...], width: int
) -> None:
    result = run("--lang", "fi", *args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0
    assert _leaks(result.stdout + result.stderr, UI_WORDS) == set(), result.stdout


@pytest.mark.parametrize(
    ("args", "finnish"),
    [
        (("show",), "Argumentti 'NIMI...' puuttuu."),
        (("who", "x", "--limit", "0"), "0 ei ole välillä"),
        (("who", "x", "--bogus"), "Tuntematon valitsin --bogus"),
        (("add", "foo"), "Tuntematonta komentoa 'foo' ei ole."),
        (("list", "--kind", "x"), "Tuntematon tyyppi 'x'"),
        (("who", "x", "--date", "32.1."), "Virheellinen päivämäärä '32.1.'"),
        (("who", "qwertyuiop"), "Ei osumaa haulle 'qwertyuiop'."),
    ],
)
def test_finnish_errors(run: Invoke, args: tuple[str, ...], finnish: str) -> None:
    result = run("--lang", "fi", *args)
    assert result.exit_code in (1, 2)
    assert finnish in result.stderr
    assert _leaks(result.stderr, HELP_WORDS) == set(), result.stderr
    english = run("--lang", "en", *args)
    assert finnish not in english.stderr  # the English run is untouched by the Finnish one


@pytest.mark.parametrize(
    ("kind", "first"), [("henkilö", "person"), ("henkilo", "person"), ("verkosto", "network")]
)
def test_finnish_kinds_are_accepted(run: Invoke, kind: str, first: str) -> None:
    result = run("list", "--kind", kind, "--format", "plain")
    assert result.exit_code == 0
    assert {line.split("\t")[1] for line in result.stdout.splitlines()} == {first}


@pytest.mark.parametrize("day", ["2026-12-24", "24.12.2026", "24.12."])
def test_dates_in_iso_and_finnish_form(run: Invoke, day: str) -> None:
    args = ("--from", "2026-12-21", "--to", "2026-12-31", "--deputy", "kari-pirinen")
    assert run("away", "hannu-koponen", *args).exit_code == 0
    result = run("who", "FEDARENE", "--date", day, "--format", "plain")
    if day == "24.12.":
        from datetime import date

        if date.today().year != 2026:
            assert result.exit_code == 0
            return
    assert result.stdout.splitlines()[0].split("\t")[5] == "Kari Pirinen"
