"""Copy a short text to the system clipboard with the platform's own tool, if there is one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence


def tools(platform: str, environ: Mapping[str, str]) -> list[Sequence[str]]:
    """The clipboard commands worth trying here, best first."""
    if platform == "win32":
        return [["clip.exe"]]
    if platform == "darwin":
        return [["pbcopy"]]
    found: list[Sequence[str]] = []
    if environ.get("WAYLAND_DISPLAY"):
        found.append(["wl-copy"])
    if environ.get("DISPLAY"):
        found += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    return found


def _encoded(text: str, platform: str) -> bytes:
    """text as the tool reads it: clip.exe takes the console code page, or UTF-16 with a BOM."""
    if platform == "win32" and not text.isascii():
        return text.encode("utf-16")  # with its BOM, which tells clip.exe it is Unicode
    return text.encode("utf-8")


def copy(text: str) -> str | None:
    """Put text on the clipboard; the tool that did it, or None when none could."""
    for command in tools(sys.platform, os.environ):
        program = shutil.which(command[0])
        if program is None:
            continue
        try:
            # No pipes to read: xclip and wl-copy stay behind to serve the selection, and
            # a pipe they hold open would keep us waiting.
            done = subprocess.run(
                [program, *command[1:]],
                input=_encoded(text, sys.platform),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=5,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return command[0]
    return None
