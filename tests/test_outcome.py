"""Commands return an Outcome, and one function writes it (as pipx's result.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import typer

from kvlookup import commands
from kvlookup.commands import Outcome, render_outcome
from kvlookup.errors import ExitCode
from kvlookup.output.views import Column, View

COMMAND_MODULES = sorted(
    p for p in Path(commands.__file__).parent.glob("*.py") if p.name != "__init__.py"
)


def _calls(path: Path) -> list[str]:
    """What a module does that only render_outcome should: exits, stream writes, err()."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if (isinstance(node, ast.Raise) and "Exit" in ast.unparse(node.exc or node)) or (
            isinstance(node, ast.Attribute) and ast.unparse(node) in ("sys.stdout", "sys.stderr")
        ):
            found.append(ast.unparse(node))
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in ("err", "emit", "print"):
            found.append(ast.unparse(node.func))
    return found


@pytest.mark.parametrize("path", COMMAND_MODULES, ids=lambda p: p.name)
def test_commands_neither_print_nor_exit(path: Path) -> None:
    allowed = {
        # import shows its diff before asking whether to write it
        "edit.py": ["sys.stdout"],
        # check --directory says how old the copy is before its findings end the run
        "directory.py": ["err"],
    }
    assert _calls(path) == allowed.get(path.name, [])


def test_render_outcome_writes_view_then_messages_then_exits(
    capsys: pytest.CaptureFixture[str],
) -> None:
    view = View((Column("name", "col.name"),), ({"name": "FEDARENE"},), {"schema": 3})
    outcome = Outcome(view, "plain", messages=(("who.no_match", {"query": "x"}),))
    with pytest.raises(typer.Exit) as info:
        render_outcome(outcome._replace(code=ExitCode.NO_MATCH), "en")
    assert info.value.exit_code == 1
    out, err = capsys.readouterr()
    assert out == "FEDARENE\n"
    assert err == "No match for 'x'.\n"


def test_a_clean_outcome_does_not_exit(capsys: pytest.CaptureFixture[str]) -> None:
    render_outcome(Outcome(data=b"a,b\r\n", messages=(("list.empty", {}),)), "fi")
    out, err = capsys.readouterr()
    assert out == "a,b\r\n" and err.strip()
