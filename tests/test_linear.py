"""Cost that grows with the registry: work counted per item, never timed (bench/ times it)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kvlookup.editing import linediff, store
from kvlookup.models import Registry

from .conftest import Invoke, write_registry


def synthetic(n_entries: int, n_people: int) -> str:
    """A valid registry of n_entries topics spread over n_people people."""
    out = ['schema = 1\norganisation = "Test"\n\n']
    for i in range(n_people):
        out.append(
            f'[people.p{i}]\nname = "Person{i} Surname{i}"\nemail = "p{i}@example.fi"\n'
            f'phone = "+358 40 {1000000 + i}"\n\n'
        )
    for i in range(n_entries):
        out.append(
            f'[topics.t{i}]\nname = "Topic{i}"\naliases = ["Alias{i}"]\n'
            f'contacts = ["p{i % n_people}"]\n\n'
        )
    return "".join(out)


def new_people_csv(
    path: Path, rows: int, handles: str = "Fresh{i}", before: Sequence[str] = ()
) -> Path:
    """An import CSV of rows new people ("New{i} Person"), each handling handles.format(i=i)."""
    lines = ["name,phone,email,handles", *before]
    lines += [
        f"New{i} Person,040 {2000000 + i},new{i}@example.fi,{handles.format(i=i)}"
        for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times Registry.contacts_of runs."""
    calls = {"contacts_of": 0}
    original = Registry.contacts_of

    def counting(self: Registry, entry: object) -> object:
        calls["contacts_of"] += 1
        return original(self, entry)  # type: ignore[arg-type]

    monkeypatch.setattr(Registry, "contacts_of", counting)
    return calls


