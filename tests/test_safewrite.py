"""The one safe write: no planted link followed, streams written into, the registry never exported over."""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kvlookup import safewrite

from .conftest import Invoke

ADD = ("add", "person", "anna", "--name", "Anna Aalto")


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file another user wants overwritten: kvlookup must neither write nor chmod it."""
    path = tmp_path / "victim" / ".bashrc"
    path.parent.mkdir()
    path.write_text("alias ls='ls -F'\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def untouched(victim: Path) -> bool:
    """True while the victim file has its own contents and mode."""
    mode = stat.S_IMODE(victim.stat().st_mode)
    return victim.read_text(encoding="utf-8") == "alias ls='ls -F'\n" and mode == 0o600


# --- backups and lock files (issue 11, item 2) ------------------------------------------


def test_a_symlinked_backup_is_replaced_not_followed(
    run: Invoke, registry_path: Path, victim: Path
) -> None:
    before = registry_path.read_bytes()
    backup = registry_path.with_name("contacts.toml.bak")
    backup.symlink_to(victim)
    result = run(*ADD)
    assert result.exit_code == 0, result.stderr
    assert untouched(victim)
    assert not backup.is_symlink() and backup.read_bytes() == before


def test_a_hard_linked_backup_is_neither_written_nor_chmod_ed(
    run: Invoke, registry_path: Path, victim: Path
) -> None:
    registry_path.chmod(0o644)
    backup = registry_path.with_name("contacts.toml.bak")
    os.link(victim, backup)
    assert run(*ADD).exit_code == 0
    assert untouched(victim)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o644


@pytest.mark.parametrize("dangling", [False, True])
def test_a_symlinked_lock_file_is_refused_and_its_target_untouched(
    run: Invoke, registry_path: Path, victim: Path, dangling: bool
) -> None:
    before = registry_path.read_bytes()
    target = victim.with_name("planted") if dangling else victim
    registry_path.with_name("contacts.toml.lock").symlink_to(target)
    result = run(*ADD)
    assert result.exit_code == 3
    assert "contacts.toml.lock is a symbolic link" in result.stderr
    assert "Traceback" not in result.stderr
    assert registry_path.read_bytes() == before
    assert untouched(victim)
    assert not victim.with_name("planted").exists()  # not created through the link


# --- export -o: streams, devices and the registry (items 3 and 5) -----------------------


def is_root() -> bool:
    """True when running as root (never on Windows)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _device(tmp_path: Path, name: str, minor: int) -> Path:
    """A private copy of /dev/null (minor 3) or /dev/full (minor 7), so no test risks the real one."""
    if not is_root():
        pytest.skip("creating a device node needs root")
    path = tmp_path / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except OSError as exc:  # a container may forbid mknod even to root
        pytest.skip(f"cannot create a device node here: {exc.strerror}")
    return path


