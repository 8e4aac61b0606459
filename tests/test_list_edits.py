"""kvlookup set FIELD --add/--remove: one item of a list field changes, every other line stays."""

from __future__ import annotations

import tomllib
from pathlib import Path

from .conftest import Invoke


def _data(path: Path) -> dict[str, dict[str, dict[str, object]]]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _changed_lines(before: str, after: str) -> tuple[set[str], set[str]]:
    old, new = before.splitlines(), after.splitlines()
    return set(old) - set(new), set(new) - set(old)


def test_add_an_alias_keeps_the_others_and_the_layout(run: Invoke, registry_path: Path) -> None:
    before = registry_path.read_text(encoding="utf-8")
    aliases = _data(registry_path)["networks"]["wfeo"]["aliases"]
    result = run("set", "wfeo", "aliases", "--add", "Maailman insinöörijärjestö")
    assert result.exit_code == 0, result.stderr
    assert _data(registry_path)["networks"]["wfeo"]["aliases"] == [
        *aliases,  # type: ignore[misc]
        "Maailman insinöörijärjestö",
    ]
    removed, added = _changed_lines(before, registry_path.read_text(encoding="utf-8"))
    assert removed == set()
    assert added == {'    "Maailman insinöörijärjestö",'}


def test_remove_an_alias_touches_only_its_line(run: Invoke, registry_path: Path) -> None:
    before = registry_path.read_text(encoding="utf-8")
    result = run("set", "WFEO", "aliases", "--remove", "brussels OFFICE")
    assert result.exit_code == 0, result.stderr
    assert "Brussels office" not in _data(registry_path)["networks"]["wfeo"]["aliases"]  # type: ignore[operator]
    removed, added = _changed_lines(before, registry_path.read_text(encoding="utf-8"))
    assert (removed, added) == ({'    "Brussels office",'}, set())


def test_add_and_remove_together_and_repeated(run: Invoke, registry_path: Path) -> None:
    result = run("set", "hannu-koponen", "aliases", "--add", "Hannu", "--add", "HK", "--add", "hk")
    assert result.exit_code == 0, result.stderr
    assert _data(registry_path)["people"]["hannu-koponen"]["aliases"] == ["Hannu", "HK"]
    result = run("set", "Hannu Koponen", "aliases", "--remove", "Hannu", "--add", "H. Koponen")
    assert result.exit_code == 0, result.stderr
    assert _data(registry_path)["people"]["hannu-koponen"]["aliases"] == ["HK", "H. Koponen"]


def test_removing_the_last_alias_removes_the_key(run: Invoke, registry_path: Path) -> None:
    assert run("set", "hannu-koponen", "aliases", "--add", "HK").exit_code == 0
    assert run("set", "hannu-koponen", "aliases", "--remove", "HK").exit_code == 0
    assert "aliases" not in _data(registry_path)["people"]["hannu-koponen"]


def test_contacts_are_a_list_field_too(run: Invoke, registry_path: Path) -> None:
    result = run("set", "FEDARENE", "contacts", "--add", "Kari Pirinen")
    assert result.exit_code == 0, result.stderr
    assert _data(registry_path)["networks"]["fedarene"]["contacts"] == [
        "hannu-koponen",
        "kari-pirinen",
    ]
    result = run("set", "fedarene", "contacts", "--remove", "hannu-koponen")
    assert result.exit_code == 0, result.stderr
    assert _data(registry_path)["networks"]["fedarene"]["contacts"] == ["kari-pirinen"]


def test_adding_what_is_there_changes_nothing(run: Invoke, registry_path: Path) -> None:
    before = registry_path.read_bytes()
    result = run("set", "wfeo", "aliases", "--add", "brussels office")
    assert result.exit_code == 0
    assert "Nothing to change" in result.stderr
    assert registry_path.read_bytes() == before


def test_dry_run_shows_one_line_and_writes_nothing(run: Invoke, registry_path: Path) -> None:
    before = registry_path.read_bytes()
    result = run("set", "wfeo", "aliases", "--remove", "Bryssel", "--dry-run")
    assert result.exit_code == 0
    assert '-    "Bryssel",' in result.stdout.splitlines()
    assert registry_path.read_bytes() == before


def test_crlf_file_keeps_its_line_endings(run: Invoke, registry_path: Path) -> None:
    registry_path.write_bytes(registry_path.read_bytes().replace(b"\n", b"\r\n"))
    assert run("set", "wfeo", "aliases", "--add", "X office").exit_code == 0
    data = registry_path.read_bytes()
    assert b'    "X office",\r\n' in data
    assert data.count(b"\n") == data.count(b"\r\n")


def test_mistakes_are_usage_errors(run: Invoke, registry_path: Path) -> None:
    before = registry_path.read_bytes()
    cases = {
        ("set", "wfeo", "phone", "--add", "x"): "is not a list here",
        ("set", "wfeo", "aliases", "--remove", "nope"): "'nope' is not in the aliases of WFEO",
        ("set", "wfeo", "aliases", "A", "--add", "B"): "either new values or --add/--remove",
        ("set", "wfeo", "aliases"): "Missing VALUE",
        ("set", "wfeo", "contacts", "--add", "Nobody Here"): "Nobody Here",
    }
    for args, message in cases.items():
        result = run(*args)
        assert result.exit_code == 2, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert registry_path.read_bytes() == before


def test_finnish_messages(run: Invoke) -> None:
    result = run("--lang", "fi", "set", "wfeo", "aliases", "--remove", "nope")
    assert result.exit_code == 2
    assert "ei ole kohteen WFEO kentässä aliases" in result.stderr
    result = run("--lang", "fi", "set", "--help")
    assert "Lisää luettelokenttään" in result.stdout


def test_replacing_a_list_still_works(run: Invoke, registry_path: Path) -> None:
    assert run("set", "wfeo", "aliases", "A", "B").exit_code == 0
    assert _data(registry_path)["networks"]["wfeo"]["aliases"] == ["A", "B"]
