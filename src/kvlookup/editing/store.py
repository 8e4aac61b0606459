"""Safe registry writes: a lock file, a hash check against what was read, a loss guard, a backup, one replace."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kvlookup import collector, safewrite
from kvlookup.errors import ConflictError, UsageError, WriteError
from kvlookup.sources import location, registry

LOCK_TIMEOUT = 10.0  # seconds; an edit holds the lock for a fraction of a second
_POLL = 0.02
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Snapshot:
    """A registry file's bytes as they were read; a write only replaces exactly these bytes."""

    path: Path
    data: bytes
    exists: bool = True

    @property
    def digest(self) -> str:
        """SHA-256 of the bytes read."""
        return hashlib.sha256(self.data).hexdigest()

    @property
    def text(self) -> str:
        """The bytes as text, without a byte-order mark; RegistryError when not UTF-8."""
        return registry.decode(self.data, self.path)

    def encode(self, text: str) -> bytes:
        """Edited text as bytes, keeping the byte-order mark the file had."""
        bom = _BOM if self.data.startswith(_BOM) else b""
        return bom + text.encode("utf-8")


@dataclass(frozen=True)
class Change:
    """What an edit did (or, on a dry run, would do) to the registry file."""

    path: Path
    before: bytes
    after: bytes
    written: bool
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        """True when the edit alters the file."""
        return self.before != self.after

    def diff(self) -> str:
        """A unified diff of the file, empty when nothing changes."""
        return unified_diff(self.before, self.after, self.path.name)


