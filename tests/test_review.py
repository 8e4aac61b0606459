"""Review dates: reviewed = YYYY-MM-DD on entries, 'kvlookup review', 'set ENTRY reviewed today'."""

from __future__ import annotations

import json
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest

from kvlookup.review import cutoff

from .conftest import Invoke


@pytest.mark.parametrize(
    ("age", "today", "expected"),
    [
        ("6m", date(2026, 8, 31), date(2026, 2, 28)),  # no 31 February: its last day
        ("6m", date(2024, 8, 31), date(2024, 2, 29)),
        ("6m", date(2026, 3, 15), date(2025, 9, 15)),
        ("1y", date(2026, 6, 1), date(2025, 6, 1)),
        ("90d", date(2026, 6, 1), date(2026, 3, 3)),
        ("2w", date(2026, 6, 1), date(2026, 5, 18)),
        ("6M", date(2026, 3, 15), date(2025, 9, 15)),
    ],
)
def test_cutoff(age: str, today: date, expected: date) -> None:
    assert cutoff(age, today) == expected


@pytest.mark.parametrize("age", ["", "6", "m", "6x", "-6m", "6 months"])
def test_cutoff_refuses_what_it_cannot_read(age: str) -> None:
    assert cutoff(age, date(2026, 6, 1)) is None


def _due(run: Invoke, *args: str) -> list[dict[str, str | None]]:
    result = run("review", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    entries: list[dict[str, str | None]] = json.loads(result.stdout)["entries"]
    return entries


def test_review_lists_due_entries_oldest_first(run: Invoke) -> None:
    long_ago = (date.today() - timedelta(days=400)).isoformat()
    recently = (date.today() - timedelta(days=30)).isoformat()
    assert run("set", "fedarene", "reviewed", long_ago).exit_code == 0
    assert run("set", "errin", "reviewed", recently).exit_code == 0
    assert run("set", "wfeo", "reviewed", "today").exit_code == 0
    due = _due(run, "--older-than", "6m")
    ids = [e["id"] for e in due]
    # Never reviewed comes first (oldest of all), then by date; recent ones are not due.
    assert ids[-1] == "fedarene" and due[-1]["reviewed"] == long_ago
    assert all(e["reviewed"] is None for e in due[:-1])
    assert "errin" not in ids and "wfeo" not in ids
    assert "errin" in [e["id"] for e in _due(run, "--older-than", "2w")]
    assert "wfeo" not in [e["id"] for e in _due(run, "--older-than", "2w")]


def test_review_table_and_nothing_due(run: Invoke, registry_path: Path) -> None:
    data = tomllib.loads(registry_path.read_text(encoding="utf-8"))
    ids = [i for table in ("topics", "projects", "networks") for i in data[table]]
    for item in ids:
        assert run("set", item, "reviewed", "today").exit_code == 0
    result = run("review")
    assert result.exit_code == 0
    assert result.stdout.strip() == ""
    assert "Nothing is due" in result.stderr
    fi = run("--lang", "fi", "review")
    assert "Ei tarkistettavaa" in fi.stderr


def test_review_refuses_a_bad_age(run: Invoke) -> None:
    result = run("review", "--older-than", "soon")
    assert result.exit_code == 2
    assert "Invalid age 'soon'" in result.stderr


def test_set_reviewed_writes_a_toml_date(run: Invoke, registry_path: Path) -> None:
    assert run("set", "FEDARENE", "reviewed", "today").exit_code == 0
    text = registry_path.read_text(encoding="utf-8")
    assert f"reviewed = {date.today().isoformat()}\n" in text
    assert tomllib.loads(text)["networks"]["fedarene"]["reviewed"] == date.today()
    assert run("set", "FEDARENE", "reviewed", "2026-06-01").exit_code == 0
    assert "reviewed = 2026-06-01\n" in registry_path.read_text(encoding="utf-8")
    assert run("set", "FEDARENE", "reviewed", "").exit_code == 0
    assert "reviewed" not in registry_path.read_text(encoding="utf-8")
    bad = run("set", "FEDARENE", "reviewed", "yesterday")
    assert bad.exit_code == 2 and "Invalid date 'yesterday'" in bad.stderr
    person = run("set", "hannu-koponen", "reviewed", "today")
    assert person.exit_code == 2  # people are not reviewed; their directory is


def test_reviewed_must_be_a_date(run: Invoke, registry_path: Path) -> None:
    text = registry_path.read_text(encoding="utf-8")
    text = text.replace("[networks.fedarene]\n", '[networks.fedarene]\nreviewed = "2026-06-01"\n')
    registry_path.write_text(text, encoding="utf-8")
    result = run("check")
    assert result.exit_code == 3
    assert (
        "networks.fedarene.reviewed: reviewed must be a date (reviewed = 2026-06-01), found string"
        in result.stderr
    )


@pytest.mark.parametrize(
    "key", ["uid=hkoponen", "hannu.koponen@keskisuomi.fi", "sAMAccountName=hkoponen"]
)
def test_a_directory_key_can_be_set(run: Invoke, registry_path: Path, key: str) -> None:
    assert run("set", "hannu-koponen", "directory", key).exit_code == 0
    assert (
        tomllib.loads(registry_path.read_text(encoding="utf-8"))["people"]["hannu-koponen"][
            "directory"
        ]
        == key
    )
    assert run("check").exit_code == 0


@pytest.mark.parametrize("key", ["hkoponen", "uid=", "u(id=x", "=x", "1uid=x"])
def test_a_malformed_directory_key_is_refused(run: Invoke, registry_path: Path, key: str) -> None:
    result = run("set", "hannu-koponen", "directory", key)
    assert result.exit_code == 2
    assert "Invalid directory key" in result.stderr
    text = registry_path.read_text(encoding="utf-8").replace(
        "[people.hannu-koponen]\n", f'[people.hannu-koponen]\ndirectory = "{key}"\n'
    )
    registry_path.write_text(text, encoding="utf-8")
    checked = run("check")
    assert checked.exit_code == 3 and "must be attribute=value" in checked.stderr
