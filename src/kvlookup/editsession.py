"""kvlookup edit: the registry in $VISUAL/$EDITOR on a temporary copy, installed only if valid."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from kvlookup import registry, store
from kvlookup.errors import ConflictError, KvlookupError, RegistryError, UsageError

DEFAULT_EDITOR = "vi"


def editor_command(environ: Mapping[str, str]) -> list[str]:
    """The editor to run: $VISUAL, else $EDITOR, else vi; may carry options ("code --wait")."""
    command = environ.get("VISUAL") or environ.get("EDITOR") or DEFAULT_EDITOR
    return shlex.split(command) or [DEFAULT_EDITOR]


def edit(
    path: Path, editor: Sequence[str], reopen: Callable[[RegistryError], bool]
) -> store.Change:
    """Let the user edit a copy of the registry; install it only when it passes 'check'.

    reopen is shown the problems of an invalid copy and says whether to edit again, as
    visudo and crontab -e ask. A copy that is not installed is kept, and its path is in
    the error, so no typing is lost.
    """
    store.ensure_writable(path)
    snapshot = store.read(path)  # no validation: fixing a broken registry is what this is for
    fd, name = tempfile.mkstemp(prefix=f"kvlookup-{path.stem}-", suffix=path.suffix or ".toml")
    copy = Path(name)
    with os.fdopen(fd, "wb") as fh:  # mkstemp's 0600: the copy is as private as can be
        fh.write(snapshot.data)
    keep = False
    try:
        while True:
            _run(editor, copy)
            data = copy.read_bytes()
            if data == snapshot.data:
                return store.Change(path, data, data, written=False)
            try:
                registry.check_text(registry.decode(data, path), path)
                break
            except RegistryError as exc:
                if not reopen(exc):
                    keep = True
                    raise UsageError("editor.not_installed", path=path, copy=copy) from None
        try:
            return store.commit(snapshot, data)
        except ConflictError:
            keep = True
            raise ConflictError("editor.changed", path=path, copy=copy) from None
        except KvlookupError as exc:  # lock or write failed: the typing must survive
            keep = True
            kept = UsageError("editor.not_saved", path=path, copy=copy)
            kept.exit_code = exc.exit_code
            raise kept from exc
        except BaseException:
            keep = True
            raise
    finally:
        if not keep:
            with contextlib.suppress(FileNotFoundError):
                copy.unlink()


def _run(editor: Sequence[str], copy: Path) -> None:
    shown = shlex.join(editor)
    try:
        code = subprocess.run([*editor, str(copy)], check=False).returncode
    except OSError as exc:
        raise UsageError("editor.missing", editor=shown, detail=exc.strerror or str(exc)) from None
    if code != 0:
        # vi's :cq and similar mean "abandon this edit".
        raise UsageError("editor.failed", editor=shown, code=code)