@pytest.mark.parametrize("fmt", ["csv", "json", "vcard", "toml"])
def test_export_resolves_contacts_a_bounded_number_of_times_per_entry(
    run: Invoke, tmp_path: Path, counted: dict[str, int], fmt: str
) -> None:
    # Each person's row asked every entry who its contacts were: 30,000 entries took 85 s.
    n_entries, n_people = 400, 100
    path = write_registry(tmp_path / "big.toml", synthetic(n_entries, n_people))
    result = run("--registry", str(path), "export", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert counted["contacts_of"] <= 4 * n_entries
    if fmt == "json":
        people = json.loads(result.stdout)["people"]
        assert len(people) == n_people
        assert all(len(p["handles"]) == n_entries // n_people for p in people)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text the TOML parser parses."""
    from kvlookup.sources import tomlread

    sizes: list[int] = []
    original = tomlread.loads

    def counting(text: str, **kwargs: object) -> object:
        sizes.append(len(text))
        return original(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tomlread, "loads", counting)
    return sizes


def test_an_import_parses_the_registry_once_and_each_edit_only_its_table(
    run: Invoke, tmp_path: Path, parsed: list[int]
) -> None:
    # Every edit re-parsed, re-scanned and re-indexed the whole text: 300 CSV rows into a
    # 5,000-entry registry took 654 s.
    n_entries, rows = 300, 40
    path = write_registry(tmp_path / "big.toml", synthetic(n_entries, 30))
    size = path.stat().st_size
    csv = new_people_csv(tmp_path / "new.csv", rows, handles="Topic{i};Fresh{i}")
    result = run("--registry", str(path), "import", str(csv), "--yes")
    assert result.exit_code == 0, result.stderr
    assert sum(parsed) < 2 * size
    after = path.read_text(encoding="utf-8")
    assert after.count("[people.") == 30 + rows
    assert after.count("[topics.") == n_entries + rows


def test_set_parses_the_registry_once(run: Invoke, tmp_path: Path, parsed: list[int]) -> None:
    path = write_registry(tmp_path / "big.toml", synthetic(300, 30))
    size = path.stat().st_size
    assert run("--registry", str(path), "set", "Alias7", "description", "Uusi").exit_code == 0
    assert sum(parsed) < 1.2 * size
    assert 'description = "Uusi"' in path.read_text(encoding="utf-8")


lines = st.lists(st.sampled_from(["[a]", "[b]", "x = 1", "", "y = 2", "# c", "[c]"]), max_size=30)


@settings(max_examples=200, deadline=None)
@given(lines, lines)
def test_line_diff_turns_one_version_into_the_other(a: list[str], b: list[str]) -> None:
    rebuilt: list[str] = []
    for tag, i1, i2, j1, j2 in linediff.opcodes(a, b):
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        rebuilt += b[j1:j2]
    assert rebuilt == b


def test_large_diff_shows_only_what_changed() -> None:
    a = [line for i in range(20000) for line in (f"[t.{i}]", 'title = "Planner"', "")]
    b = [*a[:30000], "[t.new]", 'title = "Planner"', "", *a[30000:]]
    b[3001] = 'title = "Manager"'
    diff = store.unified_diff("\n".join(a).encode(), "\n".join(b).encode(), "r.toml")
    changed = [ln for ln in diff.splitlines() if ln[:1] in "+-" and ln[:3] not in ("---", "+++")]
    # Where the three new lines sit among equal neighbours is the aligner's choice.
    assert changed[:2] == ['-title = "Planner"', '+title = "Manager"']
    assert sorted(changed[2:]) == sorted(["+[t.new]", '+title = "Planner"', "+"])


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times a whole registry is checked, and a phone number fully validated."""
    from kvlookup import contactinfo
    from kvlookup.sources import registry

    calls = {"build": 0, "phone": 0}
    build, valid = registry._Checker.build, contactinfo.is_valid_phone

    def counting_build(self: object, data: object) -> object:
        calls["build"] += 1
        return build(self, data)  # type: ignore[arg-type]

    def counting_phone(number: str) -> bool:
        calls["phone"] += 1
        return valid(number)

    monkeypatch.setattr(registry._Checker, "build", counting_build)
    monkeypatch.setattr(contactinfo, "is_valid_phone", counting_phone)
    return calls


@pytest.mark.parametrize("edit", ["set", "import"])
def test_an_edit_checks_the_whole_registry_once(
    run: Invoke, tmp_path: Path, checked: dict[str, int], edit: str
) -> None:
    # The result of an edit was checked whole, as the registry read had been: at 100k
    # entries 'set' took twice as long as 'list'. Only what the edit changed is checked.
    n_people, rows = 60, 5
    path = write_registry(tmp_path / "big.toml", synthetic(300, n_people))
    if edit == "set":
        result = run("--registry", str(path), "set", "p7", "phone", "040 1234567")
    else:
        csv = new_people_csv(tmp_path / "new.csv", rows)
        result = run("--registry", str(path), "import", str(csv), "--yes")
    assert result.exit_code == 0, result.stderr
    assert checked["build"] == 1
    assert checked["phone"] <= n_people + 2 * rows


def test_an_import_splits_each_entry_name_into_words_once(
    run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Looking up each row's person by name indexed every name and alias again, word by
    # word, though the check had just split them: 1.6 s of an import into 100k entries.
    # The check's own splitting (text.tokens bound as build's default) is not counted
    # here: only what the lookups add, a few labels a person and a row, none an entry.
    from kvlookup.search import text

    calls = [0]
    original = text.tokens

    def counting(label: str) -> tuple[str, ...]:
        calls[0] += 1
        return original(label)

    monkeypatch.setattr(text, "tokens", counting)
    n_entries, n_people, rows = 400, 20, 10
    path = write_registry(tmp_path / "big.toml", synthetic(n_entries, n_people))
    known = [f"Person{i} Surname{i},,,Topic{i};Alias{i + 1};Fresh{i}" for i in range(rows)]
    csv = new_people_csv(tmp_path / "new.csv", rows, before=known)
    result = run("--registry", str(path), "import", str(csv), "--yes")
    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    assert after.count("[people.") == n_people + rows  # the first rows found their people
    assert after.count("[topics.") == n_entries + rows  # Fresh{i}, named twice
    assert calls[0] <= 3 * n_people + 20 * 2 * rows
