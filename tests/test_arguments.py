"""Arguments that are not valid UTF-8: a usage error for text, any bytes for a file name."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from .conftest import Invoke
from .processes import kvlookup

# What Python makes of the argv bytes b"A\xffB" on a UTF-8 system (surrogateescape).
BAD = os.fsdecode(b"A\xffB") if sys.platform != "win32" else "A\udcffB"
SHOWN = "'A\\xffB'"  # how the message shows it


@pytest.mark.parametrize(
    "args",
    [
        ["set", "hannu-koponen", "title", BAD],
        ["set", "hannu-koponen", "aliases", "ok", BAD],
        ["set", BAD, "title", "x"],
        ["add", "person", "anna", "--name", BAD],
        ["add", "person", "anna", "--name", "Anna", "--alias", BAD],
        ["add", "topic", "t", "--name", BAD],
        ["away", BAD, "--from", "2026-01-01", "--to", "2026-01-02"],
        ["away", "hannu-koponen", "--from", "2026-01-01", "--to", "2026-01-02", "--reason", BAD],
        ["assign", "fedarene", BAD],
        ["rename", "hannu-koponen", BAD],
        ["show", BAD],
        ["whois", BAD],
        ["export", "--person", BAD],
        ["export", "--query", BAD],
        ["who", BAD],
        ["--lang", BAD, "who", "x"],
    ],
    ids=lambda args: " ".join(a.replace(BAD, "BAD") for a in args),
)
def test_text_that_is_not_utf8_is_a_usage_error(
    run: Invoke, registry_path: Path, args: list[str]
) -> None:
    assert run("who", "FEDARENE").exit_code == 0  # warm: the cache path must refuse too
    before = registry_path.read_bytes()
    result = run(*args)
    assert result.exit_code == 2, result.stderr
    assert isinstance(result.exception, SystemExit), result.exception
    [line] = result.stderr.splitlines()
    assert SHOWN in line and "not UTF-8" in line
    assert result.stdout == ""
    assert registry_path.read_bytes() == before


def test_the_message_names_the_option(run: Invoke) -> None:
    result = run("add", "person", "anna", "--name", BAD)
    assert result.stderr.startswith("--name: ")


def test_the_message_is_finnish_too(run: Invoke) -> None:
    result = run("--lang", "fi", "show", BAD)
    assert result.exit_code == 2
    assert "ei ole UTF-8-tekstiä" in result.stderr


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names are bytes on Linux")
@pytest.mark.parametrize(
    "args",
    [["who", "FEDARENE", "-f", "plain"], ["who", "FEDARENE", "-f", "plain"], ["check"]],
    ids=["cold", "warm", "check"],
)
def test_a_registry_path_that_is_not_utf8_works(
    registry_path: Path, tmp_path: Path, args: list[str]
) -> None:
    odd = Path(os.fsdecode(os.fsencode(tmp_path) + b"/rekisteri-\xe4.toml"))
    odd.write_bytes(registry_path.read_bytes())
    proc = kvlookup("--registry", str(odd), *args)
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names are bytes on Linux")
def test_an_edit_of_a_registry_path_that_is_not_utf8(registry_path: Path, tmp_path: Path) -> None:
    odd = Path(os.fsdecode(os.fsencode(tmp_path) + b"/rekisteri-\xe4.toml"))
    odd.write_bytes(registry_path.read_bytes())
    proc = kvlookup("--registry", str(odd), "set", "hannu-koponen", "title", "johtaja")
    assert proc.returncode == 0, proc.stderr
    assert b"rekisteri-\\xe4.toml" in proc.stderr  # the name, escaped, in "Saved ..."
    assert 'title = "johtaja"' in odd.read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names are bytes on Linux")
def test_a_missing_registry_path_that_is_not_utf8_exits_3(tmp_path: Path) -> None:
    odd = os.fsdecode(os.fsencode(tmp_path) + b"/puuttuu-\xe4.toml")
    proc = kvlookup("--registry", odd, "who", "x")
    assert proc.returncode == 3
    assert b"registry file not found" in proc.stderr
    assert b"Traceback" not in proc.stderr
