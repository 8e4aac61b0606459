"""Run kvlookup as a real process, for what CliRunner cannot show: descriptors, pipes, locales."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
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


def run_adders(registry_path: Path, prelude: str = "", **env: str) -> set[str]:
    """Run four ADD_WORKER processes on one registry at once; the topic ids it then holds."""
    import tomllib

    environ = {**os.environ, "KVLOOKUP_REGISTRY": str(registry_path), **env}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", prelude + ADD_WORKER, str(w)],
            env=environ,
            cwd=Path(__file__).resolve().parents[1],
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    topics = tomllib.loads(registry_path.read_text(encoding="utf-8"))["topics"]
    return {tid for tid in topics if tid.startswith("w")}


# What run_adders must leave: every one of the 80 topics its workers added.
ADDED = frozenset(f"w{w}-{i}" for w in range(4) for i in range(20))
