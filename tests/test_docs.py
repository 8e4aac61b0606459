"""Every command is documented: help text in both languages and a README mention."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer

from kvlookup import messages
from kvlookup.cli import COMMANDS, _localise, build_app

from .conftest import ROOT, Invoke

NAMES = sorted(typer.main.get_command(build_app(COMMANDS)).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", NAMES)
def test_command_has_help_in_both_languages(run: Invoke, name: str) -> None:
    en = run(name, "--help")
    fi = run("--lang", "fi", name, "--help")
    assert en.exit_code == 0 and fi.exit_code == 0
    assert name in messages.HELP_FI
    assert en.stdout != fi.stdout


@pytest.mark.parametrize("name", NAMES)
def test_command_is_in_readme(name: str) -> None:
    assert f"kvlookup {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["person", "topic", "project", "network"])
def test_nested_add_commands_have_help_in_both_languages(run: Invoke, kind: str) -> None:
    en = run("add", kind, "--help")
    fi = run("--lang", "fi", "add", kind, "--help")
    assert en.exit_code == 0 and fi.exit_code == 0
    assert f"add {kind}" in messages.HELP_FI
    assert messages.HELP_FI[f"add {kind}"] in fi.stdout
    # Every option is translated, not only the command's own line.
    assert "Show the change as a unified diff" in en.stdout
    assert "Show the change" not in fi.stdout and "--dry-run" in fi.stdout


def _tree(command: Any, name: str = "") -> Iterator[tuple[str, Any]]:
    yield name, command
    for sub_name, sub in getattr(command, "commands", {}).items():
        yield from _tree(sub, f"{name} {sub_name}".strip())


def test_every_option_of_every_command_has_finnish_help() -> None:
    english = typer.main.get_command(build_app(COMMANDS))
    finnish = typer.main.get_command(build_app(COMMANDS))
    assert english is not finnish
    _localise(finnish, "")
    for (name, en), (_, fi) in zip(_tree(english), _tree(finnish), strict=True):
        for en_param, fi_param in zip(en.params, fi.params, strict=True):
            if getattr(en_param, "help", None):
                assert fi_param.help != en_param.help, f"{name} {en_param.name}"


def test_every_message_has_both_languages() -> None:
    for key, (en, fi) in messages.MESSAGES.items():
        assert en and fi, key
