"""kvlookup import: the web page's contact blocks, CSV and vCard, merged without losing data."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
import typer

from kvlookup import importer

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
    assert (hannu.title, hannu.phone, hannu.email) == (
        "kehittämispäällikkö",
        "+358 40 5950009",
        "hannu.koponen@keskisuomi.fi",
    )
    assert hannu.handles == (
        "WFEO",
        "FEDARENE",
        "BEA-APP-hanke",
        "RDI2CluB-hanke",
        "Baltic ForBio-hanke",
    )
    assert contacts[2].handles == ("Luova talous", "CREADIS3 -hanke")


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
