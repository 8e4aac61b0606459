"""Edit commands: only the edited lines change, inputs are checked, names are never guessed."""

from __future__ import annotations

import difflib
import json
import subprocess
import sys
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from kvlookup.editing.edits import RegistryEdit
from kvlookup.editing.tomledit import LayoutError, TomlText
from kvlookup.errors import InvalidInput, RegistryError
from kvlookup.models import Problem

from .conftest import BUNDLED, Invoke


def changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """Lines removed from before and lines added in after, by difflib's alignment."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


def edited(run: Invoke, path: Path, *args: str) -> tuple[str, str]:
    """Run an edit command; return the file before and after, checking it still passes check."""
    before = path.read_text(encoding="utf-8")
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert run("check").exit_code == 0
    return before, path.read_text(encoding="utf-8")


# --- only the edited lines change ----------------------------------------------------


def test_add_person_inserts_lines_after_the_last_person(run: Invoke, registry_path: Path) -> None:
    before, after = edited(
        run,
        registry_path,
        "add",
        "person",
        "anna-aalto",
        "--name",
        "Anna Aalto",
        "--title",
        "suunnittelija",
        "--phone",
        "040 595 0001",
        "--email",
        "anna.aalto[at]keskisuomi.fi",
    )
    removed, added = changes(before, after)
    assert removed == []
    assert [line for line in added if line.strip()] == [
        "[people.anna-aalto]\n",
        'name = "Anna Aalto"\n',
        'title = "suunnittelija"\n',
        'phone = "+358 40 5950001"\n',
        'email = "anna.aalto@keskisuomi.fi"\n',
    ]
    # Placed with the people, before the comment that opens the networks section.
    lines = after.splitlines()
    assert lines.index("[people.anna-aalto]") < lines.index(
        "# --- Networks and memberships ---------------------------------------------------------"
    )
    assert lines.index("[people.anna-aalto]") > lines.index("[people.veli-pekka-paivanen]")


def test_add_topic_at_the_end_of_topics(run: Invoke, registry_path: Path) -> None:
    before, after = edited(
        run,
        registry_path,
        "add",
        "topic",
        "tilat",
        "--name",
        "Tilavaraukset",
        "--alias",
        "room booking",
        "--alias",
        "tilavaraus",
        "--contact",
        "Kari Pirinen",
    )
    assert after.startswith(before)
    assert after[len(before) :] == (
        "\n[topics.tilat]\n"
        'name = "Tilavaraukset"\n'
        'aliases = ["room booking", "tilavaraus"]\n'
        'contacts = ["kari-pirinen"]\n'
    )


def test_set_changes_one_line(run: Invoke, registry_path: Path) -> None:
    before, after = edited(run, registry_path, "set", "kari-pirinen", "phone", "040 123 4567")
    assert changes(before, after) == (
        ['phone = "+358 40 5950008"\n'],
        ['phone = "+358 40 1234567"\n'],
    )


def test_set_deputy_adds_one_line_inside_the_right_table(run: Invoke, registry_path: Path) -> None:
    before, after = edited(
        run, registry_path, "set", "veli-pekka-paivanen", "deputy", "Kari Pirinen"
    )
    assert changes(before, after) == ([], ['deputy = "kari-pirinen"\n'])
    data = tomllib.loads(after)
    assert data["people"]["veli-pekka-paivanen"]["deputy"] == "kari-pirinen"


def test_assign_and_unassign_change_the_contacts_line(run: Invoke, registry_path: Path) -> None:
    before, after = edited(run, registry_path, "assign", "WFEO", "Kari Pirinen", "--primary")
    assert changes(before, after) == (
        ['contacts = ["hannu-koponen"]\n'],
        ['contacts = ["kari-pirinen", "hannu-koponen"]\n'],
    )
    before, after = edited(run, registry_path, "unassign", "wfeo", "hannu-koponen")
    assert changes(before, after) == (
        ['contacts = ["kari-pirinen", "hannu-koponen"]\n'],
        ['contacts = ["kari-pirinen"]\n'],
    )


def test_assign_twice_changes_nothing(run: Invoke, registry_path: Path) -> None:
    before = registry_path.read_bytes()
    result = run("assign", "FEDARENE", "hannu-koponen")
    assert result.exit_code == 0
    assert "Nothing to change" in result.stderr
    assert registry_path.read_bytes() == before


def test_set_aliases_edits_a_multiline_array_item_by_item(run: Invoke, registry_path: Path) -> None:
    data = tomllib.loads(registry_path.read_text(encoding="utf-8"))
    aliases = data["networks"]["wfeo"]["aliases"]
    wanted = [a for a in aliases if a != "EU office"] + ["Brysselin konttori"]
    before, after = edited(run, registry_path, "set", "wfeo", "aliases", *wanted)
    assert changes(before, after) == (['    "EU office",\n'], ['    "Brysselin konttori",\n'])


def test_remove_cascade_keeps_every_comment(run: Invoke, registry_path: Path) -> None:
    before, after = edited(run, registry_path, "remove", "veli-pekka-paivanen", "--cascade")
    removed, added = changes(before, after)
    assert "[people.veli-pekka-paivanen]\n" in removed
    assert added == ["contacts = []\n"]  # svkk loses its only contact
    assert comments(after) == comments(before)
    assert "veli-pekka" not in after


def test_remove_first_and_middle_person_leaves_one_blank_line(
    run: Invoke, registry_path: Path
) -> None:
    for pid in ("raija-partanen", "hannu-koponen"):
        assert run("remove", pid, "--cascade").exit_code == 0
    text = registry_path.read_text(encoding="utf-8")
    assert "\n\n\n" not in text
    assert comments(text) == comments(BUNDLED.read_text(encoding="utf-8"))


def test_remove_refuses_while_referenced(run: Invoke, registry_path: Path) -> None:
    before = registry_path.read_bytes()
    result = run("remove", "wfeo")
    assert result.exit_code == 2
    assert "errin.via" in result.stderr and "eu-advocacy.via" in result.stderr
    assert "--cascade" in result.stderr
    assert registry_path.read_bytes() == before


def test_remove_unreferenced_entry(run: Invoke, registry_path: Path) -> None:
    _before, after = edited(run, registry_path, "remove", "international-projects")
    assert "international-projects" not in after
    assert after.endswith('contacts = ["raija-partanen"]\n')


def test_rename_updates_every_reference(run: Invoke, registry_path: Path) -> None:
    assert run("set", "raija-partanen", "deputy", "hannu-koponen").exit_code == 0
    before, after = edited(run, registry_path, "rename", "hannu-koponen", "hannu-k")
    removed, added = changes(before, after)
    assert removed.count('contacts = ["hannu-koponen"]\n') == 5
    assert added.count('contacts = ["hannu-k"]\n') == 5
    assert "[people.hannu-k]\n" in added and 'deputy = "hannu-k"\n' in added
    assert len(removed) == len(added) == 7
    assert "hannu-koponen" not in after
    # WFEO's via chains still answer with the renamed person.
    result = run("who", "ERRIN", "--format", "json")
    assert json.loads(result.stdout)["matches"][0]["contacts"][0]["id"] == "hannu-k"


def test_rename_entry_updates_via(run: Invoke, registry_path: Path) -> None:
    before, after = edited(run, registry_path, "rename", "WFEO", "west-finland-office")
    removed, _ = changes(before, after)
    assert removed.count('via = "wfeo"\n') == 2
    assert tomllib.loads(after)["networks"]["errin"]["via"] == "west-finland-office"


def test_away_appends_one_line(run: Invoke, registry_path: Path) -> None:
    args = ("away", "Hannu Koponen", "--from", "2026-12-21", "--to", "2027-01-06")
    before, after = edited(
        run, registry_path, *args, "--reason", "loma", "--deputy", "kari-pirinen"
    )
    assert changes(before, after) == (
        [],
        [
            'deputy = "kari-pirinen"\n',
            'away = [{ from = 2026-12-21, to = 2027-01-06, reason = "loma" }]\n',
        ],
    )
    before, after = edited(
        run, registry_path, "away", "hannu-koponen", "--from", "2027-03-01", "--to", "2027-03-02"
    )
    assert changes(before, after) == (
        ['away = [{ from = 2026-12-21, to = 2027-01-06, reason = "loma" }]\n'],
        [
            'away = [{ from = 2026-12-21, to = 2027-01-06, reason = "loma" }, '
            "{ from = 2027-03-01, to = 2027-03-02 }]\n"
        ],
    )
    # Recording the same absence again changes nothing.
    result = run("away", "hannu-koponen", "--from", "2027-03-01", "--to", "2027-03-02")
    assert "Nothing to change" in result.stderr


def test_away_rejects_reversed_dates(run: Invoke) -> None:
    result = run("away", "hannu-koponen", "--from", "2027-01-06", "--to", "2026-12-21")
    assert result.exit_code == 2
    assert "before --from" in result.stderr


def test_crlf_file_stays_crlf(run: Invoke, registry_path: Path) -> None:
    original = BUNDLED.read_text(encoding="utf-8").replace("\n", "\r\n")
    registry_path.write_bytes(original.encode("utf-8"))
    for args in (
        ("add", "person", "anna", "--name", "Anna Aalto"),
        ("set", "kari-pirinen", "title_en", "Manager"),
        ("assign", "FEDARENE", "anna"),
        ("remove", "international-projects"),
    ):
        assert run(*args).exit_code == 0
    data = registry_path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    removed, added = changes(original, data.decode("utf-8"))
    assert 'title_en = "Manager"\r\n' in added
    assert all(line.endswith("\r\n") for line in removed + added)


def test_byte_order_mark_and_missing_final_newline_are_kept(
    run: Invoke, registry_path: Path
) -> None:
    text = '# staff\n[people.a]\nname = "Anna Aalto"\n\n[people.b]\nname = "Bea Berg"'
    registry_path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert run("set", "a", "title", "suunnittelija").exit_code == 0
    assert run("add", "person", "c", "--name", "Cecilia Cedar").exit_code == 0
    assert registry_path.read_bytes() == b"\xef\xbb\xbf" + (
        b'# staff\n[people.a]\nname = "Anna Aalto"\ntitle = "suunnittelija"\n\n'
        b'[people.b]\nname = "Bea Berg"\n\n[people.c]\nname = "Cecilia Cedar"\n'
    )


# --- inputs are checked --------------------------------------------------------------


def test_phone_with_a_letter_is_rejected_not_repaired(run: Invoke, registry_path: Path) -> None:
    before = registry_path.read_bytes()
    result = run("add", "person", "x", "--name", "X Y", "--phone", "040 595O009")
    assert result.exit_code == 2
    assert "Invalid phone number '040 595O009'" in result.stderr
    assert registry_path.read_bytes() == before


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+7 495 1234567", "+7 495 123-45-67"),
        ("+1 650 253 0000", "+1 650-253-0000"),
        ("+54 9 11 2345 6789", "+54 9 11 2345-6789"),
        ("tel:+358-40-595-0009", "+358 40 5950009"),
    ],
)
def test_foreign_phone_is_stored_in_a_form_check_accepts(
    run: Invoke, registry_path: Path, typed: str, stored: str
) -> None:
    # Stored in phonenumbers' international form, which the registry's own checks accept.
    edited(run, registry_path, "add", "person", "ivan", "--name", "Ivan P", "--phone", typed)
    data = tomllib.loads(registry_path.read_text(encoding="utf-8"))
    assert data["people"]["ivan"]["phone"] == stored
    edited(run, registry_path, "set", "ivan", "phone", typed)  # the same again: still valid
    shown = json.loads(run("show", "ivan", "--format", "json").stdout)
    assert shown["item"]["phone"] == stored


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("set", "kari-pirinen", "email", "kari at"), "Invalid email address"),
        (("add", "person", "bad id", "--name", "X"), "Invalid id 'bad id'"),
        (("add", "person", "wfeo", "--name", "X"), "already used by 'WFEO'"),
        (("set", "wfeo", "colour", "red"), "no field 'colour'"),
        (("set", "wfeo", "contacts", "x"), "kvlookup assign"),
        (("set", "wfeo", "name", ""), "'name' cannot be empty"),
        (("assign", "Kari Pirinen", "WFEO"), "is not a topic, project or network"),
        (("assign", "WFEO", "FEDARENE"), "is not a person"),
        (("unassign", "WFEO", "Kari Pirinen"), "Kari Pirinen is not a contact of WFEO"),
        (("assign", "WFEO", "Liisa Virtanen"), "No entry or person called 'Liisa Virtanen'"),
        (("assign", "WFEO", "Koponen Hannu"), "No entry or person called"),
    ],
)
def test_bad_edits_exit_2_and_write_nothing(
    run: Invoke, registry_path: Path, args: tuple[str, ...], needle: str
) -> None:
    before = registry_path.read_bytes()
    result = run(*args)
    assert result.exit_code == 2, result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert registry_path.read_bytes() == before


def test_typo_in_a_name_is_not_guessed_when_writing(run: Invoke) -> None:
    # 'who' would find "Kari Pirinen" from "Kari Pirnen"; an edit must not.
    assert run("who", "Kari", "Pirnen").exit_code == 0
    result = run("assign", "WFEO", "Kari Pirnen")
    assert result.exit_code == 2


def test_ambiguous_name_lists_candidates_and_writes_nothing(
    run: Invoke, registry_path: Path
) -> None:
    assert run("add", "person", "hannu-virtanen", "--name", "Hannu Virtanen").exit_code == 0
    before = registry_path.read_bytes()
    result = run("assign", "WFEO", "Hannu")
    assert result.exit_code == 2
    assert "'Hannu' matches several" in result.stderr
    assert "hannu-koponen (Hannu Koponen)" in result.stderr
    assert "hannu-virtanen (Hannu Virtanen)" in result.stderr
    assert registry_path.read_bytes() == before


def test_edit_that_breaks_validation_is_refused(run: Invoke, registry_path: Path) -> None:
    before = registry_path.read_bytes()
    result = run("add", "topic", "energy", "--name", "Energy", "--alias", "FEDARENE")
    assert result.exit_code == 2
    assert "alias 'FEDARENE' is also used by" in result.stderr
    assert "Not written" in result.stderr
    assert registry_path.read_bytes() == before


def test_missing_registry_leaves_no_lock_file(run: Invoke, tmp_path: Path) -> None:
    typo = tmp_path / "contcts.toml"
    result = run("--registry", str(typo), "set", "x", "title", "y")
    assert result.exit_code == 3
    assert "registry file not found" in result.stderr
    assert not typo.with_name("contcts.toml.lock").exists()


def test_edit_refused_on_a_broken_registry(run: Invoke, registry_path: Path) -> None:
    registry_path.write_text('[people.a]\nname = "A"\nemial = "x"\n', encoding="utf-8")
    result = run("set", "a", "title", "x")
    assert result.exit_code == 3
    assert "unknown key 'emial'" in result.stderr


def test_unusual_layout_is_refused_not_mangled(run: Invoke, registry_path: Path) -> None:
    registry_path.write_text('[people]\nanna = { name = "Anna Aalto" }\n', encoding="utf-8")
    before = registry_path.read_bytes()
    result = run("set", "anna", "title", "suunnittelija")
    assert result.exit_code == 3
    assert "kvlookup edit" in result.stderr
    assert registry_path.read_bytes() == before


def test_copy_inside_an_installed_package_is_not_edited(
    run: Invoke, registry_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kvlookup.sources import location

    monkeypatch.setattr(location, "packaged_path", lambda: registry_path)
    before = registry_path.read_bytes()
    result = run(*("set", "kari-pirinen", "title", "x"))
    assert result.exit_code == 2
    assert "an upgrade would discard edits" in result.stderr
    assert registry_path.read_bytes() == before
    assert run("set", "kari-pirinen", "title", "x", "--dry-run").exit_code == 0


# --- dry run -------------------------------------------------------------------------


def test_dry_run_prints_a_unified_diff_and_writes_nothing(run: Invoke, registry_path: Path) -> None:
    before = registry_path.read_bytes()
    result = run("set", "kari-pirinen", "phone", "040 123 4567", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == ["--- a/contacts.toml", "+++ b/contacts.toml"]
    assert '-phone = "+358 40 5950008"' in result.stdout.splitlines()
    assert '+phone = "+358 40 1234567"' in result.stdout.splitlines()
    assert "Dry run" in result.stderr
    assert registry_path.read_bytes() == before
    assert sorted(p.name for p in registry_path.parent.iterdir()) == ["contacts.toml"]


@pytest.mark.parametrize(
    "args",
    [
        ("add", "person", "x", "--name", "X Y"),
        ("add", "network", "x", "--name", "X Y"),
        ("assign", "wfeo", "kari-pirinen"),
        ("unassign", "wfeo", "hannu-koponen"),
        ("remove", "hannu-koponen", "--cascade"),
        ("rename", "wfeo", "w"),
        ("set", "wfeo", "description", "x"),
        ("away", "kari-pirinen", "--from", "2026-01-01", "--to", "2026-01-02"),
    ],
)
def test_every_edit_has_dry_run(run: Invoke, registry_path: Path, args: tuple[str, ...]) -> None:
    before = registry_path.read_bytes()
    result = run(*args, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("--- a/contacts.toml\n+++ b/contacts.toml\n@@ ")
    assert registry_path.read_bytes() == before


# --- deputies and absences in 'who' --------------------------------------------------


def _contacts(run: Invoke, query: str, day: str) -> list[dict[str, object]]:
    result = run("who", query, "--date", day, "--format", "json")
    assert result.exit_code == 0, result.stderr
    contacts: list[dict[str, object]] = json.loads(result.stdout)["matches"][0]["contacts"]
    return contacts


def test_deputy_stands_in_during_an_absence(run: Invoke) -> None:
    args = ("--from", "2026-12-21", "--to", "2027-01-06", "--reason", "loma")
    assert run("away", "hannu-koponen", *args, "--deputy", "kari-pirinen").exit_code == 0
    during = _contacts(run, "FEDARENE", "2026-12-24")
    away = {"from": "2026-12-21", "until": "2027-01-06", "reason": "loma"}
    assert [(c["id"], c["stands_in_for"], c["away"]) for c in during] == [
        ("kari-pirinen", "hannu-koponen", None),
        ("hannu-koponen", None, away),
    ]
    table = run("who", "FEDARENE", "--date", "2026-12-24", "--format", "table").stdout
    assert "stands in for Hannu Koponen" in table and "away until 6.1., loma" in table
    fi = run("--lang", "fi", "who", "FEDARENE", "--date", "2026-12-24", "--format", "table")
    assert "sijaistaa: Hannu Koponen" in fi.stdout and "poissa 6.1. asti, loma" in fi.stdout
    plain = [
        line.split("\t")
        for line in run("who", "FEDARENE", "--date", "2026-12-24").stdout.splitlines()
    ]
    # contact, stands_in_for, away_until (schema 4 put title_en and via_id before it)
    assert [row[5:7] + row[12:13] for row in plain] == [
        ["Kari Pirinen", "hannu-koponen", ""],
        ["Hannu Koponen", "", "2027-01-06"],
    ]


def test_no_stand_in_outside_the_absence(run: Invoke) -> None:
    args = ("--from", "2026-12-21", "--to", "2027-01-06", "--deputy", "kari-pirinen")
    assert run("away", "hannu-koponen", *args).exit_code == 0
    for day in ("2026-12-20", "2027-01-07"):
        assert [(c["id"], c["stands_in_for"]) for c in _contacts(run, "FEDARENE", day)] == [
            ("hannu-koponen", None)
        ]
    table = run("who", "FEDARENE", "--date", "2027-01-07", "--format", "table").stdout
    assert "Note" not in table and "stands in" not in table


def test_no_stand_in_when_the_deputy_is_away_too(run: Invoke) -> None:
    args = ("--from", "2026-12-21", "--to", "2027-01-06")
    assert run("away", "hannu-koponen", *args, "--deputy", "kari-pirinen").exit_code == 0
    assert run("away", "kari-pirinen", "--from", "2026-12-24", "--to", "2026-12-26").exit_code == 0
    assert [c["id"] for c in _contacts(run, "FEDARENE", "2026-12-23")] == [
        "kari-pirinen",
        "hannu-koponen",
    ]
    assert [(c["id"], c["stands_in_for"]) for c in _contacts(run, "FEDARENE", "2026-12-24")] == [
        ("hannu-koponen", None)
    ]


def test_who_uses_today_by_default(run: Invoke) -> None:
    today = date.today().isoformat()
    args = ("--from", today, "--to", today, "--deputy", "kari-pirinen")
    assert run("away", "hannu-koponen", *args).exit_code == 0
    result = run("who", "FEDARENE", "--format", "json")
    first = json.loads(result.stdout)["matches"][0]["contacts"][0]
    assert (first["id"], first["stands_in_for"]) == ("kari-pirinen", "hannu-koponen")


# --- the TOML editor on layouts the bundled file does not use -----------------------

TRICKY = """\
# header comment
schema = 1

