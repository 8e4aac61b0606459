"""Random registries, argument bytes and edit sequences: no traceback, documented exits only."""

from __future__ import annotations

import os
import shutil
import tempfile
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kvlookup.cli import app_for
from kvlookup.errors import ExitCode
from kvlookup.search import text

from .conftest import BUNDLED
from .processes import kvlookup

DOCUMENTED = {int(code) for code in ExitCode}
IDS = ["hannu-koponen", "kari-pirinen", "fedarene", "wfeo", "errin", "bea-app", "x-new"]
FIELDS = ["name", "title", "phone", "email", "aliases", "description", "via", "deputy"]
words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


def invoke(*args: str) -> tuple[int, str]:
    """Run the CLI in-process; the exit code, after checking nothing escaped as a traceback."""
    result = CliRunner().invoke(app_for(args), list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in DOCUMENTED, (args, result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr


edits = st.one_of(
    st.tuples(st.just("set"), st.sampled_from(IDS), st.sampled_from(FIELDS), words),
    st.tuples(st.just("add"), st.sampled_from(["topic", "project", "network"]), words, words),
    st.tuples(st.just("assign"), st.sampled_from(IDS), st.sampled_from(IDS)),
    st.tuples(st.just("unassign"), st.sampled_from(IDS), st.sampled_from(IDS)),
    st.tuples(st.just("remove"), st.sampled_from(IDS), st.booleans()),
    st.tuples(st.just("rename"), st.sampled_from(IDS), words),
)


def args_of(edit: tuple[object, ...]) -> tuple[list[str], set[str]]:
    """Command-line arguments of an edit, and the ids it may change."""
    op = str(edit[0])
    if op == "set":
        return ["set", str(edit[1]), str(edit[2]), str(edit[3])], {str(edit[1])}
    if op == "add":
        return [
            "add",
            str(edit[1]),
            "x-new",
            "--name",
            str(edit[2]) or "N",
            "--alias",
            str(edit[3]),
        ], {"x-new"}
    if op in ("assign", "unassign"):
        return [op, str(edit[1]), str(edit[2])], {str(edit[1])}
    if op == "remove":
        return ["remove", str(edit[1]), *(["--cascade"] if edit[2] else [])], {str(edit[1])}
    return ["rename", str(edit[1]), str(edit[2])], {str(edit[1])}


def refers(body: object, item_id: str) -> bool:
    """True when an item's table names item_id (what remove --cascade and rename update)."""
    if not isinstance(body, dict):
        return False
    contacts = body.get("contacts", [])
    return item_id in contacts or item_id in (body.get("via"), body.get("deputy"))


def named_by(item_id: str, body: object, name: str) -> bool:
    """True when name means this item: its id, or its name or an alias (as edits resolve)."""
    if item_id == name:
        return True
    if not isinstance(body, dict):
        return False
    key = " ".join(text.tokens(name))
    labels = [body.get("name", ""), *body.get("aliases", [])]
    name_parts = str(body.get("name", "")).split()
    labels += [" ".join(name_parts[:-1]), name_parts[-1]] if len(name_parts) > 1 else []
    return bool(key) and any(" ".join(text.tokens(str(label))) == key for label in labels)


def items(path: Path) -> dict[str, object]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        k: v
        for t in ("people", "topics", "projects", "networks")
        for k, v in data.get(t, {}).items()
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edits, min_size=1, max_size=5))
def test_random_edit_sequences_keep_the_registry_valid(sequence: list[tuple[object, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "contacts.toml"
        shutil.copyfile(BUNDLED, path)
        os.environ["KVLOOKUP_CACHE_DIR"] = str(Path(folder) / "cache")
        for edit in sequence:
            args, named = args_of(edit)
            before = items(path)
            may_change = {i for i in before if any(named_by(i, before[i], n) for n in named)}
            may_change |= named
            code, _ = invoke("--registry", str(path), *args)
            after = items(path)
            for item_id, body in before.items():
                if item_id not in may_change and not any(refers(body, m) for m in may_change):
                    assert after.get(item_id) == body, (args, item_id)
            if code == 0:
                assert invoke("--registry", str(path), "check")[0] == 0, args


toml_values = st.recursive(
    st.one_of(st.integers(), st.booleans(), words, st.dates()),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words, inner, max_size=3),
    max_leaves=8,
)
registries = st.dictionaries(
    st.sampled_from(["people", "topics", "projects", "networks", "schema", "organisation", "x"]),
    st.dictionaries(st.sampled_from(["a", "b-1", "bad id", ""]), toml_values, max_size=3)
    | toml_values,
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(registries, st.sampled_from(["check", "list", "who", "export", "show", "whois"]))
def test_random_registries_are_reported_never_crash(data: dict[str, object], command: str) -> None:
    import tomli_w

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.toml"
        try:
            path.write_text(tomli_w.dumps(data), encoding="utf-8")
        except (TypeError, ValueError):
            path.write_text(repr(data), encoding="utf-8")  # not TOML: a syntax error to report
        os.environ["KVLOOKUP_CACHE_DIR"] = str(Path(folder) / "cache")
        extra = ["a"] if command in ("who", "show", "whois") else []
        invoke("--registry", str(path), command, *extra)


@settings(max_examples=8, deadline=None)
@given(st.lists(st.binary(min_size=1, max_size=6), min_size=1, max_size=3))
def test_random_argument_bytes_through_the_console_script(argv: list[bytes]) -> None:
    args = [a.replace(b"\0", b"x") for a in argv]
    proc = kvlookup("who", *args, timeout=60)
    assert proc.returncode in DOCUMENTED
    assert b"Traceback" not in proc.stderr
