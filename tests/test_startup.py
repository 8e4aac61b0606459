"""Start-up stays lean: a run builds only its command and imports only what its output needs.

Timing belongs to bench/run.py; these tests pin the structural reasons it is fast, so that
a stray top-level import shows up as a failing test rather than as a slower benchmark.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from kvlookup.cli import COMMANDS, _name_of, app_for, build_app, read_argv

from .conftest import cache_dir

PROBE = """
import json, sys
before = set(sys.modules)
from kvlookup.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stdout.flush()
print(json.dumps(sorted(set(sys.modules) - before)), file=sys.stderr)
"""


def _warm_run(tmp_path: Path, code: str, *args: str) -> tuple[Any, str]:
    """What python -c code printed last on stderr (as JSON) once the cache is warm, and
    its stdout."""
    env = {k: v for k, v in os.environ.items() if k != "KVLOOKUP_NO_CACHE"}
    env["KVLOOKUP_CACHE_DIR"] = str(cache_dir(tmp_path))
    for _ in range(2):  # the first run writes the cache
        proc = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stderr.strip().splitlines()[-1]), proc.stdout


def _modules_of_warm_run(tmp_path: Path, *args: str) -> tuple[set[str], str]:
    """The modules a run imports once the cache is warm, and its stdout."""
    modules, stdout = _warm_run(tmp_path, PROBE, *args)
    return set(modules), stdout


def test_commands_table_names_each_command_of_its_module() -> None:
    registered: dict[str, str] = {}
    for module_name in set(COMMANDS.values()):
        source: typer.Typer = import_module(f"kvlookup.commands.{module_name}").commands
        for info in source.registered_commands:
            registered[_name_of(info)] = module_name
        for group in source.registered_groups:
            registered[str(group.name)] = module_name
    assert registered == dict(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_run_builds_only_its_command(name: str) -> None:
    app = app_for(["--lang", "fi", name, "--help"])
    built = [_name_of(c) for c in app.registered_commands] + [
        str(g.name) for g in app.registered_groups
    ]
    assert built == [name]


def test_warm_json_lookup_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    modules, stdout = _modules_of_warm_run(tmp_path, "who", "FEDARENE", "--format", "json")
    assert json.loads(stdout)["matches"][0]["id"] == "fedarene"
    unused = {
        "kvlookup.commands.edit",  # other commands
        "kvlookup.commands.export",
        "kvlookup.editing.edits",
        "kvlookup.output.export",
        "kvlookup.editing.store",
        "kvlookup.safewrite",  # only a cache miss writes
        "filelock",  # only writers lock
        "rich",  # table output only
        "rapidfuzz",  # typo scans of many candidates only
        "kvlookup.search.typos",  # a query word the registry lacks
        "kvlookup.completion",  # a TAB
        "kvlookup.messages",  # a JSON answer prints no message
        "tomllib",  # the warm cache needs no parse
        "tomli",
        "rtoml",
        "kvlookup.sources.tomlread",
        "kvlookup.sources.registry",  # the reader and validator: only a cache miss
        "dataclasses",  # records are NamedTuples
        "hashlib",  # loads OpenSSL; the cache key uses _blake2
        "phonenumbers",
        "tomli_w",
        "iterfzf",  # the picker: only pick and who --pick open it
        "kvlookup.picker",
        "kvlookup.clipboard",
        "unicodedata",  # only text outside the quick folds (ASCII, ä, ö, å) needs it
    }
    if sys.platform.startswith("linux") and os.path.isabs(os.environ.get("HOME", "")):
        unused.add("platformdirs")  # the user cache folder is worked out without it
    assert modules & unused == set()


def test_a_warm_typo_lookup_scores_its_few_candidates_without_rapidfuzz(
    tmp_path: Path,
) -> None:
    modules, stdout = _modules_of_warm_run(tmp_path, "who", "fedarnee", "--format", "json")
    assert json.loads(stdout)["matches"][0]["id"] == "fedarene"
    assert "rapidfuzz" not in modules


def test_table_imports_rich_and_still_no_edit_code(tmp_path: Path) -> None:
    modules, stdout = _modules_of_warm_run(tmp_path, "who", "FEDARENE", "--format", "table")
    assert "FEDARENE" in stdout
    assert "rich.table" in modules
    assert modules & {"kvlookup.commands.edit", "kvlookup.editing.edits", "tomllib"} == set()


def test_an_export_without_filters_never_builds_the_filter_algebra(tmp_path: Path) -> None:
    modules, stdout = _modules_of_warm_run(tmp_path, "export", "--format", "csv")
    assert "FEDARENE" in stdout
    assert "kvlookup.output.filters" not in modules
    modules, stdout = _modules_of_warm_run(tmp_path, "export", "-f", "csv", "--kind", "network")
    assert "FEDARENE" in stdout and "kvlookup.output.filters" in modules


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        ["-h"],
        ["--help", "who"],
        ["-h", "list"],
        ["--lang", "fi", "--help"],
        ["--lang", "fi"],
        ["--version"],
        ["--bogus"],
        ["--lang"],
        ["--lang", "xx", "--help"],
        ["--registry"],
        ["--show-completion", "bash"],
    ],
)
def test_a_run_that_names_no_command_answers_as_the_whole_app(args: list[str]) -> None:
    read = read_argv(args, os.environ)
    assert read.command not in COMMANDS
    answers = [
        CliRunner().invoke(app, read.args, obj=read, env={"SHELL": "/bin/bash"})
        for app in (app_for(read), build_app(COMMANDS))
    ]
    listing, whole = ((r.exit_code, r.stdout, r.stderr) for r in answers)
    assert listing == whole
    # ...without building a command
    assert app_for(read).registered_commands == []


def test_help_imports_no_command_module(tmp_path: Path) -> None:
    modules, stdout = _modules_of_warm_run(tmp_path, "--help")
    assert all(name in stdout for name in COMMANDS)
    assert {m for m in modules if m.startswith("kvlookup.commands.")} == set()


def test_only_the_invoked_command_is_built() -> None:
    [only] = app_for(["-r", "x.toml", "--lang", "fi", "who", "FEDARENE"]).registered_commands
    assert only.callback is not None and only.callback.__name__ == "who"


def test_without_a_config_a_lookup_imports_nothing_of_the_directory(tmp_path: Path) -> None:
    modules, stdout = _modules_of_warm_run(tmp_path, "who", "FEDARENE", "--format", "json")
    assert json.loads(stdout)["matches"][0]["id"] == "fedarene"
    # sources/ also holds the TOML registry's modules, which every lookup opens; any other
    # module there is the directory's.
    toml = {
        f"kvlookup.sources{m}"
        for m in ("", ".location", ".registry", ".tomlread", ".cache", ".opening")
    }
    directory = {m for m in modules if m.startswith(("kvlookup.sources", "ldap3", "pyasn1"))}
    assert directory - toml == set()


def test_a_lookup_on_a_synced_directory_never_imports_ldap3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from kvlookup.sources import synced

    config = tmp_path / "config.toml"
    config.write_text(
        '[directory]\nurl = "ldap://127.0.0.1:9"\nbase_dn = "dc=keskisuomi,dc=fi"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KVLOOKUP_CONFIG", str(config))
    person = synced.DirectoryPerson(
        dn="uid=hkoponen,ou=people,dc=keskisuomi,dc=fi",
        id="hkoponen",
        name="Hannu Koponen",
        email="hannu.koponen@keskisuomi.fi",
        phone="+358 40 5950019",
        keys={"mail": ("hannu.koponen@keskisuomi.fi",)},
    )
    snapshot = synced.Snapshot(
        datetime.now(UTC), "ldap://127.0.0.1:9", "dc=keskisuomi,dc=fi", (person,), ()
    )
    synced.write(synced.path_for(snapshot.url, snapshot.base_dn, os.environ), snapshot)
    modules, stdout = _modules_of_warm_run(tmp_path, "who", "FEDARENE", "--format", "json")
    assert json.loads(stdout)["matches"][0]["contacts"][0]["phone"] == "+358 40 5950019"
    assert "kvlookup.sources.directory" in modules
    # The network code, and the merge itself once the merged cache is warm, stay unloaded.
    assert {m for m in modules if m.startswith(("ldap3", "pyasn1"))} == set()
    assert modules & {"kvlookup.sources.ldap", "kvlookup.sources.merge", "rapidfuzz"} == set()
    # Nor TOML: what the unchanged config says is memoised (sources/directory.py).
    assert modules & {"kvlookup.sources.config", "tomllib"} == set()


# Counts the collector's passes while Typer and kvlookup.cli are being imported and after,
# then the collector's state when the command exits.
COLLECTOR_PROBE = """
import gc, json, os, sys
passes = {"importing": 0, "running": 0}
def watch(phase, info):
    if phase == "start" and "typer" in sys.modules:
        running = hasattr(sys.modules.get("kvlookup.cli"), "run")
        passes["running" if running else "importing"] += 1