[ people . "anna" ]  # quoted key, spaces
name = 'Anna Aalto'
aliases = [
    "Anna A.",  # a comment inside the array
    'AA',
]
notes_are_not_allowed_but_strings_are = false
away = [
    { from = 2026-01-01, to = 2026-01-02 },
]

# Describes Bea; goes with her table.
[people.bea]
name = \"\"\"Bea
[people.fake]
# not a comment\"\"\"

# --- Topics ---

[topics.t]
name = "T"
contacts = ["anna",]"""


def test_scanner_handles_quoting_comments_and_multiline_strings() -> None:
    doc = TomlText(TRICKY)
    assert doc.find(("people", "anna")) is not None
    assert doc.find(("people", "fake")) is None
    doc.set(("people", "bea"), "title", "x")
    assert '# not a comment"""\ntitle = "x"\n' in doc.result()


def test_array_edits_keep_neighbouring_items_as_written() -> None:
    doc = TomlText(TRICKY)
    doc.append(("people", "anna"), "away", {"from": date(2027, 1, 1), "to": date(2027, 1, 2)})
    doc.append(("people", "anna"), "aliases", "Anna")
    doc.set_list(("topics", "t"), "contacts", ["bea", "anna"])
    removed, added = changes(TRICKY, doc.result())
    # The file has no final newline; the edited last line keeps it that way.
    assert removed == ['contacts = ["anna",]']
    assert added == [
        '    "Anna",\n',
        "    { from = 2027-01-01, to = 2027-01-02 },\n",
        'contacts = ["bea", "anna",]',
    ]
    doc.set_list(("people", "anna"), "aliases", ["AA"])
    assert "a comment inside the array" not in doc.text  # it described the removed item
    assert "    'AA',\n" in doc.text


