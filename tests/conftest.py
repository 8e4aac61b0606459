"""Shared fixtures: every test runs against a private copy of the bundled registry."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kvlookup.cli import app_for, read_argv

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "data" / "contacts.toml"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def registry_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point KVLOOKUP_REGISTRY at a copy of the registry, away from the user's files."""
    path = tmp_path / "contacts.toml"
    shutil.copyfile(BUNDLED, path)
    monkeypatch.setenv("KVLOOKUP_REGISTRY", str(path))
    # The search cache goes to the test's own folder; KVLOOKUP_NO_CACHE=1 from outside still
    # turns it off, so CI runs the whole suite both ways.
    monkeypatch.setenv("KVLOOKUP_CACHE_DIR", str(cache_dir(tmp_path)))
    # No test reads the user's own config.toml (a directory it names would be merged in).
    monkeypatch.setenv(
        "XDG_CONFIG_HOME", str(cache_dir(tmp_path).with_name(f"{tmp_path.name}-config"))
    )
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR", "KVLOOKUP_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return path


def cache_dir(tmp_path: Path) -> Path:
    """The test's cache folder: beside tmp_path, so tests may list tmp_path itself."""
    return tmp_path.parent / f"{tmp_path.name}-cache"


Invoke = Callable[..., Result]


@pytest.fixture
def run() -> Invoke:
    """Invoke the CLI in-process, stdout and stderr kept apart, built as a real run builds it."""
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        # As main() does: the command line read once, and carried on the context.
        read = read_argv(args, {**os.environ, **(env or {})})
        return runner.invoke(app_for(read), read.args, env=env, input=input, obj=read)

    return invoke


def write_registry(path: Path, text: str) -> Path:
    """Write a registry file and return its path."""
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True, scope="session")
def bundled_registry_untouched() -> Iterator[None]:
    """No test may write the bundled registry, which edits use when nothing else is set."""
    before = BUNDLED.read_bytes()
    yield
    assert BUNDLED.read_bytes() == before, "a test wrote data/contacts.toml"


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where kvlookup edit puts its copy, so a test can see whether one was kept."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.delenv("VISUAL", raising=False)
    return folder
