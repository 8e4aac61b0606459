"""Options anywhere on the line, and `who` as the default command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kvlookup import cli
from kvlookup.cli import app_for, arrange

from .conftest import Invoke


@pytest.mark.parametrize(
    ("args", "arranged"),
    [
        (["who", "X", "--registry", "f"], ["--registry", "f", "who", "X"]),
        (["who", "X", "--lang=fi", "-r", "f"], ["--lang=fi", "-r", "f", "who", "X"]),
        (["--format", "json", "who", "X"], ["who", "--format", "json", "X"]),
        (["FEDARENE"], ["who", "FEDARENE"]),
        (["--lang", "fi", "kuka", "hoitaa", "X"], ["--lang", "fi", "who", "kuka", "hoitaa", "X"]),
        (["who", "--", "--lang", "x"], ["who", "--", "--lang", "x"]),
        (["--", "-5"], ["who", "--", "-5"]),
        (["--help"], ["--help"]),
        (["--lang", "fi", "--help"], ["--lang", "fi", "--help"]),
        ([], []),
    ],
)
def test_arrange(args: list[str], arranged: list[str]) -> None:
    assert arrange(args) == arranged


def _who(run: Invoke, *args: str) -> dict[str, object]:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert isinstance(doc, dict)
    return doc


def test_global_options_after_the_command(run: Invoke, tmp_path: Path, registry_path: Path) -> None:
    other = tmp_path / "other.toml"
    shutil.copyfile(registry_path, other)
    doc = _who(run, "who", "FEDARENE", "--registry", str(other), "--lang", "fi", "-f", "json")
    assert doc["query"] == "FEDARENE"
    fi = run("who", "FEDARENE", "--lang", "fi", "--format", "table", env={"COLUMNS": "120"})
    assert "Yhteyshenkilö" in fi.stdout
    missing = run("who", "FEDARENE", "--registry", str(tmp_path / "none.toml"))
    assert missing.exit_code == 3


def test_format_before_the_command(run: Invoke) -> None:
    assert _who(run, "--format", "json", "who", "FEDARENE")["query"] == "FEDARENE"
    assert "item" in _who(run, "-f", "json", "show", "wfeo")


@pytest.mark.parametrize(
    "args",
    [("FEDARENE", "-f", "json"), ("kuka", "hoitaa", "FEDARENEa", "-f", "json")],
)
def test_a_query_without_a_command_is_who(run: Invoke, args: tuple[str, ...]) -> None:
    doc = _who(run, *args)
    matches = doc["matches"]
    assert isinstance(matches, list) and matches[0]["id"] == "fedarene"


def test_default_command_builds_only_who() -> None:
    app = app_for(["FEDARENE"])
    assert [c.callback.__name__ for c in app.registered_commands if c.callback] == ["who"]


def test_format_on_a_command_without_it_is_refused(run: Invoke) -> None:
    result = run("--format", "json", "check")
    assert result.exit_code == 2
    assert "--format" in result.stderr


def test_a_query_after_double_dash_is_not_an_option(run: Invoke) -> None:
    result = run("who", "--", "--lang")
    assert result.exit_code == 1
    assert "No match for '--lang'." in result.stderr


# --- the command line is read once --------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "command", "lang", "args"),
    [
        (["who", "X", "--lang", "fi"], "who", "fi", ["--lang", "fi", "who", "X"]),
        (["FEDARENE"], "who", "en", ["who", "FEDARENE"]),
        (["--lang=fi", "list"], "list", "fi", ["--lang=fi", "list"]),
        (["export", "--fields"], "export", "en", ["export", "--fields="]),
        (
            ["export", "--fields", "-f", "json"],
            "export",
            "en",
            ["export", "-f", "json", "--fields="],  # --format goes right after the command
        ),
        (
            ["export", "--fields", "name,email"],
            "export",
            "en",
            ["export", "--fields", "name,email"],
        ),
        (["--help"], None, "en", ["--help"]),
    ],
)
def test_the_command_line_is_read_once_into_an_invocation(
    argv: list[str], command: str | None, lang: str, args: list[str]
) -> None:
    read = cli.read_argv(argv, {})
    assert (read.command, read.lang, read.args) == (command, lang, args)


def test_the_locale_decides_when_no_lang_is_given() -> None:
    assert cli.read_argv(["who", "X"], {"LANG": "fi_FI.UTF-8"}).lang == "fi"


def test_no_module_but_the_entry_point_reads_sys_argv() -> None:
    import ast
    from pathlib import Path

    import kvlookup

    readers = []
    for path in Path(kvlookup.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "argv"
                and isinstance(node.value, ast.Name)
                and node.value.id == "sys"
            ):
                readers.append(path.name)
    assert sorted(readers) == ["cli.py", "cli.py"]  # main() and run(), each once