def unified_diff(before: bytes, after: bytes, name: str) -> str:
    """A unified diff of two versions of a file (line endings are not shown)."""
    from kvlookup.editing import linediff

    a, b = _lines(before), _lines(after)
    # Not difflib.unified_diff: it cannot turn off "autojunk", which in files over 200 lines
    # stops frequent lines (every 'title_en = "Development Manager"') from matching, so an
    # unchanged line would show as removed and added again; and its matcher is quadratic
    # in a large registry's repeated lines (linediff).
    with collector.paused():
        # Aligning allocates a tuple per unique line (455,000 at 100k entries), none cyclic.
        groups = linediff.grouped(linediff.opcodes(a, b))
    out: list[str] = []
    for group in groups:
        if not out:
            out += [f"--- a/{name}", f"+++ b/{name}"]
        first, last = group[0], group[-1]
        out.append(f"@@ -{_span(first[1], last[2])} +{_span(first[3], last[4])} @@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [" " + line for line in a[i1:i2]]
                continue
            out += ["-" + line for line in a[i1:i2]]
            out += ["+" + line for line in b[j1:j2]]
    return "".join(line + "\n" for line in out)


def _span(start: int, stop: int) -> str:
    # The "start,length" of a hunk header, as diff -u writes it.
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _lines(data: bytes) -> list[str]:
    # split("\n"), not splitlines(): a TOML string may hold U+2028 or a form feed.
    lines = data.decode("utf-8-sig", errors="replace").split("\n")
    if lines[-1] == "":
        lines.pop()
    if b"\r" not in data:
        return lines  # no line to strip: not a pass over 670,000 lines (0.15 s at 100k)
    return [line.removesuffix("\r") for line in lines]


def read(path: Path, *, missing_ok: bool = False) -> Snapshot:
    """The registry's current bytes; with missing_ok, a missing file reads as empty."""
    if missing_ok and not os.path.lexists(path):
        return Snapshot(path, b"", exists=False)
    return Snapshot(path, registry.read_bytes(path))


def real_path(path: Path) -> Path:
    """The file a path finally names: writes go there, so a symlink stays a symlink."""
    return Path(os.path.realpath(path))


def sibling(path: Path, suffix: str) -> Path:
    """contacts.toml -> contacts.toml.lock / .bak, beside the real file."""
    target = real_path(path)
    return target.with_name(target.name + suffix)


def ensure_writable(path: Path) -> None:
    """UsageError for the copy inside an installed package: an upgrade would discard edits."""
    packaged = location.packaged_path()
    if packaged.is_file() and os.path.realpath(path) == os.path.realpath(packaged):
        raise UsageError("edit.packaged", path=path)


@contextlib.contextmanager
def locked(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the registry's lock file; ConflictError when another writer keeps it too long.

    The lock is on a separate file because the registry itself is replaced by a rename,
    and a lock on the replaced file would no longer exclude anyone. filelock takes it
    with flock on POSIX and LockFileEx on Windows, so a writer that dies releases it, and
    with an owner marker where neither exists (a dead owner's marker is taken over).
    """
    import warnings

    ensure_writable(path)  # every write takes the lock, so this guards them all
    lock_path = sibling(path, ".lock")
    if lock_path.is_symlink():
        # Someone else may have planted it (ln -s ~victim/.bashrc contacts.toml.lock):
        # never open, truncate or chmod whatever it points to.
        raise WriteError("store.link", path=lock_path)
    with warnings.catch_warnings():
        # Without flock filelock warns once and falls back to a marker file; the lock
        # still excludes, so the warning would only alarm the user.
        warnings.simplefilter("ignore")
        import filelock

        lock = filelock.FileLock(lock_path, mode=_lock_mode(real_path(path)))
        timeout = LOCK_TIMEOUT if timeout is None else timeout
        try:
            lock.acquire(timeout=timeout, poll_interval=_POLL)
        except filelock.Timeout:
            raise ConflictError("store.locked", path=path, seconds=timeout) from None
        except OSError as exc:
            raise WriteError(
                "store.write_failed", path=path, detail=_detail(exc, lock_path)
            ) from None
    try:
        yield
    finally:
        # A flock-ed lock file stays (filelock leaves it): deleting it would let a waiting
        # writer lock the old, unlinked file while a newcomer locks a new one.
        lock.release()


def _lock_mode(target: Path) -> int:
    # Whoever can read the registry may take its lock, as colleagues sharing a folder
    # must: the registry's read bits become the lock file's read and write bits.
    try:
        bits = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        bits = safewrite.default_mode()
    readers = bits & 0o444
    return readers | readers >> 1 | 0o600


def _detail(exc: OSError, lock_path: Path) -> str:
    # The OS message, naming the lock file when the failure is about a file at all.
    detail = exc.strerror or str(exc)
    return f"{lock_path}: {detail}" if exc.filename else detail


def write(snapshot: Snapshot, data: bytes) -> Path | None:
    """Replace the file read as snapshot with data; the caller holds the lock.

    ConflictError, leaving the file alone, when its bytes are no longer those read. Keeps
    the previous version as <name>.bak (same permission bits) and returns that path; an
    empty previous version does not replace an older backup, which is then kept.
    """
    target = real_path(snapshot.path)
    try:
        current: bytes | None = target.read_bytes()
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise WriteError(
            "store.write_failed", path=snapshot.path, detail=exc.strerror or str(exc)
        ) from None
    if (current is None) == snapshot.exists or (
        current is not None and hashlib.sha256(current).hexdigest() != snapshot.digest
    ):
        raise ConflictError("store.changed", path=snapshot.path)
    backup = None
    try:
        if current is not None and current.strip():
            backup = sibling(snapshot.path, ".bak")
            # A new file in the backup's place, with the registry's mode: a symlink or a
            # hard link planted as the backup is replaced, never written through or
            # chmod-ed, and a private registry never has a readable backup.
            safewrite.replace(backup, current, mode=stat.S_IMODE(target.stat().st_mode))
        safewrite.replace(target, data)
    except OSError as exc:
        raise WriteError(
            "store.write_failed", path=snapshot.path, detail=exc.strerror or str(exc)
        ) from None
    return backup


def loses_most(before: Iterable[str], after: Iterable[str]) -> bool:
    """True when a new version keeps fewer than half of the ids (people and entries) it had.

    An editor that empties or truncates the file is caught by this; an edit command,
    which removes one item at a time, never is.
    """
    had = set(before)
    kept = had.intersection(after)
    return len(kept) * 2 < len(had)


def guard_loss(path: Path, before: Iterable[str], after: Iterable[str]) -> None:
    """UsageError when the new version of path keeps fewer than half of its ids."""
    had = set(before)
    if loses_most(had, after):
        kept = len(had.intersection(after))
        raise UsageError("store.loses", path=path, kept=kept, before=len(had))


def update(
    path: Path,
    change: Callable[[Snapshot], bytes],
    *,
    dry_run: bool = False,
    missing_ok: bool = False,
) -> Change:
    """Read, change and write the registry under its lock, so concurrent edits queue up.

    change gets what was read and returns the new bytes. A dry run neither locks nor writes.
    """
    snapshot = read(path, missing_ok=missing_ok)
    if dry_run:
        return Change(path, snapshot.data, change(snapshot), written=False)
    # Read again under the lock: the first read only made a missing or unreadable registry
    # fail before a lock file was created beside it (a mistyped --registry path).
    with locked(path):
        snapshot = read(path, missing_ok=missing_ok)
        data = change(snapshot)
        if data == snapshot.data:
            return Change(path, data, data, written=False)
        backup = write(snapshot, data)
    return Change(path, snapshot.data, data, written=True, backup=backup)


def commit(snapshot: Snapshot, data: bytes) -> Change:
    """Write data over what snapshot read, after a diff was shown and confirmed.

    ConflictError when the file changed since it was read: the user approved a diff
    against those bytes, not against whatever is there now.
    """
    with locked(snapshot.path):
        backup = write(snapshot, data)
    return Change(snapshot.path, snapshot.data, data, written=True, backup=backup)
