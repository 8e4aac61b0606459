"""Cost that grows with the registry: work counted per item, never timed (bench/ times it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
