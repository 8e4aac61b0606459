"""kvlookup pick and who --pick: the fuzzy picker, tested without a person at the keys.

fzf's --filter mode ranks the same candidate lines as the interactive picker and prints
them, so the bundled binary itself answers; a pseudo-terminal drives the real picker on
Linux.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import iterfzf
import pytest

from kvlookup import clipboard, picker
from kvlookup.models import Registry
from kvlookup.sources.opening import open_registry

from .conftest import BUNDLED, Invoke

FZF = iterfzf.BUNDLED_EXECUTABLE


def _registry() -> Registry:
    return open_registry(BUNDLED, {**os.environ, "KVLOOKUP_NO_CACHE": "1"})[0]


def _filter(lines: list[str], query: str) -> list[str]:
    """What the bundled fzf ranks for query, best first, with the picker's own options."""
    assert FZF is not None and FZF.exists()
    done = subprocess.run(
        [str(FZF), *picker.FZF_OPTIONS, "--filter", query],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    return done.stdout.splitlines()


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("fedrne", "fedarene"),  # a typo: fzf's fuzzy match
        ("brussels office", "wfeo"),  # an alias
        ("bryssel", "wfeo"),
        ("koponen", "hannu-koponen"),  # the person, before the entries he answers for
        ("partanen", "raija-partanen"),
        ("luova", "creative-economy"),
    ],
)
def test_fzf_ranks_the_candidate_lines(query: str, first: str) -> None:
    registry = _registry()
    ranked = _filter(picker.lines(registry, registry.listed(), "en"), query)
    assert picker.chosen_id(ranked[0]) == first


def test_candidate_lines_are_one_line_each_with_the_id_first() -> None:
    registry = _registry()
    lines = picker.lines(registry, registry.listed(), "fi")
    assert len(lines) == len(registry.listed())
    assert {picker.chosen_id(line) for line in lines} == {i.id for i in registry.listed()}
    fedarene = next(line for line in lines if line.startswith("fedarene\t"))
    assert "verkosto" in fedarene and "Hannu Koponen" in fedarene
    assert all("\n" not in line and line.count("\t") == 1 for line in lines)


def test_registry_controls_are_escaped_in_candidate_lines() -> None:
    assert picker._clean("a\tb\x1b[31mc\nd") == "a\\tb\\x1b[31mc\\nd"