exit_now = os._exit
def report(code):
    state = {**passes, "enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}
    sys.stderr.write(json.dumps(state) + "\\n")
    exit_now(code)
os._exit = report
sys.argv = ["kvlookup", "who", "FEDARENE", "--format", "table"]
gc.collect()  # the probe's own objects: no pass is due when the start below begins
gc.callbacks.append(watch)
"""


@pytest.mark.parametrize(
    ("start", "paused"),
    [
        ("from kvlookup.__main__ import main; main()", True),
        # The control: the same run without the entry point is walked by the collector, so
        # the probe can see the passes the entry point saves.
        ("from kvlookup.cli import run; run()", False),
    ],
)
def test_the_entry_point_spares_a_lookup_the_collectors_passes(
    tmp_path: Path, start: str, paused: bool
) -> None:
    state, stdout = _warm_run(tmp_path, COLLECTOR_PROBE + start)
    assert "FEDARENE" in stdout
    # Enabled again once imported, so a long command (an export, an import) still collects.
    assert state["enabled"] is True
    if paused:
        assert (state["importing"], state["running"]) == (0, 0)
        assert state["frozen"] > 10_000
    else:
        assert state["importing"] > 0
        assert state["running"] > 0


def test_the_console_script_is_the_entry_point() -> None:
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="kvlookup")
    assert script.value == "kvlookup.__main__:main"
