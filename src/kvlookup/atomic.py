"""Write a file atomically: a temporary file in the same folder, fsync, then one rename."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, overwrite: bool = True) -> Path:
    """Replace path with data so that readers see the old or the new file, never a mix.

    The temporary file sits beside the target (a rename is only atomic within one
    filesystem), keeps the target's permission bits, is fsynced before the rename, and is
    removed on any failure. A symlinked path updates the link's target and keeps the link.
    With overwrite=False an existing file raises FileExistsError and is left alone.
    Returns the path actually written.
    """
    target = Path(os.path.realpath(path))
    if not overwrite and (target.exists() or path.is_symlink()):
        raise FileExistsError(str(path))
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            # mkstemp creates 0600; a new file should get the usual umask-based mode.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        if overwrite:
            os.replace(tmp, target)
        else:
            # link() fails if the target appeared meanwhile, so we never clobber a file.
            os.link(tmp, target)
            os.unlink(tmp)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(target.parent)
    return target


def fsync_dir(folder: Path) -> None:
    """Make a rename in folder durable (no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
