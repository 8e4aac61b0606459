"""kvlookup edit: the registry in $VISUAL/$EDITOR on a temporary copy, installed only if valid."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from kvlookup.editing import store
from kvlookup.errors import ConflictError, KvlookupError, RegistryError, UsageError, WriteError
from kvlookup.models import ENTRY_TABLES, Problem
from kvlookup.sources import registry

DEFAULT_EDITOR = "vi"


def editor_command(environ: Mapping[str, str], *, windows: bool = os.name == "nt") -> list[str]:
    """The editor to run: $VISUAL, else $EDITOR, else vi; may carry options ("code --wait").

    UsageError when the variable cannot be split into words (an unclosed quote).
    """
    command = environ.get("VISUAL") or environ.get("EDITOR") or DEFAULT_EDITOR
    try:
        # POSIX rules would eat the backslashes of C:\Program Files\...; Windows quotes
        # a path with spaces in double quotes, which are stripped here.
        words = shlex.split(command, posix=not windows)
    except ValueError as exc:
        raise UsageError("editor.bad_command", editor=command, detail=str(exc)) from None
    if windows:
        words = [w[1:-1] if len(w) > 1 and w[0] == w[-1] == '"' else w for w in words]
    return words or [DEFAULT_EDITOR]


def edit(
    path: Path,
    editor: Sequence[str],
    reopen: Callable[[RegistryError], bool],
    *,
    force: bool = False,
) -> store.Change:
    """Let the user edit a copy of the registry; install it only when it passes 'check'.

    reopen is shown the problems of an invalid copy and says whether to edit again, as
    visudo and crontab -e ask. A copy that keeps fewer than half of the people and entries
    is such a problem unless force. The copy is deleted only when it was installed or is
    unchanged; otherwise it is kept, and every error names it, so no typing is lost.
    """
    store.ensure_writable(path)
    snapshot = store.read(path)  # no validation: fixing a broken registry is what this is for
    before = _ids(snapshot)
    fd, name = tempfile.mkstemp(prefix=f"kvlookup-{path.stem}-", suffix=path.suffix or ".toml")
    copy = Path(name)
    with os.fdopen(fd, "wb") as fh:  # mkstemp's 0600: the copy is as private as can be
        fh.write(snapshot.data)
    installed = False
    try:
        while True:
            _run(editor, copy, snapshot.data)
            data = _read_copy(copy)
            if data == snapshot.data:
                return store.Change(path, data, data, written=False)
            try:
                _check(path, data, before, force)
                break
            except RegistryError as exc:
                if not reopen(exc):
                    raise UsageError("editor.not_installed", path=path, copy=copy) from None
        try:
            change = store.commit(snapshot, data)
        except ConflictError as exc:
            key = "editor.changed" if exc.key == "store.changed" else "editor.not_saved"
            raise ConflictError(key, path=path, copy=copy) from None
        except KvlookupError:  # the lock or the write failed: the typing must survive
            raise WriteError("editor.not_saved", path=path, copy=copy) from None
        installed = True
        return change
    finally:
        if installed or not _differs(copy, snapshot.data):
            with contextlib.suppress(OSError):
                copy.unlink()


def _check(path: Path, data: bytes, before: set[str], force: bool) -> None:
    """RegistryError listing what is wrong with the edited copy, as 'kvlookup check' would."""
    loaded = registry.check_text(registry.decode(data, path), path)
    after = {*loaded.people, *loaded.entries}
    if not force and store.loses_most(before, after):
        kept = len(before & after)
        raise RegistryError(
            [Problem(path.name, "editor.loses", {"kept": kept, "before": len(before)})]
        )


def _ids(snapshot: store.Snapshot) -> set[str]:
    """The ids of people and entries in the file as read, even when it fails 'check'."""
    try:
        data = registry.parse(snapshot.text, snapshot.path)
    except RegistryError:
        return set()  # nothing readable to lose
    ids: set[str] = set()
    for table in ("people", *ENTRY_TABLES.values()):
        items = data.get(table)
        if isinstance(items, dict):
            ids.update(items)
    return ids


def _read_copy(copy: Path) -> bytes:
    """The edited copy's bytes; UsageError when the editor removed it or left no file there."""
    try:
        return copy.read_bytes()
    except FileNotFoundError:
        raise UsageError("editor.copy_gone", copy=copy) from None
    except OSError as exc:
        if copy.is_dir():
            # Some editors save by replacing the file; an empty folder left in its place
            # holds no typing, so it goes rather than litter the temporary folder.
            with contextlib.suppress(OSError):
                copy.rmdir()
        raise UsageError(
            "editor.copy_unreadable", copy=copy, detail=exc.strerror or str(exc)
        ) from None


def _differs(copy: Path, original: bytes) -> bool:
    """True when the copy is a file whose bytes differ from the original: typing to keep."""
    try:
        return copy.read_bytes() != original
    except OSError:
        return False


def _run(editor: Sequence[str], copy: Path, original: bytes) -> None:
    shown = shlex.join(editor)
    try:
        code = subprocess.run([*editor, str(copy)], check=False).returncode
    except OSError as exc:
        raise UsageError("editor.missing", editor=shown, detail=exc.strerror or str(exc)) from None
    if code != 0:
        # vi's :cq and similar mean "abandon this edit"; what was typed is still kept.
        if _differs(copy, original):
            raise UsageError("editor.failed_kept", editor=shown, code=code, copy=copy)
        raise UsageError("editor.failed", editor=shown, code=code)
