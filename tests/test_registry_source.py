"""What --registry may name: a file or a pipe; anything else is a registry problem (exit 3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Invoke
from .processes import kvlookup


def _nested(depth: int) -> str:
    return "deep = " + "[" * depth + "]" * depth + "\n"


@pytest.mark.parametrize("depth", [2000, 900])
@pytest.mark.parametrize(
    "args", [["check"], ["who", "x"], ["set", "hannu-koponen", "title", "x"]], ids=" ".join
)
def test_deeply_nested_arrays_are_a_registry_problem(
    run: Invoke, registry_path: Path, depth: int, args: list[str]
) -> None:
    registry_path.write_text(_nested(depth), encoding="utf-8")
    result = run(*args)
    assert result.exit_code == 3, result.stderr
    assert "nested too deeply" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_folder_as_registry_exits_3(
    run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    if how == "option":
        result = run("--registry", str(folder), "who", "FEDARENE")
    else:
        monkeypatch.setenv("KVLOOKUP_REGISTRY", str(folder))
        result = run("who", "FEDARENE")
    assert result.exit_code == 3
    assert "is a directory" in result.stderr


def _limit_memory() -> None:
    import resource

    # Reading /dev/zero whole would take every byte of memory before failing.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_not_read_forever() -> None:
    proc = kvlookup("--registry", "/dev/zero", "who", "FEDARENE", preexec_fn=_limit_memory)
    assert proc.returncode == 3, proc.stderr
    assert b"not a regular file" in proc.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize(
    "args", [["who", "FEDARENE"], ["check"], ["set", "x", "title", "y"]], ids=" ".join
)
def test_a_fifo_nobody_writes_to_does_not_hang(tmp_path: Path, args: list[str]) -> None:
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    proc = kvlookup("--registry", str(fifo), *args, timeout=20)
    assert proc.returncode == 3, proc.stderr
    assert b"pipe that gave nothing" in proc.stderr
    assert b"Traceback" not in proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="/dev/stdin")
def test_a_pipe_with_a_writer_is_still_read(registry_path: Path) -> None:
    proc = kvlookup(
        "-r", "/dev/stdin", "who", "FEDARENE", "-f", "plain", input=registry_path.read_bytes()
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"fedarene\t")


def test_registry_from_a_pipe_is_read_once(registry_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kvlookup", "-r", "/dev/stdin", "who", "FEDARENE", "-f", "json"],
        input=registry_path.read_bytes(),
        capture_output=True,
        check=False,
        env=os.environ.copy(),
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["matches"][0]["id"] == "fedarene"
