"""Regressions found in review: pipes, relative cache folders, date-times, help, escapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kvlookup import cache, text
from kvlookup.cli import app_for

from .conftest import Invoke, cache_dir


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.ENV_OFF, raising=False)


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


def test_relative_cache_folder(
    run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for _ in range(2):  # the second run reads the cache the first one wrote
        result = run("who", "FEDARENE", env={cache.ENV_DIR: "rel-cache"})
        assert result.exit_code == 0, result.stderr
    assert list((tmp_path / "rel-cache").glob("*.sqlite"))


def test_no_cache_zero_means_on(run: Invoke, tmp_path: Path) -> None:
    assert run("who", "FEDARENE", env={cache.ENV_OFF: "0"}).exit_code == 0
    assert list(cache_dir(tmp_path).glob("*.sqlite"))


def test_absence_with_a_time_of_day_is_a_registry_problem(run: Invoke, registry_path: Path) -> None:
    text_ = registry_path.read_text(encoding="utf-8").replace(
        'email = "hannu.koponen@keskisuomi.fi"',
        'email = "hannu.koponen@keskisuomi.fi"\naway = [{from = 2026-12-21T08:00:00, to = 2027-01-06}]',
    )
    registry_path.write_text(text_, encoding="utf-8")
    result = run("who", "FEDARENE", "--date", "2026-12-24")
    assert result.exit_code == 3
    assert "people.hannu-koponen.away[0]" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["--help", "who"], ["-h", "list"]])
def test_help_before_a_command_is_the_whole_app(args: list[str]) -> None:
    assert app_for(args).registered_commands == app_for([]).registered_commands


def test_only_the_invoked_command_is_built() -> None:
    [only] = app_for(["-r", "x.toml", "--lang", "fi", "who", "FEDARENE"]).registered_commands
    assert only.callback is not None and only.callback.__name__ == "who"


def test_no_contact_message_escapes_registry_values(run: Invoke, registry_path: Path) -> None:
    registry_path.write_text(
        '[topics.t]\nname = "Evil \\u001b]0;pwned\\u0007 topic"\naliases = ["evil"]\n',
        encoding="utf-8",
    )
    result = run("who", "evil")
    assert result.exit_code == 0
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;pwned\\x07" in result.stderr


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Søren Ødegaard", "soren odegaard"),
        ("Ægir", "aegir"),
        ("Łódź", "lodz"),
        ("Straße", "strasse"),
    ],
)
def test_letters_without_decomposition_fold(raw: str, folded: str) -> None:
    assert text.fold(raw) == folded
    assert " ".join(text.tokens(raw)) == folded
