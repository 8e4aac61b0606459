"""Guard the process's standard streams: a closed, full or broken one never raises into a command.

cli.run installs the guard before anything is written. Every write to stdout or stderr,
from kvlookup, Rich or Click, text or bytes, then reaches the operating system through a
_Guarded raw layer, which keeps the first error instead of raising it. Characters the
locale's encoding cannot show are written as escapes ("\\u2013"), never an error.
run asks `exit_code` at the end: losing stdout is exit 5 (ExitCode.OUTPUT), losing stderr
changes nothing, so an edit that was written still exits 0.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import sys
from typing import TYPE_CHECKING, TextIO

from kvlookup.errors import ExitCode
from kvlookup.i18n import Lang, t

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


class _Guarded(io.RawIOBase):
    """A raw stream that swallows write errors and remembers the first one."""

    def __init__(self, inner: io.RawIOBase | None, fd: int) -> None:
        super().__init__()
        self._inner = inner
        self._fd = fd
        self.error: OSError | None = None

    def writable(self) -> bool:
        """Always: a failed write is recorded, not raised."""
        return True

    def write(self, b: ReadableBuffer, /) -> int:
        """Write b, or record why it could not be written; either way report it written."""
        view = memoryview(b).cast("B")
        size = view.nbytes
        if self.error is not None:
            return size  # the stream is gone: the rest would fail the same way
        if self._inner is None:
            self.error = OSError(errno.EBADF, os.strerror(errno.EBADF))
            return size
        done = 0
        try:
            while done < size:
                n = self._inner.write(view[done:])
                if n is None:
                    # A descriptor another process made non-blocking, and full for now.
                    _wait_writable(self._fd)
                elif n == 0:
                    raise OSError(errno.EIO, os.strerror(errno.EIO))
                else:
                    done += n  # a pipe or a terminal may take part of it
        except (OSError, ValueError) as exc:
            self.error = exc if isinstance(exc, OSError) else OSError(errno.EBADF, str(exc))
        return size

    def isatty(self) -> bool:
        """True when the stream is an open terminal."""
        try:
            return self._inner is not None and self._inner.isatty()
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        """The file descriptor (Rich asks it for the terminal size)."""
        return self._fd


def _wait_writable(fd: int) -> None:
    import select

    select.select([], [fd], [])


def _escape(exc: UnicodeError) -> tuple[str, int]:
    """Each character the encoding cannot hold as \\uXXXX, beyond U+FFFF as a surrogate pair.

    JSON's own escape: JSON output stays valid in any encoding (Python's backslashreplace
    would write \\xe4 and \\U0001f600, which JSON rejects).
    """
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start : exc.end]:
        code = ord(ch)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out), exc.end


_ERRORS = "kvlookup-escape"
_guards: dict[str, _Guarded] = {}


def install() -> None:
    """Replace sys.stdout and sys.stderr with guarded streams, and fill closed descriptors."""
    codecs.register_error(_ERRORS, _escape)
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        # A descriptor closed at start (`kvlookup who X >&-`) would be handed out by the next
        # open(): the cache, a lock file, or the editor's stdout. /dev/null holds its place.
        if getattr(sys, name) is None:
            _hold(fd)
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    sys.stdout = _wrap("stdout", 1, sys.stdout, line_buffering=False)
    sys.stderr = _wrap("stderr", 2, sys.stderr, line_buffering=True)


def _hold(fd: int) -> None:
    try:
        held = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    if held == fd:
        os.set_inheritable(fd, True)  # os.open's are not, and the editor expects 0, 1 and 2
    else:
        os.dup2(held, fd)
        os.close(held)


def _wrap(name: str, fd: int, stream: TextIO | None, *, line_buffering: bool) -> TextIO:
    inner: io.RawIOBase | None = None
    encoding = "utf-8"
    unbuffered = False
    if stream is not None:
        encoding = stream.encoding or "utf-8"
        line_buffering = line_buffering or bool(stream.line_buffering)
        unbuffered = bool(getattr(stream, "write_through", False))  # python -u, PYTHONUNBUFFERED
        buffer = getattr(stream, "buffer", None)
        # Unbuffered, the buffer is the raw stream itself.
        raw = getattr(buffer, "raw", buffer)
        # The interpreter's own raw stream (on Windows, the console writer) does the writing.
        inner = raw if isinstance(raw, io.RawIOBase) else None
        if inner is None:
            return stream  # not a standard file stream (already replaced): leave it
    guard = _guards[name] = _Guarded(inner, fd)
    layer: io.RawIOBase | io.BufferedWriter = guard if unbuffered else io.BufferedWriter(guard)
    return io.TextIOWrapper(
        layer,  # type: ignore[type-var]
        encoding=encoding,
        errors=_ERRORS,
        line_buffering=line_buffering,
        write_through=unbuffered,
    )


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        # A guarded stream never raises; any other is past saving.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()


def exit_code(code: int, lang: Lang) -> int:
    """code, or ExitCode.OUTPUT when stdout could not be written and code said success.

    The reason goes to stderr, unless the reader of a pipe simply left early
    (kvlookup list | head), which is no news to anyone.
    """
    _flush()
    out = _guards.get("stdout")
    if out is None or out.error is None:
        return code
    if out.error.errno != errno.EPIPE:
        detail = out.error.strerror or str(out.error)
        sys.stderr.write(t(lang, "output.failed", detail=detail) + "\n")
        _flush()
    return code or int(ExitCode.OUTPUT)
