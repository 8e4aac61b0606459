"""The registry's lock: portable (no fcntl needed), shared with colleagues, recovered when stale."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from kvlookup.editing import store
from kvlookup.errors import ConflictError

from .conftest import ROOT, Invoke
from .processes import ADDED, run_adders

ADD = ("add", "person", "anna", "--name", "Anna Aalto")

# Makes 'import fcntl' fail in a process, as on a platform without it.
NO_FCNTL = "import sys; sys.modules['fcntl'] = None\n"


@pytest.fixture
def no_fcntl(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run the test as if fcntl did not exist; filelock is imported afresh to notice."""
    saved = {k: v for k, v in sys.modules.items() if k == "filelock" or k.startswith("filelock.")}
    for name in saved:
        del sys.modules[name]
    monkeypatch.setitem(sys.modules, "fcntl", None)  # type: ignore[arg-type]
    try:
        yield
    finally:
        for name in [k for k in sys.modules if k == "filelock" or k.startswith("filelock.")]:
            del sys.modules[name]
        sys.modules.update(saved)


def test_edits_work_without_fcntl(run: Invoke, registry_path: Path, no_fcntl: None) -> None:
    with pytest.raises(ImportError):
        import fcntl  # noqa: F401
    assert run(*ADD).exit_code == 0
    assert run("set", "anna", "title", "suunnittelija").exit_code == 0
    assert run("assign", "FEDARENE", "anna").exit_code == 0
    assert run("unassign", "FEDARENE", "anna").exit_code == 0
    assert run("remove", "anna").exit_code == 0
    assert run("check").exit_code == 0
    import filelock

    assert not filelock.has_fcntl  # the portable marker lock did the locking
    # The marker goes when the lock is released, so the next writer gets in at once.
    assert not registry_path.with_name("contacts.toml.lock").exists()


def test_without_fcntl_a_held_lock_still_excludes(registry_path: Path, no_fcntl: None) -> None:
    started = time.monotonic()
    with store.locked(registry_path), pytest.raises(ConflictError):  # noqa: SIM117
        with store.locked(registry_path, timeout=0.2):
            pass
    assert 0.2 <= time.monotonic() - started < 5


# A process that takes the registry's lock and then dies without releasing it.
DIES_HOLDING_THE_LOCK = """
import os, signal, sys
from pathlib import Path
from kvlookup.editing import store
with store.locked(Path(sys.argv[1])):
    print("locked", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("fcntl_available", [True, False])
def test_a_dead_writers_lock_is_recovered(
    run: Invoke,
    registry_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    fcntl_available: bool,
) -> None:
    prelude = "" if fcntl_available else NO_FCNTL
    proc = subprocess.run(
        [sys.executable, "-c", prelude + DIES_HOLDING_THE_LOCK, str(registry_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == -signal.SIGKILL and proc.stdout == "locked\n", proc.stderr
    monkeypatch.setattr(store, "LOCK_TIMEOUT", 5.0)
    if not fcntl_available:
        assert registry_path.with_name("contacts.toml.lock").exists()  # the dead owner's marker
        request.getfixturevalue("no_fcntl")
    started = time.monotonic()
    result = run(*ADD)
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started < 4


def test_the_lock_file_lets_whoever_reads_the_registry_lock_it(registry_path: Path) -> None:
    for registry_mode, lock_mode in [(0o644, 0o666), (0o640, 0o660), (0o600, 0o600)]:
        lock = registry_path.with_name("contacts.toml.lock")
        lock.unlink(missing_ok=True)
        registry_path.chmod(registry_mode)
        with store.locked(registry_path):
            pass
        assert stat.S_IMODE(lock.stat().st_mode) == lock_mode


def test_a_colleague_can_lock_a_lock_file_someone_else_made(run: Invoke) -> None:
    if not hasattr(os, "seteuid") or os.geteuid() != 0:
        pytest.skip("acting as a second user needs root")
    import filelock  # noqa: F401  (imported while still root, as a long-running process would)

    # A shared folder every colleague can write, outside root's private pytest folder.
    shared = Path(tempfile.mkdtemp(prefix="kvlookup-shared-"))
    try:
        shared.chmod(0o777)
        registry = shared / "contacts.toml"
        registry.write_bytes((ROOT / "data" / "contacts.toml").read_bytes())
        registry.chmod(0o644)
        env = {"KVLOOKUP_REGISTRY": str(registry), "KVLOOKUP_NO_CACHE": "1"}
        assert run(*ADD, env=env).exit_code == 0  # root makes the lock file
        assert registry.with_name("contacts.toml.lock").stat().st_uid == 0
        os.seteuid(65534)  # nobody
        try:
            result = run("set", "anna", "title", "suunnittelija", env=env)
        finally:
            os.seteuid(0)
        assert result.exit_code == 0, result.stderr
        people = tomllib.loads(registry.read_text(encoding="utf-8"))["people"]
        assert people["anna"]["title"] == "suunnittelija"
        assert registry.stat().st_uid == 65534
    finally:
        for path in shared.iterdir():
            path.unlink()
        shared.rmdir()


# Each worker (processes.ADD_WORKER) is its own process making 20 separate 'kvlookup add'
# calls under the lock filelock uses where fcntl is missing (a marker file).


def test_four_processes_without_fcntl_lose_nothing(registry_path: Path) -> None:
    assert run_adders(registry_path, NO_FCNTL, KVLOOKUP_NO_CACHE="1") == ADDED
