"""Terminal output at any width: no word broken, no value dropped, links where supported."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from kvlookup.output import layout

from .conftest import Invoke

WIDTHS = (40, 60, 80, 100, 120)
VIEWS = (
    ("who", "FEDARENE"),
    ("who", "energia"),
    ("who", "Development Manager"),
    ("show", "FEDARENE"),
    ("show", "ERRIN"),
    ("show", "hannu-koponen"),
    ("whois", "Hannu Koponen"),
    ("list",),
    ("list", "--kind", "person"),
)


def _strings(doc: object) -> Iterator[tuple[str, str]]:
    """(key, value) of every string in a JSON document."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            if isinstance(value, str):
                yield key, value
            else:
                yield from _strings(value)
    elif isinstance(doc, list):
        for value in doc:
            yield from _strings(value)


def _must_show(doc: object, lang: str) -> tuple[set[str], set[str]]:
    """Words of names and titles that must appear unbroken, and phones/emails kept whole."""
    words: set[str] = set()
    whole: set[str] = set()
    title_key = "title_en" if lang == "en" else "title"
    for key, value in _strings(doc):
        if key in ("phone", "email") and value:
            whole.add(value)
        elif key in ("name", title_key) and value:
            words.update(value.split())
    return words, whole


@pytest.mark.parametrize("lang", ["en", "fi"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_no_word_is_broken_and_no_value_is_missing(
    run: Invoke, args: tuple[str, ...], width: int, lang: str
) -> None:
    env = {"COLUMNS": str(width)}
    shown = run("--lang", lang, *args, "--format", "table", env=env)
    assert shown.exit_code == 0, shown.stderr
    doc = json.loads(run("--lang", lang, *args, "--format", "json").stdout)
    lines = shown.stdout.splitlines()
    assert lines, "a table must show something"
    for line in lines:
        # A single value wider than the terminal is the only excuse for a long line.
        assert layout.cell_width(line) <= width or len(line.split()) <= 2, line
    words, whole = _must_show(doc, lang)
    tokens = {token for line in lines for token in re.split(r"[\s│┃;<>]+", line)}
    for word in words:
        assert word.strip(";,()") in {t.strip(";,()") for t in tokens}, (word, shown.stdout)
    for value in whole:
        assert any(value in line for line in lines), (value, shown.stdout)


@pytest.mark.parametrize("width", [40, 80])
def test_narrow_terminal_gets_labelled_blocks_wide_one_a_table(run: Invoke, width: int) -> None:
    out = run("who", "FEDARENE", "--format", "table", env={"COLUMNS": str(width)}).stdout
    assert "┏" not in out
    assert out.splitlines()[0] == "FEDARENE"
    assert "  Contact  Hannu Koponen" in out
    wide = run("who", "FEDARENE", "--format", "table", env={"COLUMNS": "120"}).stdout
    assert "┏" in wide and "Hannu Koponen" in wide


def test_a_match_with_two_contacts_has_one_heading(run: Invoke, registry_path: object) -> None:
    assert run("assign", "FEDARENE", "kari-pirinen").exit_code == 0
    out = run("who", "FEDARENE", "--format", "table", env={"COLUMNS": "50"}).stdout
    assert out.count("FEDARENE") == 1
    assert "Hannu Koponen" in out and "Kari Pirinen" in out


@pytest.mark.parametrize(
    "args",
    [("who", "FEDARENE"), ("show", "hannu-koponen"), ("whois", "hannu-koponen"), ("list",)],
    ids=" ".join,
)
@pytest.mark.parametrize("width", [40, 120])
def test_every_view_links_phones_and_emails_on_a_terminal(
    run: Invoke, args: tuple[str, ...], width: int
) -> None:
    env = {"FORCE_COLOR": "1", "COLUMNS": str(width)}
    out = run(*args, "--format", "table", env=env).stdout
    assert "\x1b]8;" in out
    assert "mailto:hannu.koponen@keskisuomi.fi" in out
    assert "tel:+358405950009" in out


def test_table_widths_keep_every_word_whole() -> None:
    cells = [[layout.Cell("Development Manager"), layout.Cell("+358 40 5950009", whole=True)]]
    widths = layout.table_widths(["Title", "Phone"], cells, 36)
    assert widths is not None and widths[0] >= len("Development") and widths[1] == 15
    assert layout.table_widths(["Title", "Phone"], cells, 30) is None


def test_wrap_breaks_between_words_only() -> None:
    assert layout.wrap("Euroopan alueiden ja energiatoimistojen järjestö", 20) == [
        "Euroopan alueiden ja",
        "energiatoimistojen",
        "järjestö",
    ]


@pytest.mark.parametrize("fmt", ["table", "plain"])
def test_no_match_prints_no_frame(run: Invoke, fmt: str) -> None:
    result = run("who", "qwertyuiop", "--format", fmt)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "No match for 'qwertyuiop'." in result.stderr


@pytest.mark.parametrize(
    ("lang", "message"),
    [("en", "Anna Aalto handles nothing"), ("fi", "Anna Aalto ei hoida mitään")],
)
def test_whois_of_someone_handling_nothing_is_an_answer(
    run: Invoke, lang: str, message: str
) -> None:
    assert run("add", "person", "anna-aalto", "--name", "Anna Aalto").exit_code == 0
    result = run("--lang", lang, "whois", "anna-aalto", "--format", "table")
    assert result.exit_code == 0
    assert message in result.stderr
    assert "┏" not in result.stdout and "Anna Aalto" in result.stdout
    assert run("whois", "anna-aalto", "--format", "plain").stdout == ""


def test_empty_list_says_so_without_a_frame(run: Invoke, registry_path: object) -> None:
    from pathlib import Path

    assert isinstance(registry_path, Path)
    registry_path.write_text('schema = 1\n[people.a]\nname = "A"\n', encoding="utf-8")
    result = run("list", "--kind", "network", "--format", "table")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "nothing of this kind" in result.stderr


@pytest.mark.parametrize("command", ["show", "whois"])
def test_unknown_name_gets_did_you_mean(run: Invoke, command: str) -> None:
    result = run(command, "offic")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "No entry or person called 'offic'.",
        "Did you mean: WFEO?",
    ]
