"""Write files without losing data: a new temporary file renamed into place, never through a planted link."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

# Opening a file this module made: never through a symbolic link someone put in its place
# (O_NOFOLLOW, where the OS has it), and without newline translation (O_BINARY, Windows).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
# What link() fails with where the file system has no hard links.
_NO_HARD_LINKS = frozenset(
    getattr(errno, name)
    for name in ("EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS")
    if hasattr(errno, name)
)


class SpecialFileError(OSError):
    """The path names something that is neither a file to replace nor a stream to write into."""


def default_mode() -> int:
    """The permission bits a new file gets: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def staged(
    target: Path,
    *,
    overwrite: bool = True,
    prefix: str | None = None,
    suffix: str = ".tmp",
    durable: bool = True,
) -> Iterator[Path]:
    """A new private file beside target, put in target's place when the block succeeds.

    The file is created with O_EXCL (mode 0600), so never through a link someone planted,
    and it is removed when the block or the rename fails. The rename replaces target's own
    directory entry: a symlink there is replaced, not followed, so resolve a link you mean
    to follow first. With overwrite=False an existing target raises FileExistsError and is
    left alone. durable fsyncs the folder, so the rename survives a crash.
    """
    import tempfile  # only writes need it

    made_prefix = f".{target.name}." if prefix is None else prefix
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=made_prefix, suffix=suffix)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if overwrite:
            os.replace(tmp, target)
        else:
            _install_new(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_dir(target.parent)


def _install_new(tmp: Path, target: Path) -> None:
    """Move tmp to target, failing with FileExistsError if target exists meanwhile."""
    if os.name == "nt":
        os.rename(tmp, target)  # on Windows a rename never replaces an existing file
        return
    try:
        os.link(tmp, target)  # link() never replaces, so a file that appeared is kept
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # No hard links on this file system (FAT, some network shares): claim the name
        # with O_EXCL, then rename over the claim, which is ours.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600))
        try:
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(target)  # the empty claim, not someone's file
            raise
        return
    os.unlink(tmp)


def replace(path: Path, data: bytes, *, mode: int | None = None, overwrite: bool = True) -> Path:
    """Put data at path in one rename, so readers see the old file or the new one, never a mix.

    path's own directory entry is replaced: a symlink there is not followed, and nothing is
    chmod-ed but the new file. mode defaults to the bits of the regular file at path, else
    those of a new file. The data is fsynced before the rename. Returns path.
    """
    if mode is None:
        try:
            found = os.lstat(path)
        except FileNotFoundError:
            found = None
        regular = found is not None and stat.S_ISREG(found.st_mode)
        mode = stat.S_IMODE(found.st_mode) if found and regular else default_mode()
    with staged(path, overwrite=overwrite) as tmp:
        fd = os.open(tmp, os.O_WRONLY | _NOFOLLOW | _BINARY)
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), mode)
            else:  # Windows before Python 3.13; there chmod only sets read-only
                os.chmod(tmp, mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    return path


def write_output(path: Path, data: bytes, *, overwrite: bool) -> Path:
    """Write an output file a user named: replaced atomically, or a stream written into.

    A symlink the user made is followed. A character device or a named pipe (/dev/null,
    /dev/stdout, a FIFO) is written into as a shell redirection would, never replaced by a
    regular file; it is a stream, so it needs no overwrite. FileExistsError for an existing
    file without overwrite; SpecialFileError for a folder, a disk (block device) or a
    socket. Returns the path written.
    """
    target = Path(os.path.realpath(path))
    try:
        found = os.stat(target)
    except FileNotFoundError:
        found = None
    if found is None or stat.S_ISREG(found.st_mode):
        return replace(target, data, overwrite=overwrite)
    if stat.S_ISCHR(found.st_mode) or stat.S_ISFIFO(found.st_mode):
        fd = os.open(target, os.O_WRONLY | _BINARY | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "wb") as fh:  # close() reports a full device (ENOSPC)
            fh.write(data)
        return target
    raise SpecialFileError(errno.EINVAL, "not a regular file, device or pipe", str(path))


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
