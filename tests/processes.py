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