def test_export_into_a_device_writes_into_it_and_keeps_the_device(
    run: Invoke, tmp_path: Path
) -> None:
    null = _device(tmp_path, "null", 3)
    result = run("export", "-o", str(null), "--force")
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(null.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.toml", "null"]


def test_export_into_a_full_device_says_so(run: Invoke, tmp_path: Path) -> None:
    # Not root: the real /dev/full, which root could replace. Root: a copy of it.
    full = _device(tmp_path, "full", 7) if is_root() else Path("/dev/full")
    if not full.exists():
        pytest.skip("no /dev/full on this system")
    result = run("export", "-o", str(full), "--force")
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr
    assert "Permission denied" not in result.stderr and "Traceback" not in result.stderr
    assert stat.S_ISCHR(full.stat().st_mode)


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[tuple[Path, list[bytes]]]:
    """A named pipe with a reader collecting what is written into it."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    path = tmp_path / "pipe"
    os.mkfifo(path)
    received: list[bytes] = []

    def read() -> None:
        with path.open("rb") as fh:
            received.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    yield path, received
    if reader.is_alive():  # the test failed before writing: let the reader go
        # Non-blocking: should the reader finish meanwhile, a blocking open would wait for
        # a reader forever; this one fails at once (ENXIO) instead.
        with contextlib.suppress(OSError):
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
    reader.join(5)


@pytest.mark.parametrize("force", [True, False])
def test_export_into_a_named_pipe_streams_into_it(
    run: Invoke, fifo: tuple[Path, list[bytes]], force: bool
) -> None:
    path, received = fifo
    result = run("export", "-o", str(path), *(["--force"] if force else []))
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(path.stat().st_mode)  # still a pipe, not a regular file
    for _ in range(500):
        if received:
            break
        threading.Event().wait(0.01)
    assert received and received[0].startswith(b"id,kind,name")


def test_export_refuses_a_socket(run: Invoke, tmp_path: Path) -> None:
    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no Unix sockets on this system")
    path = tmp_path / "sock"
    if len(str(path)) > 100:
        pytest.skip("temporary path too long for a socket")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        result = run("export", "-o", str(path), "--force")
    assert result.exit_code == 2
    assert "not a file, a device or a named pipe" in result.stderr
    assert stat.S_ISSOCK(path.lstat().st_mode)


@pytest.mark.parametrize("spelling", ["absolute", "relative", "symlink", "hard link", "dotted"])
def test_export_never_replaces_the_registry(
    run: Invoke,
    registry_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    spelling: str,
) -> None:
    before = registry_path.read_bytes()
    monkeypatch.chdir(tmp_path)
    names = {
        "absolute": str(registry_path),
        "relative": "contacts.toml",
        "dotted": "./sub/../contacts.toml",
        "symlink": "link.toml",
        "hard link": "hard.toml",
    }
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.toml").symlink_to(registry_path)
    os.link(registry_path, tmp_path / "hard.toml")
    result = run("export", "-o", names[spelling], "--force")
    assert result.exit_code == 2
    assert "is the registry" in result.stderr and "Traceback" not in result.stderr
    assert registry_path.read_bytes() == before
    assert not registry_path.with_name("contacts.toml.bak").exists()


@pytest.mark.parametrize("suffix", [".bak", ".lock"])
def test_export_never_replaces_the_backup_or_the_lock(
    run: Invoke, registry_path: Path, suffix: str
) -> None:
    assert run(*ADD).exit_code == 0  # makes both
    other = registry_path.with_name("contacts.toml" + suffix)
    before = other.read_bytes()
    result = run("export", "-o", str(other), "--force")
    assert result.exit_code == 2
    assert other.read_bytes() == before


def test_export_through_a_users_own_symlink_updates_its_target(run: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.csv"
    link.symlink_to(target)
    assert run("export", "-o", str(link), "--force").exit_code == 0
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("id,kind,name")


# --- the module itself ----------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder of the test's own (tmp_path holds the registry)."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def test_replace_never_follows_a_link_at_the_path(tmp_path: Path, victim: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to(victim)
    safewrite.replace(link, b"new\n", mode=0o644)
    assert untouched(victim)
    assert not link.is_symlink() and link.read_bytes() == b"new\n"
    assert stat.S_IMODE(link.stat().st_mode) == 0o644


def test_a_new_file_is_not_put_over_one_that_appeared(folder: Path) -> None:
    path = folder / "out.csv"
    path.write_bytes(b"someone else's\n")
    with pytest.raises(FileExistsError):
        safewrite.replace(path, b"mine\n", overwrite=False)
    assert path.read_bytes() == b"someone else's\n"
    assert sorted(p.name for p in folder.iterdir()) == ["out.csv"]


def test_a_new_file_without_hard_links_still_arrives(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # FAT and some network shares have no hard links: link() fails with EPERM.
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = folder / "out.csv"
    safewrite.replace(path, b"data\n", overwrite=False)
    assert path.read_bytes() == b"data\n"
    assert sorted(p.name for p in folder.iterdir()) == ["out.csv"]


def test_staged_leaves_nothing_behind_on_failure(folder: Path) -> None:
    target = folder / "cache.sqlite"
    with pytest.raises(RuntimeError), safewrite.staged(target, prefix=".build-") as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("interrupted")
    assert list(folder.iterdir()) == []


def test_the_cache_is_written_through_the_one_staged_write(
    run: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.environ.get("KVLOOKUP_NO_CACHE"):
        pytest.skip("the cache is turned off")
    targets: list[Path] = []
    real = safewrite.staged

    def spy(target: Path, **options: object) -> object:
        targets.append(target)
        return real(target, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(safewrite, "staged", spy)
    assert run("who", "FEDARENE").exit_code == 0
    assert [t.suffix for t in targets] == [".sqlite"]
