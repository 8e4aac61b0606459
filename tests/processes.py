"""Run kvlookup as a real process, for what CliRunner cannot show: descriptors, pipes, locales."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from typing import Any


def kvlookup(
    *args: str | bytes,
    env: Mapping[str, str] | None = None,
    preexec_fn: Callable[[], Any] | None = None,
    timeout: float = 60,
    **kwargs: Any,
) -> subprocess.CompletedProcess[bytes]:
    """python -m kvlookup with args, the test's environment plus env; output as bytes."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "kvlookup", *args],
        env={**os.environ, **(env or {})},
        preexec_fn=preexec_fn,
        timeout=timeout,
        check=False,
        **kwargs,
    )


# A worker process making 20 separate 'kvlookup add' calls (the whole CLI path: lock, read,
# edit, check, write), for tests of concurrent edits. Calling main() in-process keeps the
# tests fast: 80 interpreter start-ups would cost ~15 s of CPU and test nothing more about
# the lock. Run it as `python -c ADD_WORKER N`.
ADD_WORKER = """
import sys
from kvlookup.cli import main
worker = sys.argv[1]
for i in range(20):
    args = ["add", "topic", f"w{worker}-{i}", "--name", f"Worker {worker} item {i}"]
    try:
        main(args)
    except SystemExit as exc:
        if exc.code:
            sys.exit(f"add w{worker}-{i} failed with exit code {exc.code}")
"""