@pytest.mark.parametrize("args", [["pick"], ["who", "bioeconomy", "--pick"], ["pick", "fed"]])
@pytest.mark.parametrize("lang", ["en", "fi"])
def test_off_a_terminal_the_picker_is_a_usage_error(
    run: Invoke, args: list[str], lang: str
) -> None:
    result = run("--lang", lang, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert ("terminal" if lang == "en" else "päätteen") in line
    assert "Traceback" not in result.stderr


def test_who_without_pick_needs_no_terminal(run: Invoke) -> None:
    result = run("who", "bioeconomy", "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["matches"]) > 1


@pytest.fixture
def fzf_answers(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], list[dict[str, Any]]]:
    """Make the picker run on 'a terminal' with fzf in --filter mode typing the given text."""
    monkeypatch.setattr(picker, "on_terminal", lambda: True)
    real = iterfzf.iterfzf
    calls: list[dict[str, Any]] = []

    def answer(typed: str) -> list[dict[str, Any]]:
        def filtered(lines: Any, **options: Any) -> Any:
            calls.append(options)
            extra = (*options.pop("__extra__"), "--filter", typed)
            return real(list(lines), __extra__=extra, **options)

        monkeypatch.setattr(iterfzf, "iterfzf", filtered)
        return calls

    return answer


def test_pick_prints_the_chosen_contact(run: Invoke, fzf_answers: Any) -> None:
    calls = fzf_answers("fedrne")
    result = run("pick", "--format", "json")
    assert result.exit_code == 0, result.stderr
    [match] = json.loads(result.stdout)["matches"]
    assert match["id"] == "fedarene"
    assert match["contacts"][0]["email"] == "hannu.koponen@keskisuomi.fi"
    # The preview is this kvlookup's `show` of the highlighted line's id.
    [options] = calls
    assert " show " in options["preview"] and options["preview"].endswith(" {1}")
    assert options["sort"] is True


def test_pick_passes_the_query_and_kind(run: Invoke, fzf_answers: Any) -> None:
    calls = fzf_answers("koponen")
    result = run("pick", "--kind", "project", "hanke", "--format", "plain")
    assert result.exit_code == 0, result.stderr
    assert calls[0]["query"] == "hanke"
    # Only projects were offered, so "koponen" finds a project he answers for.
    assert result.stdout.split("\t")[2] == "project"


def test_who_pick_chooses_among_the_matches_in_their_order(run: Invoke, fzf_answers: Any) -> None:
    calls = fzf_answers("rdi2")
    result = run("who", "bioeconomy", "--pick", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [m["id"] for m in document["matches"]] == ["rdi2club"]
    assert document["query"] == "bioeconomy"
    assert calls[0]["sort"] is False  # who's ranking is kept


def test_who_pick_with_one_match_opens_no_picker(run: Invoke, fzf_answers: Any) -> None:
    calls = fzf_answers("anything")
    result = run("who", "FEDARENE", "--pick", "--format", "plain")
    assert result.exit_code == 0
    assert "hannu.koponen@keskisuomi.fi" in result.stdout
    assert calls == []


def test_cancelling_the_picker_prints_nothing(run: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(picker, "on_terminal", lambda: True)

    def escape(*_: Any, **__: Any) -> Any:
        raise KeyboardInterrupt  # iterfzf's answer to Esc (fzf's exit 130)

    monkeypatch.setattr(iterfzf, "iterfzf", escape)
    result = run("--lang", "fi", "pick")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "Mitään ei valittu.\n")


def test_copy_email_uses_the_clipboard_tool(
    run: Invoke, fzf_answers: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if sys.platform in ("win32", "darwin"):
        pytest.skip("a fake xclip stands in for the clipboard on Linux and BSD only")
    fzf_answers("partanen")
    tools = tmp_path / "bin"
    tools.mkdir()
    copied = tmp_path / "copied.txt"
    xclip = tools / "xclip"
    xclip.write_text(f"#!/bin/sh\ncat > {shlex.quote(str(copied))}\n", encoding="utf-8")
    xclip.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}/usr/bin{os.pathsep}/bin")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = run("pick", "--copy-email")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert copied.read_text(encoding="utf-8") == "raija.partanen@keskisuomi.fi"
    assert result.stderr == "Copied raija.partanen@keskisuomi.fi to the clipboard (xclip).\n"


def test_without_a_clipboard_the_email_is_printed_and_said_so(
    run: Invoke, fzf_answers: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fzf_answers("partanen")
    monkeypatch.setattr(clipboard, "tools", lambda platform, environ: [])
    result = run("--lang", "fi", "pick", "--copy-email")
    assert result.exit_code == 0
    assert result.stdout == "raija.partanen@keskisuomi.fi\n"
    assert "Leikepöytätyökalua ei löytynyt" in result.stderr


def test_who_copy_email_copies_the_first_contact_of_the_answer(
    run: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clipboard, "tools", lambda platform, environ: [])
    result = run("who", "FEDARENE", "--copy-email")
    assert (result.exit_code, result.stdout) == (0, "hannu.koponen@keskisuomi.fi\n")


def test_clipboard_tools_per_platform() -> None:
    assert clipboard.tools("win32", {}) == [["clip.exe"]]
    assert clipboard.tools("darwin", {}) == [["pbcopy"]]
    assert clipboard.tools("linux", {}) == []
    assert [t[0] for t in clipboard.tools("linux", {"WAYLAND_DISPLAY": "w", "DISPLAY": ":0"})] == [
        "wl-copy",
        "xclip",
        "xsel",
    ]
    # clip.exe reads the console's code page unless a BOM says UTF-16.
    assert clipboard._encoded("ä@x.fi", "win32").startswith(b"\xff\xfe")
    assert clipboard._encoded("a@x.fi", "win32") == b"a@x.fi"


@pytest.mark.skipif(sys.platform == "win32", reason="the preview is run by sh here")
def test_the_preview_command_shows_the_highlighted_item(registry_path: Path) -> None:
    command = picker.preview_command(registry_path, "fi", None).replace("{1}", "fedarene")
    done = subprocess.run(command, shell=True, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "FEDARENE" in done.stdout and "Hannu Koponen" in done.stdout
    assert "Tyyppi" in done.stdout  # the --lang of the run


def test_preview_command_is_quoted_for_the_shell(tmp_path: Path) -> None:
    spaced = tmp_path / "my registry" / "contacts.toml"
    command = picker.preview_command(spaced, "en", None)
    if sys.platform != "win32":
        assert shlex.split(command.removesuffix(" {1}"))[4] == str(spaced)


def test_who_without_pick_never_imports_the_picker(tmp_path: Path) -> None:
    from .test_startup import _modules_of_warm_run

    for fmt in ("json", "table"):
        modules, stdout = _modules_of_warm_run(tmp_path, "who", "FEDARENE", "--format", fmt)
        assert "FEDARENE" in stdout
        assert modules & {"iterfzf", "kvlookup.picker", "kvlookup.clipboard"} == set()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pty drives fzf on Linux only")
@pytest.mark.parametrize(
    ("args", "typed", "expected"),
    [
        (["pick"], b"partanen", b"raija.partanen@keskisuomi.fi"),
        (["who", "bioeconomy", "--pick"], b"rdi2", b"rdi2club\tRDI2CluB"),
    ],
)
def test_the_real_picker_on_a_pseudo_terminal(
    registry_path: Path, args: list[str], typed: bytes, expected: bytes
) -> None:
    import pty

    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "KVLOOKUP_REGISTRY": str(registry_path),
        "COLUMNS": "100",
        "LINES": "30",
    }
    pid, fd = pty.fork()
    if pid == 0:  # the child: kvlookup pick with the pty as its terminal
        import fcntl
        import struct
        import termios

        # A pseudo-terminal starts 0x0; fzf draws nothing in that.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        argv = [sys.executable, "-m", "kvlookup", *args, "--format", "plain"]
        os.execve(sys.executable, argv, env)
    screen = b""

    def read_until(done: Callable[[bytes], bool], seconds: float) -> None:
        """Read the terminal until done(screen) holds, the program ends or time runs out."""
        nonlocal screen
        import select

        end = time.monotonic() + seconds
        while not done(screen) and time.monotonic() < end:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # the program ended and closed the terminal
                    return
                if not chunk:
                    return
                # fzf --height asks where the cursor is; a terminal would answer.
                for _ in range(chunk.count(b"\x1b[6n")):
                    os.write(fd, b"\x1b[1;1R")
                screen += chunk

    try:
        read_until(lambda out: b"Hannu Koponen" in out, 10)  # the picker shows its lines
        os.write(fd, typed)
        time.sleep(0.5)  # fzf filters as it reads; Enter takes the line then on top
        os.write(fd, b"\r")
        read_until(lambda out: False, 10)  # to the end: fzf asks the cursor again on leaving
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, screen.decode(errors="replace")
    assert expected in screen
