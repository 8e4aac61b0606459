"""The command list of --help: grouped, each command on one whole line, in both languages."""

from __future__ import annotations

import pytest

from kvlookup.cli import COMMANDS, GROUPS, SHORT_HELP

from .conftest import Invoke


def test_every_command_has_a_group_and_a_line_in_both_languages() -> None:
    grouped = [name for _, names in GROUPS for name in names]
    assert sorted(grouped) == sorted(COMMANDS)
    assert set(SHORT_HELP) == set(COMMANDS)


@pytest.mark.parametrize(
    ("lang", "titles"),
    [
        ("en", ["Lookup:", "Export:", "Editing:", "Checking:", "Directory:"]),
        ("fi", ["Haku:", "Vienti:", "Muokkaus:", "Tarkistus:", "Hakemisto:"]),
    ],
)
def test_help_lists_commands_in_groups_and_cuts_none(
    run: Invoke, lang: str, titles: list[str]
) -> None:
    result = run("--lang", lang, "--help", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line for line in lines if line in titles] == titles
    for name in COMMANDS:
        [line] = [x for x in lines if x.split()[:1] == [name] and x.startswith("  ")]
        assert line.split(None, 1)[1] == SHORT_HELP[name][lang == "fi"]
        assert len(line) <= 80 and not line.endswith("...")
    assert "(e.g." not in result.stdout
