"""No write empties or guts the registry by accident, and an empty registry is a problem."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kvlookup.editing import edits, store
from kvlookup.errors import UsageError

from .conftest import Invoke

ADD = ("add", "person", "anna", "--name", "Anna Aalto")
# The bundled registry has 4 people and 15 entries; its entries start at [networks.wfeo].
PEOPLE_ONLY = "sed -i '/^\\[networks\\.wfeo\\]/,$d' \"$1\""


def editor(tmp_path: Path, body: str) -> str:
    """A shell script standing in for the user's editor; $1 is the copy."""
    script = tmp_path / "editor.sh"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


@pytest.mark.parametrize("content", ["", "# nothing here yet\n", "schema = 1\n"])
def test_check_reports_a_registry_with_no_people_and_no_entries(
    run: Invoke, registry_path: Path, content: str
) -> None:
    registry_path.write_text(content, encoding="utf-8")
    result = run("check")
    assert result.exit_code == 3
    assert "contacts.toml: no people and no entries" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_editor_that_empties_the_file_installs_nothing(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    before = registry_path.read_bytes()
    result = run("edit", env={"EDITOR": editor(tmp_path, ': > "$1"')}, input="n\n")
    assert result.exit_code == 2
    assert "no people and no entries" in result.stderr
    assert "Not installed" in result.stderr
    assert registry_path.read_bytes() == before
    assert not registry_path.with_name("contacts.toml.bak").exists()


def test_an_editor_that_truncates_the_file_installs_nothing_without_force(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    before = registry_path.read_bytes()
    script = editor(tmp_path, PEOPLE_ONLY)
    result = run("edit", env={"EDITOR": script}, input="n\n")
    assert result.exit_code == 2
    assert "keeps 4 of its 19 people and entries, fewer than half" in result.stderr
    assert "Re-open the editor to fix this?" in result.stderr
    assert registry_path.read_bytes() == before
    [copy] = temp_dir.iterdir()  # the cut copy is kept, and named
    assert str(copy) in result.stderr
    # Meant: --force installs it.
    forced = run("edit", "--force", env={"EDITOR": script})
    assert forced.exit_code == 0, forced.stderr
    data = tomllib.loads(registry_path.read_text(encoding="utf-8"))
    assert len(data["people"]) == 4 and "networks" not in data
    assert registry_path.with_name("contacts.toml.bak").read_bytes() == before


def test_an_edit_that_keeps_more_than_half_is_installed(
    run: Invoke, registry_path: Path, tmp_path: Path, temp_dir: Path
) -> None:
    # Cut from the topics on: 4 people, 5 networks and 4 projects, 13 of 19 ids.
    script = editor(tmp_path, "sed -i '/^\\[topics\\.eu-advocacy\\]/,$d' \"$1\"")
    result = run("edit", env={"EDITOR": script})
    assert result.exit_code == 0, result.stderr


def test_the_loss_rule_counts_ids_kept() -> None:
    ids = [f"id{i}" for i in range(10)]
    assert not store.loses_most(ids, ids)
    assert not store.loses_most(ids, ids[:5])  # half is kept
    assert store.loses_most(ids, ids[:4])
    # Ten new ids in place of the ten there were: everything was lost.
    assert store.loses_most(ids, [f"new{i}" for i in range(10)])
    assert not store.loses_most([], ["a"])  # an empty start has nothing to lose


def test_every_edit_command_path_refuses_to_lose_most(registry_path: Path) -> None:
    before = registry_path.read_bytes()

    def gut(doc: edits.RegistryEdit) -> None:
        # No command removes more than one item; the rule still holds for any change.
        for item_id in list(doc.registry.entries):
            doc.remove(item_id, cascade=True)

    with pytest.raises(UsageError) as info:
        edits.apply(registry_path, gut)
    assert info.value.key == "store.loses"
    assert registry_path.read_bytes() == before


def test_an_empty_registry_does_not_replace_the_backup(run: Invoke, registry_path: Path) -> None:
    good = registry_path.read_bytes()
    assert run("set", "hannu-koponen", "title", "x").exit_code == 0
    backup = registry_path.with_name("contacts.toml.bak")
    assert backup.read_bytes() == good
    # Something empties the registry; the next edit starts from the empty file...
    registry_path.write_bytes(b"")
    assert run(*ADD).exit_code == 0
    # ...and the backup still holds the last good version.
    assert backup.read_bytes() == good


def test_edits_and_imports_may_start_from_an_empty_file(
    run: Invoke, registry_path: Path, tmp_path: Path
) -> None:
    registry_path.write_bytes(b"")
    assert run(*ADD).exit_code == 0
    assert run("check").exit_code == 0
