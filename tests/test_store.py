"""Safe writes: lock, hash check, backup, permissions, symlinks, failures, concurrency."""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

import pytest

from kvlookup import safewrite
from kvlookup.editing import store
from kvlookup.errors import ConflictError, WriteError

from .conftest import Invoke
from .processes import ADDED, run_adders

ADD = ("add", "person", "anna", "--name", "Anna Aalto")


def leftovers(folder: Path) -> list[str]:
    """Temporary files a write may have left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_keeps_a_backup_of_the_previous_version(run: Invoke, registry_path: Path) -> None:
    before = registry_path.read_bytes()
    result = run(*ADD)
    assert result.exit_code == 0
    backup = registry_path.with_name("contacts.toml.bak")
    assert backup.read_bytes() == before
    assert f"the previous version is in {backup}" in result.stderr
    after = registry_path.read_bytes()
    assert run("set", "anna", "title", "x").exit_code == 0
    assert backup.read_bytes() == after  # one backup: the version just replaced


def test_permission_bits_are_kept_on_file_and_backup(run: Invoke, registry_path: Path) -> None:
    registry_path.chmod(0o640)
    assert run(*ADD).exit_code == 0
    assert stat.S_IMODE(registry_path.stat().st_mode) == 0o640
    assert stat.S_IMODE(registry_path.with_name("contacts.toml.bak").stat().st_mode) == 0o640


def test_symlink_stays_a_link_and_its_target_is_updated(
    run: Invoke, registry_path: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "contacts.toml"
    registry_path.rename(target)
    registry_path.symlink_to(target)
    assert run(*ADD).exit_code == 0
    assert registry_path.is_symlink()
    assert os.readlink(registry_path) == str(target)
    assert "[people.anna]" in target.read_text(encoding="utf-8")
    # Backup and lock sit beside the real file, where every link to it finds them.
    assert (shared / "contacts.toml.bak").exists() and (shared / "contacts.toml.lock").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.toml", "shared"]


def test_file_changed_since_read_is_not_overwritten(registry_path: Path) -> None:
    snapshot = store.read(registry_path)
    theirs = registry_path.read_bytes() + b"\n# a colleague's edit\n"
    registry_path.write_bytes(theirs)
    with pytest.raises(ConflictError) as info:
        store.commit(snapshot, snapshot.data + b"\n# mine\n")
    assert info.value.key == "store.changed"
    assert registry_path.read_bytes() == theirs
    assert not registry_path.with_name("contacts.toml.bak").exists()
    assert leftovers(registry_path.parent) == []


def test_file_created_since_read_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    snapshot = store.read(path, missing_ok=True)
    path.write_bytes(b"# someone else's\n")
    with pytest.raises(ConflictError):
        store.commit(snapshot, b"# mine\n")
    assert path.read_bytes() == b"# someone else's\n"


def test_conflict_exits_4_through_the_cli(
    run: Invoke, registry_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another program rewrites the file between our read and our write.
    real_write = store.write

    def racing_write(snapshot: store.Snapshot, data: bytes) -> Path | None:
        registry_path.write_bytes(snapshot.data + b"# changed meanwhile\n")
        return real_write(snapshot, data)

    monkeypatch.setattr(store, "write", racing_write)
    result = run(*ADD)
    assert result.exit_code == 4
    assert "changed on disk since it was read" in result.stderr
    assert registry_path.read_bytes().endswith(b"# changed meanwhile\n")


def test_failed_write_leaves_the_original_and_no_temporary_file(
    run: Invoke, registry_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = registry_path.read_bytes()
    real_replace = os.replace

    def disk_full(src: str, dst: str) -> None:
        if Path(dst) == registry_path:  # the backup goes through; the registry does not
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(safewrite.os, "replace", disk_full)
        result = run(*ADD)
    assert result.exit_code == 3
    assert "Cannot write" in result.stderr and "No space left on device" in result.stderr
    assert "The registry is unchanged." in result.stderr
    assert registry_path.read_bytes() == before
    assert leftovers(registry_path.parent) == []
    # The lock was released: the next write goes through at once.
    started = time.monotonic()
    assert run(*ADD).exit_code == 0
    assert time.monotonic() - started < store.LOCK_TIMEOUT / 2


def test_failure_while_writing_the_temporary_file(
    registry_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = registry_path.read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(safewrite.os, "fsync", broken_fsync)
    with pytest.raises(WriteError):
        store.update(registry_path, lambda snap: snap.data + b"# x\n")
    assert registry_path.read_bytes() == before
    assert leftovers(registry_path.parent) == []


def test_unwritable_folder_is_a_clean_error(run: Invoke, registry_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    registry_path.parent.chmod(0o555)
    try:
        result = run(*ADD)
    finally:
        registry_path.parent.chmod(0o755)
    assert result.exit_code == 3
    assert "Cannot write" in result.stderr and "Traceback" not in result.stderr


def test_lock_held_too_long_is_a_conflict(
    run: Invoke, registry_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "LOCK_TIMEOUT", 0.2)
    before = registry_path.read_bytes()
    with store.locked(registry_path):
        result = run(*ADD)
    assert result.exit_code == 4
    assert "is being written by another kvlookup (waited 0.2 s)" in result.stderr
    assert registry_path.read_bytes() == before


def test_lock_times_out(registry_path: Path) -> None:
    started = time.monotonic()
    with store.locked(registry_path), pytest.raises(ConflictError):  # noqa: SIM117
        with store.locked(registry_path, timeout=0.2):
            pass
    assert 0.2 <= time.monotonic() - started < 2


def test_new_file_gets_the_usual_mode(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    change = store.update(path, lambda snap: b"# new\n", missing_ok=True)
    assert change.written and change.backup is None
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_four_processes_adding_twenty_entries_each_lose_nothing(registry_path: Path) -> None:
    assert run_adders(registry_path) == ADDED
    assert leftovers(registry_path.parent) == []