def test_removing_a_table_takes_its_own_comment_and_keeps_the_section_comment() -> None:
    doc = TomlText(TRICKY)
    doc.remove_table(("people", "bea"))
    assert "Describes Bea" not in doc.text
    assert "# --- Topics ---\n\n[topics.t]" in doc.text
    assert "\n\n\n" not in doc.text
    doc.remove_table(("topics", "t"))
    assert doc.text.endswith("# --- Topics ---\n")


def test_renaming_and_adding_tables_with_quoted_headers() -> None:
    doc = TomlText(TRICKY)
    doc.rename_table(("people", "anna"), "anna-aalto")
    assert "[ people . anna-aalto ]  # quoted key, spaces\n" in doc.text
    doc.add_table(("people", "cee"), {"name": "Cee"})
    assert '# not a comment"""\n\n[people.cee]\nname = "Cee"\n\n# --- Topics' in doc.text
    doc.add_table(("networks", "n"), {"name": "N", "contacts": []})
    assert doc.text.endswith('contacts = ["anna",]\n\n[networks.n]\nname = "N"\ncontacts = []\n')


def test_editor_refuses_what_it_cannot_locate() -> None:
    doc = TomlText('people.anna.name = "A"\n')
    with pytest.raises(LayoutError):
        doc.set(("people", "anna"), "title", "x")
    assert doc.text == 'people.anna.name = "A"\n'


