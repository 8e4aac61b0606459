"""Shell completion through Click's protocol (_KVLOOKUP_COMPLETE), for bash, zsh and fish."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kvlookup.cli import COMMANDS, main

from .conftest import cache_dir

Env = dict[str, str]


def _complete(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, env: Env) -> str:
    """What one TAB prints, run as the console script runs it."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SystemExit) as exit_info:
        main([])
    out = capsys.readouterr().out
    assert exit_info.value.code in (0, None), out
    return out


def bash(line: str) -> Env:
    """The environment bash's script sets: the words and the index of the one completed."""
    words = line.split(" ")
    return {
        "_KVLOOKUP_COMPLETE": "bash_complete",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
    }


def zsh(line: str) -> Env:
    return {"_KVLOOKUP_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line}


def fish(line: str) -> Env:
    return {
        "_KVLOOKUP_COMPLETE": "complete_fish",
        "_TYPER_COMPLETE_ARGS": line,
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    }


@pytest.fixture
def tab(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def complete(env: Env) -> list[str]:
        return [line for line in _complete(capsys, monkeypatch, env).splitlines() if line]

    return complete


def test_bash_completes_command_names(tab) -> None:  # type: ignore[no-untyped-def]
    assert tab(bash("kvlookup sh")) == ["show"]
    assert set(tab(bash("kvlookup "))) >= set(COMMANDS)


def test_typer_order_of_the_instruction_works_too(tab) -> None:  # type: ignore[no-untyped-def]
    env = bash("kvlookup sh") | {"_KVLOOKUP_COMPLETE": "complete_bash"}
    assert tab(env) == ["show"]


def test_bash_completes_options_of_the_command_and_of_the_app(tab) -> None:  # type: ignore[no-untyped-def]
    assert {"--limit", "--date", "--format", "--help"} <= set(tab(bash("kvlookup who --")))
    assert {"--registry", "--lang", "--install-completion", "--show-completion"} <= set(
        tab(bash("kvlookup --"))
    )
    assert tab(bash("kvlookup --lang ")) == ["en", "fi"]
    assert tab(bash("kvlookup list --kind h")) == ["hanke", "henkilö"]
    assert set(tab(bash("kvlookup who --format c"))) == {"csv"}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_completes_its_options(tab, name: str) -> None:  # type: ignore[no-untyped-def]
    # cli builds only the command a line names: the TAB must build it too.
    assert "--help" in tab(bash(f"kvlookup {name} --h"))


def test_bash_completes_ids_and_names(tab) -> None:  # type: ignore[no-untyped-def]
    assert tab(bash("kvlookup show FED")) == ["FEDARENE"]
    assert tab(bash("kvlookup show fed")) == ["fedarene"]
    # bash inserts a word as given, so a name with a space comes escaped.
    assert tab(bash("kvlookup whois Han")) == ["Hannu\\ Koponen"]


def test_person_arguments_offer_only_people(tab) -> None:  # type: ignore[no-untyped-def]
    offered = tab(bash("kvlookup whois "))
    assert "hannu-koponen" in offered and "fedarene" not in offered
    assert tab(bash("kvlookup assign fed")) == ["fedarene"]
    assert tab(bash("kvlookup assign fedarene ha")) == ["hannu-koponen"]
    assert tab(bash("kvlookup assign fedarene fe")) == []
    assert tab(bash("kvlookup export --person Kar")) == ["Kari\\ Pirinen"]


def test_options_anywhere_still_complete(tab, registry_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.toml"
    other.write_text(
        registry_path.read_text(encoding="utf-8").replace('name = "FEDARENE"', 'name = "FEDERA"'),
        encoding="utf-8",
    )
    assert tab(bash(f"kvlookup -r {other} show FED")) == ["FEDERA"]
    assert tab(bash(f"kvlookup show --registry {other} FED")) == ["FEDERA"]


def test_zsh(tab) -> None:  # type: ignore[no-untyped-def]
    [out] = tab(zsh("kvlookup whois kar"))
    assert out == """_arguments '*: :(("kari-pirinen":"person\\\\: Kari Pirinen"))'"""
    assert '"show":"Everything about one entry or person."' in "\n".join(tab(zsh("kvlookup sh")))
    assert '"Hannu Koponen":"person\\\\: hannu-koponen"' in tab(zsh("kvlookup whois H"))[0]


def test_fish(tab) -> None:  # type: ignore[no-untyped-def]
    assert tab(fish("kvlookup show FED")) == ["FEDARENE\tnetwork: fedarene"]
    assert tab(fish("kvlookup whois Han")) == ["Hannu Koponen\tperson: hannu-koponen"]
    # Every help text stays on its own line: one line is one candidate in fish.
    lines = tab(fish("kvlookup who --"))
    assert all(line.startswith("--") for line in lines), lines


def test_finnish_help_in_candidates(tab) -> None:  # type: ignore[no-untyped-def]
    assert tab(fish("kvlookup --lang fi who --l")) == ["--limit\tNäytä enintään N osumaa."]


def test_a_changed_registry_offers_its_new_names(  # type: ignore[no-untyped-def]
    tab, run, registry_path: Path
) -> None:
    assert run("who", "FEDARENE", "--format", "json").exit_code == 0  # warms the cache
    assert run("add", "topic", "fedora", "--name", "Fedora-kurssi").exit_code == 0
    assert tab(bash("kvlookup show Fed")) == ["Fedora-kurssi"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_the_script(  # type: ignore[no-untyped-def]
    run, shell: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without detection Typer's option takes the shell's name; with it, the shell running.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = run("--show-completion", shell)
    assert result.exit_code == 0
    assert f"_KVLOOKUP_COMPLETE=complete_{shell}" in result.stdout


def test_install_completion_writes_the_users_bash_setup(  # type: ignore[no-untyped-def]
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    monkeypatch.setenv("HOME", str(home))
    result = run("--install-completion", "bash")
    assert result.exit_code == 0, result.output
    script = home / ".bash_completions" / "kvlookup.sh"
    assert "_KVLOOKUP_COMPLETE=complete_bash" in script.read_text(encoding="utf-8")
    assert str(script.name) in (home / ".bashrc").read_text(encoding="utf-8")


PROBE = """
import json, sys
from kvlookup.cli import main
try:
    main([])
except SystemExit:
    pass
sys.stdout.flush()
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def test_a_warm_tab_reads_the_cache_not_the_toml(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "KVLOOKUP_NO_CACHE"}
    env["KVLOOKUP_CACHE_DIR"] = str(cache_dir(tmp_path))
    subprocess.run(
        [sys.executable, "-m", "kvlookup", "who", "FEDARENE"],
        env=env,
        check=True,
        capture_output=True,
    )
    proc = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env | bash("kvlookup show FED"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout.splitlines() == ["FEDARENE"]
    modules = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    assert modules & {"tomllib", "tomli", "kvlookup.sources.opening", "rich", "rapidfuzz"} == set()


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_in_a_real_bash(tmp_path: Path) -> None:
    script = """
    source <(kvlookup --show-completion bash)
    COMP_WORDS=(kvlookup whois Han); COMP_CWORD=2
    _kvlookup_completion kvlookup
    printf '%s\\n' "${COMPREPLY[@]}"
    """
    bindir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}")
    env["_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"] = "1"
    if shutil.which("kvlookup", path=env["PATH"]) is None:
        pytest.skip("the kvlookup console script is not installed")
    proc = subprocess.run(
        ["bash", "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert proc.stdout.splitlines() == ["Hannu\\ Koponen"], proc.stderr
