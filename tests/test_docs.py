"""Every command is documented: help text in both languages and a README mention."""

from __future__ import annotations

import pytest
import typer

from kvlookup import i18n
from kvlookup.cli import app

from .conftest import ROOT, Invoke

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_in_both_languages(run: Invoke, name: str) -> None:
    en = run(name, "--help")
    fi = run("--lang", "fi", name, "--help")
    assert en.exit_code == 0 and fi.exit_code == 0
    assert name in i18n.HELP_FI
    assert en.stdout != fi.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_readme(name: str) -> None:
    assert f"kvlookup {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_message_has_both_languages() -> None:
    for key, (en, fi) in i18n.MESSAGES.items():
        assert en and fi, key