def test_long_new_array_gets_one_item_per_line() -> None:
    doc = TomlText("")
    names = [f"a fairly long alias number {i}" for i in range(4)]
    doc.add_table(("topics", "t"), {"name": "T", "aliases": names})
    assert doc.text.splitlines()[2:4] == ["aliases = [", '    "a fairly long alias number 0",']
    assert tomllib.loads(doc.text)["topics"]["t"]["aliases"] == names


# --- start-up cost -------------------------------------------------------------------


def test_who_does_not_import_the_editing_modules(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from kvlookup import cli\n"
        "try:\n"
        "    cli.main(['who', 'FEDARENE', '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('tomlkit', 'tomli_w', 'vobject', 'kvlookup.editing.edits', 'kvlookup.editing.store',\n"
        "         'kvlookup.editing.tomledit', 'kvlookup.editing.importer', 'kvlookup.editing.in_editor')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert proc.stderr.strip().splitlines()[-1] == "[]"


def test_someone_away_without_a_deputy_is_still_marked_away(run: Invoke) -> None:
    args = ("--from", "2026-12-21", "--to", "2027-01-06", "--reason", "koulutus")
    assert run("away", "hannu-koponen", *args).exit_code == 0
    [contact] = _contacts(run, "FEDARENE", "2026-12-24")
    assert contact["away"] == {"from": "2026-12-21", "until": "2027-01-06", "reason": "koulutus"}
    table = run("who", "FEDARENE", "--date", "2026-12-24", "--format", "table").stdout
    assert "away until 6.1., koulutus" in table


def _raw(path: tuple[str, str], key: str, value: object) -> Callable[[RegistryEdit], None]:
    """An edit written straight into the text, past the command's own checks."""

    def change(doc: RegistryEdit) -> None:
        with doc._editing():
            doc.toml.set(path, key, value)

    return change


_AFTER_EDITS: list[tuple[str, Callable[[RegistryEdit], None]]] = [
    ("set title", lambda doc: doc.set_field("kari-pirinen", "title", ["Planner"])),
    ("set phone", lambda doc: doc.set_field("kari-pirinen", "phone", ["040 1234567"])),
    ("rename person", lambda doc: doc.rename("hannu-koponen", "hannu-k")),
    ("rename entry", lambda doc: doc.rename("wfeo", "wfeo-2")),
    ("remove cascade", lambda doc: doc.remove("hannu-koponen", cascade=True)),
    ("alias moves", lambda doc: doc.edit_list("wfeo", "aliases", add=["Uusi nimi"])),
    ("new topic", lambda doc: doc.add_entry("topic", "t-new", name="Uusi aihe")),
    ("duplicate alias", _raw(("networks", "wfeo"), "aliases", ["FEDARENE"])),
    ("name of another", _raw(("networks", "errin"), "name", "WFEO")),
    ("empty alias", _raw(("people", "kari-pirinen"), "aliases", ["  "])),
    ("unknown contact", _raw(("networks", "wfeo"), "contacts", ["nobody"])),
    ("via cycle", _raw(("networks", "wfeo"), "via", "errin")),
    ("unknown deputy", _raw(("people", "kari-pirinen"), "deputy", "nobody")),
    ("invalid phone", _raw(("people", "kari-pirinen"), "phone", "+358 1")),
    ("bad field", _raw(("people", "kari-pirinen"), "colour", "red")),
]


@pytest.mark.parametrize("change", [c for _, c in _AFTER_EDITS], ids=[n for n, _ in _AFTER_EDITS])
def test_an_edit_is_checked_as_check_checks_the_whole_result(
    change: Callable[[RegistryEdit], None],
) -> None:
    # result() checks only what the edits changed; it must refuse exactly what a check of
    # the whole text refuses, with the same problems.
    from kvlookup.sources import registry as reg

    text = BUNDLED.read_text(encoding="utf-8")
    doc = RegistryEdit(text, BUNDLED)
    change(doc)
    try:
        reg.check_data(doc.toml.data, doc.toml.result(), BUNDLED)
        whole: list[Problem] = []
    except RegistryError as exc:
        whole = exc.problems
    try:
        doc.result()
        problems: list[Problem] = []
    except InvalidInput as exc:
        problems = exc.problems
    assert problems == whole
    # The quick check passes only what the whole check passes (and every valid edit here).
    try:
        quick = reg.still_passes(doc.toml.data, doc.registry, doc._owners, doc._edited)
    except InvalidInput:
        quick = False  # an item fails on its own, again
    assert quick == (not whole)
