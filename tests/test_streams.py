"""Closed, full and broken standard streams, and locales that cannot show every character.

These need a real process: CliRunner replaces the streams a run would otherwise own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Invoke
from .processes import kvlookup

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX descriptors")

OUTPUT = 5  # the documented exit code for output that could not be written


def _close(*fds: int) -> None:
    for fd in fds:
        os.close(fd)


def _no_traceback(proc: subprocess.CompletedProcess[bytes]) -> None:
    assert b"Traceback" not in (proc.stderr or b"")


@pytest.mark.parametrize(
    "args",
    [["who", "FEDARENE"], ["who", "FEDARENE", "-f", "json"], ["list"], ["export"], ["--help"]],
    ids=" ".join,
)
def test_closed_stdout_exits_5_with_one_line(args: list[str]) -> None:
    proc = kvlookup(*args, stdout=None, preexec_fn=lambda: _close(1))
    assert proc.returncode == OUTPUT, proc.stderr
    assert proc.stderr.decode().splitlines() == [
        "kvlookup: cannot write the output: Bad file descriptor"
    ]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [["who", "FEDARENE"], ["show", "hannu-koponen", "-f", "json"], ["export", "-f", "vcard"]],
    ids=" ".join,
)
def test_full_stdout_exits_5_with_one_line(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        proc = kvlookup(*args, stdout=full)
    assert proc.returncode == OUTPUT, proc.stderr
    assert proc.stderr.decode().splitlines() == [
        "kvlookup: cannot write the output: No space left on device"
    ]


def test_a_reader_that_left_early_gives_exit_5_and_no_message() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte (kvlookup list | head -0)
    try:
        proc = kvlookup("list", "-f", "json", stdout=write_end)
    finally:
        os.close(write_end)
    assert proc.returncode == OUTPUT
    assert proc.stderr == b""


def test_no_match_keeps_exit_1_when_stdout_is_closed() -> None:
    proc = kvlookup("who", "zzzzqqq", "-f", "json", stdout=None, preexec_fn=lambda: _close(1))
    assert proc.returncode == 1
    _no_traceback(proc)


@pytest.mark.parametrize(
    ("args", "code", "stdout"),
    [
        (["who", "FEDARENE", "-f", "plain"], 0, b"fedarene\t"),
        (["who", "zzzzqqq"], 1, b""),
        (["who", "x", "--limit", "0"], 2, b""),
        (["--registry", "missing.toml", "who", "x"], 3, b""),
    ],
    ids=["answer", "no match", "usage error", "registry problem"],
)
def test_closed_stderr_changes_no_exit_code(args: list[str], code: int, stdout: bytes) -> None:
    proc = kvlookup(*args, stderr=None, preexec_fn=lambda: _close(2))
    assert proc.returncode == code
    assert proc.stdout.startswith(stdout)


@pytest.mark.parametrize("closed", [(2,), (1, 2), (1,)], ids=str)
def test_an_edit_that_was_written_exits_0_whatever_is_closed(
    registry_path: Path, closed: tuple[int, ...]
) -> None:
    proc = kvlookup(
        "set",
        "hannu-koponen",
        "title",
        "johtaja",
        stdout=None if 1 in closed else subprocess.PIPE,
        stderr=None if 2 in closed else subprocess.PIPE,
        preexec_fn=lambda: _close(*closed),
    )
    assert proc.returncode == 0, proc.stderr
    assert 'title = "johtaja"' in registry_path.read_text(encoding="utf-8")


def test_closed_stdin_answers_no_to_the_import_question(
    registry_path: Path, tmp_path: Path
) -> None:
    csv = tmp_path / "staff.csv"
    csv.write_text("name,email\nAnna Aalto,anna.aalto@keskisuomi.fi\n", encoding="utf-8")
    before = registry_path.read_bytes()
    proc = kvlookup("import", str(csv), stdin=None, preexec_fn=lambda: _close(0))
    assert proc.returncode == 1
    assert b"Nothing written." in proc.stderr
    _no_traceback(proc)
    assert registry_path.read_bytes() == before


def test_the_editor_gets_working_descriptors_when_kvlookup_had_none(
    registry_path: Path, tmp_path: Path
) -> None:
    """A closed descriptor must not be handed to the next open() (a lock, the copy)."""
    editor = tmp_path / "editor.sh"
    editor.write_text(
        '#!/bin/sh\necho "said by the editor"\n'
        'sed \'s/Development Manager/Manager/\' "$1" > "$1.new" && mv "$1.new" "$1"\n',
        encoding="utf-8",
    )
    editor.chmod(0o755)
    proc = kvlookup(
        "edit",
        env={"EDITOR": str(editor), "VISUAL": ""},
        stdout=None,
        stderr=None,
        preexec_fn=lambda: _close(1, 2),
    )
    assert proc.returncode == 0
    text = registry_path.read_text(encoding="utf-8")
    assert "said by the editor" not in text
    assert 'title_en = "Manager"' in text


# --- locales ----------------------------------------------------------------------------


@pytest.fixture
def unicode_registry(run: Invoke) -> None:
    """People with CJK and emoji names, and an absence, which 'show' writes with an en dash."""
    assert run("add", "person", "li-wei", "--name", "李伟", "--title", "tutkija").exit_code == 0
    assert run("add", "person", "emo", "--name", "Emo 😀").exit_code == 0
    result = run("away", "hannu-koponen", "--from", "2026-12-21", "--to", "2027-01-06")
    assert result.exit_code == 0


# The locale need not be installed: PYTHONIOENCODING gives Python the same stdout.
LATIN1 = {"LC_ALL": "fi_FI.ISO-8859-1", "PYTHONIOENCODING": "latin-1"}


@pytest.mark.usefixtures("unicode_registry")
@pytest.mark.parametrize(
    ("args", "shown"),
    [
        # LC_ALL=fi: Finnish dates, and the en dash between them escaped
        (["show", "hannu-koponen", "-f", "plain"], b"21.12.2026\\u20136.1.2027"),
        (["show", "li-wei", "-f", "plain"], b"\\u674e\\u4f1f"),
        (["list", "-f", "csv"], b"\\u674e\\u4f1f"),
        (["list", "-f", "json"], b"\\u674e\\u4f1f"),  # and still valid JSON
        (["list", "-f", "table"], b"\\u674e\\u4f1f"),
        (["--lang", "fi", "list", "-f", "plain"], b"Energia- ja ymp\xe4rist\xf6asiat"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_a_latin1_locale_gets_escapes_for_what_it_cannot_show(
    args: list[str], shown: bytes
) -> None:
    proc = kvlookup(*args, env=LATIN1)
    assert proc.returncode == 0, proc.stderr
    _no_traceback(proc)
    assert shown in proc.stdout
    if "json" in args:
        names = [i["name"] for i in json.loads(proc.stdout.decode("latin-1"))["items"]]
        assert {"李伟", "Emo 😀"} <= set(names)


@pytest.mark.usefixtures("unicode_registry")
@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize(
    "args", [["list", "-f", "json"], ["who", "Emo", "-f", "json"]], ids=" ".join
)
def test_json_stays_valid_in_any_encoding(encoding: str, args: list[str]) -> None:
    proc = kvlookup(*args, env={"PYTHONIOENCODING": encoding})
    assert proc.returncode == 0, proc.stderr
    text = json.dumps(json.loads(proc.stdout.decode(encoding)), ensure_ascii=False)
    assert "Emo 😀" in text


@pytest.mark.usefixtures("unicode_registry")
def test_export_writes_utf8_whatever_the_locale() -> None:
    proc = kvlookup("export", "-f", "json", env=LATIN1)
    assert proc.returncode == 0, proc.stderr
    assert "Emo 😀" in json.dumps(json.loads(proc.stdout.decode("utf-8")), ensure_ascii=False)
