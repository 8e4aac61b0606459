"""One vocabulary: a field name means the same thing in who, whois, list, show and export.

Read back with real parsers; the names are those of the README's "Field names" table.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest

from .conftest import ROOT, Invoke

HANNU = {"title_fi": "kehittämispäällikkö", "title_en": "Development Manager"}
ERRIN_VIA = {"via_id": "wfeo", "via_name": "WFEO"}


def _tsv(run: Invoke, *args: str) -> list[dict[str, str]]:
    result = run(*args, "--format", "tsv", "--raw")
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout), delimiter="\t"))


def _json(run: Invoke, *args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _show(run: Invoke, *args: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for line in run("show", *args, "--format", "plain").stdout.splitlines():
        key, value = line.split("\t", 1)
        fields.setdefault(key, []).append(value)
    return fields


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_titles_are_the_same_in_every_command_and_language(run: Invoke, lang: str) -> None:
    ui = ("--lang", lang)
    who = _tsv(run, *ui, "who", "FEDARENE")[0]
    listed = next(r for r in _tsv(run, *ui, "list") if r["id"] == "hannu-koponen")
    exported = next(r for r in _tsv(run, *ui, "export") if r["id"] == "fedarene")
    for row in (who, listed, exported):
        assert {k: row[k] for k in HANNU} == HANNU
        assert "title" not in row  # the reader's-language title is the table's alone
    shown = _show(run, *ui, "hannu-koponen")
    assert {k: shown[k][0] for k in HANNU} == HANNU
    assert {k: _show(run, *ui, "FEDARENE")[k][0] for k in HANNU} == HANNU
    contact = _json(run, *ui, "who", "FEDARENE")["matches"][0]["contacts"][0]
    item = next(i for i in _json(run, *ui, "list")["items"] if i["id"] == "hannu-koponen")
    person = next(p for p in _json(run, *ui, "export")["people"] if p["id"] == "hannu-koponen")
    shown_json = _json(run, *ui, "show", "hannu-koponen")["item"]
    for doc in (contact, item, person, shown_json):
        assert {k: doc[k] for k in HANNU} == HANNU


def test_via_is_an_id_and_a_name_everywhere(run: Invoke) -> None:
    who = _tsv(run, "who", "ERRIN")[0]
    whois = next(r for r in _tsv(run, "whois", "hannu-koponen") if r["id"] == "errin")
    exported = next(
        r for r in _tsv(run, "export", "--fields", "id,via_id,via_name") if r["id"] == "errin"
    )
    for row in (who, whois, exported):
        assert {k: row[k] for k in ERRIN_VIA} == ERRIN_VIA
    assert _show(run, "ERRIN")["via_name"] == ["WFEO"]
    assert _json(run, "who", "ERRIN")["matches"][0]["via_id"] == "wfeo"
    assert _json(run, "show", "ERRIN")["item"]["via_id"] == "wfeo"
    handled = _json(run, "whois", "hannu-koponen")["handles"]
    assert next(h for h in handled if h["id"] == "errin")["via_id"] == "wfeo"
    entry = next(e for e in _json(run, "export")["entries"] if e["id"] == "errin")
    assert entry["via_id"] == "wfeo"


def test_descriptions_are_named_by_language(run: Invoke) -> None:
    shown = _json(run, "show", "FEDARENE")["item"]
    exported = next(
        r
        for r in _tsv(run, "export", "--fields", "id,description_fi,description_en")
        if r["id"] == "fedarene"
    )
    for key in ("description_fi", "description_en"):
        assert shown[key] and shown[key] == exported[key] == _show(run, "FEDARENE")[key][0]


def _documented() -> set[str]:
    """The names in the README's "Field names" table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Field names", 1)[1].split("\n#", 1)[0]
    return {
        m
        for row in re.findall(r"^\| (`.+?`) \|", section, re.M)
        for m in re.findall(r"`([a-z_]+)`", row)
    }


def test_every_machine_column_is_in_the_readme_table(run: Invoke) -> None:
    headers: set[str] = set()
    for args in (("who", "ERRIN"), ("whois", "hannu-koponen"), ("list",)):
        headers |= set(_tsv(run, *args)[0])
    export_fields = run("export", "--fields").stdout.split()
    headers |= {f.strip(",") for f in export_fields if re.fullmatch(r"[a-z_]+,?", f)}
    shown = set(_show(run, "ERRIN")) | set(_show(run, "hannu-koponen"))
    assert headers | shown <= _documented()


@pytest.mark.parametrize("old", [False, True], ids=["schema-2-names", "schema-1-names"])
def test_an_export_imports_back_unchanged_under_either_names(
    run: Invoke, registry_path: Any, old: bool
) -> None:
    before = registry_path.read_bytes()
    exported = run("export", "--format", "csv", "--raw").stdout
    header, rest = exported.split("\n", 1)
    assert header.split(",")[3] == "via_id" and "title_fi" in header
    if old:  # what kvlookup wrote before the names were one vocabulary
        header = header.replace("title_fi", "title").replace("via_id", "via")
    sheet = registry_path.with_name("sheet.csv")
    sheet.write_text(f"{header}\n{rest}", encoding="utf-8")
    result = run("import", str(sheet), "--yes")
    assert result.exit_code == 0, result.stderr
    assert registry_path.read_bytes() == before
