"""One field schema: every layer reads a field's declaration, so adding a field is one line."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest

from kvlookup import i18n
from kvlookup.editing import edits
from kvlookup.models import ENTRY_FIELDS, PERSON_FIELDS, Absence, Entry, Person
from kvlookup.output import export
from kvlookup.sources import cache

from .conftest import ROOT, Invoke, cache_dir

# The line README's "Adding a field" section tells a maintainer to write.
ROOM = '    room: Annotated[str, Field(TEXT)] = ""\n'


def test_every_field_of_a_record_is_declared_in_the_schema() -> None:
    # A field without its Field would be silently dropped by validation, cache and exports.
    assert ("id", *(f.name for f in PERSON_FIELDS)) == Person._fields
    assert ("id", "kind", *(f.name for f in ENTRY_FIELDS)) == Entry._fields


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_every_export_column_has_a_header_in_both_languages(lang: i18n.Lang) -> None:
    for column in export.COLUMNS.values():
        assert i18n.t(lang, column.header)


def test_set_takes_the_fields_the_schema_lets_it_set() -> None:
    assert [f.name for f in edits.PERSON_SETTABLE] == [
        "name",
        "title",
        "title_en",
        "phone",
        "email",
        "aliases",
        "deputy",
        "directory",
    ]
    assert [f.name for f in edits.ENTRY_SETTABLE] == [
        "name",
        "aliases",
        "description",
        "description_en",
        "via",
        "reviewed",
    ]


@pytest.mark.parametrize(
    "item",
    [
        Person(
            "anna",
            "Anna",
            "suunnittelija",
            "Planner",
            "+358 40 1234567",
            "anna@example.fi",
            ("AA",),
            "bert",
            (Absence(date(2026, 12, 1), date(2026, 12, 8), "loma"),),
            "uid=anna",
            (("phone", "directory"),),
        ),
        Person("bert", "Bert"),
        Person("carl", "Carl", directory="uid=carl"),
        Entry("t", "topic", "T", ("tee",), "kuvaus", "about", ("anna",), "u", date(2026, 6, 1)),
        Entry("n", "network", "N", directory="cn=n", source=(("name", "directory"),)),
        Entry("p", "project", "P"),
    ],
)
def test_the_cache_keeps_every_field(item: Person | Entry) -> None:
    assert cache._decode(item.id, item.kind, cache._encode(item)) == item


def _copy_with_room(tmp_path: Path) -> Path:
    """A copy of the package whose Person has one more line: a 'room' text field."""
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "kvlookup", src / "kvlookup", ignore=shutil.ignore_patterns("__pycache__")
    )
    models = src / "kvlookup" / "models.py"
    lines = models.read_text(encoding="utf-8").splitlines(keepends=True)
    email = next(i for i, line in enumerate(lines) if line.startswith("    email: "))
    models.write_text("".join([*lines[: email + 1], ROOM, *lines[email + 1 :]]), encoding="utf-8")
    return src


def test_a_field_added_in_one_line_reaches_set_export_json_and_the_cache(
    tmp_path: Path, registry_path: Path
) -> None:
    src = _copy_with_room(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "KVLOOKUP_NO_CACHE"}
    env |= {"PYTHONPATH": str(src), "KVLOOKUP_REGISTRY": str(registry_path)}

    program = "import sys; from kvlookup.cli import main; main(sys.argv[1:])"

    def kvlookup(*args: str, code: int = 0) -> str:
        proc = subprocess.run(
            [sys.executable, "-c", program, *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert proc.returncode == code, proc.stderr
        return proc.stdout + proc.stderr

    kvlookup("set", "hannu-koponen", "room", "B", "204")
    assert tomllib.loads(registry_path.read_text(encoding="utf-8"))["people"]["hannu-koponen"][
        "room"
    ] == ("B 204")
    kvlookup("check")

    rows = list(csv.DictReader(io.StringIO(kvlookup("export", "--format", "csv"))))
    assert {r["contact_id"]: r["room"] for r in rows}["hannu-koponen"] == "B 204"
    exported = json.loads(kvlookup("export", "--format", "json"))
    assert {p["id"]: p["room"] for p in exported["people"]}["hannu-koponen"] == "B 204"
    tree = tomllib.loads(kvlookup("export", "--format", "toml"))
    assert tree["people"]["hannu-koponen"]["room"] == "B 204"

    for _ in range(2):  # the first lookup writes the cache, the second answers from it
        who = json.loads(kvlookup("who", "FEDARENE", "--format", "json"))
        contacts = {c["id"]: c for c in who["matches"][0]["contacts"]}
        assert contacts["hannu-koponen"]["room"] == "B 204"
    shown = json.loads(kvlookup("show", "hannu-koponen", "--format", "json"))
    assert shown["item"]["room"] == "B 204"
    [cache_file] = cache_dir(tmp_path).glob("*.sqlite")
    with sqlite3.connect(cache_file) as conn:
        [(body,)] = conn.execute("SELECT body FROM items WHERE id = 'hannu-koponen'").fetchall()
    assert "B 204" in json.loads(body)

    # A person's field, not an entry's: the usage error lists what an entry has.
    assert "'room'" in kvlookup("set", "fedarene", "room", "B 204", code=2)


def test_a_toml_export_keeps_review_dates_and_directory_keys(run: Invoke) -> None:
    """A TOML export is a registry: what the registry stores, it keeps."""
    import tomllib

    assert run("set", "fedarene", "reviewed", "2026-06-01").exit_code == 0
    assert run("set", "hannu-koponen", "directory", "uid=hkoponen").exit_code == 0
    result = run("export", "--format", "toml", "--query", "FEDARENE")
    assert result.exit_code == 0, result.stderr
    tree = tomllib.loads(result.stdout)
    assert str(tree["networks"]["fedarene"]["reviewed"]) == "2026-06-01"
    assert tree["people"]["hannu-koponen"]["directory"] == "uid=hkoponen"
