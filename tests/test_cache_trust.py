"""The cache is believed only when this user wrote it, pruned only when provably kvlookup's,
and never needed: damage found at any page, or no home folder, still gives the right answer."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from kvlookup.errors import ConflictError
from kvlookup.search.index import MemoryIndex
from kvlookup.sources import cache, opening

from .conftest import Invoke, cache_dir

REAL_PHONE = "+358 40 5950009"
PLANTED_PHONE = "+358 40 1111111"
OTHER_UID = 54321

needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="making a file another user owns needs root (CI runs as root)",
)
posix_only = pytest.mark.skipif(
    not hasattr(os, "geteuid"), reason="Windows has no owners or group bits to check"
)


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the cache: on even when the suite runs with it off."""
    monkeypatch.delenv(cache.ENV_OFF, raising=False)


def _warm(run: Invoke, tmp_path: Path) -> Path:
    """Run one lookup so that the registry's cache exists; its file."""
    assert run("who", "FEDARENE").exit_code == 0
    [file] = cache_dir(tmp_path).glob("*.sqlite")
    return file


def _plant(file: Path) -> None:
    """Rewrite the cache so that it answers with another phone number (meta left valid)."""
    conn = sqlite3.connect(file)
    conn.execute("UPDATE items SET body = replace(body, ?, ?)", (REAL_PHONE, PLANTED_PHONE))
    conn.commit()
    conn.close()


def _phone(run: Invoke) -> str:
    result = run("who", "FEDARENE", "--format", "json")
    assert result.exit_code == 0, result.stderr
    phone: str = json.loads(result.stdout)["matches"][0]["contacts"][0]["phone"]
    return phone


def test_planting_works_on_a_cache_this_user_owns(run: Invoke, tmp_path: Path) -> None:
    """The control: the other tests' planted cache would be believed if trusted."""
    _plant(_warm(run, tmp_path))
    assert _phone(run) == PLANTED_PHONE


@needs_root
def test_a_cache_another_user_owns_is_neither_read_nor_replaced(
    run: Invoke, tmp_path: Path
) -> None:
    file = _warm(run, tmp_path)
    _plant(file)
    os.chown(file, OTHER_UID, OTHER_UID)
    planted = file.read_bytes()
    assert _phone(run) == REAL_PHONE
    assert file.stat().st_uid == OTHER_UID
    assert file.read_bytes() == planted, "another user's file is never deleted or replaced"


@posix_only
@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666], ids=oct)
def test_a_cache_others_can_write_is_not_read(run: Invoke, tmp_path: Path, mode: int) -> None:
    file = _warm(run, tmp_path)
    _plant(file)
    file.chmod(mode)
    assert _phone(run) == REAL_PHONE
    assert file.exists()


@posix_only
@pytest.mark.parametrize("mode", [0o770, 0o707, 0o1777], ids=oct)
def test_a_cache_folder_others_can_write_is_not_used(
    run: Invoke, tmp_path: Path, mode: int
) -> None:
    file = _warm(run, tmp_path)
    _plant(file)
    file.parent.chmod(mode)
    before = file.read_bytes()
    assert _phone(run) == REAL_PHONE
    assert file.read_bytes() == before, "nothing is written into a folder others can change"


@posix_only
def test_a_new_cache_folder_is_private(run: Invoke, tmp_path: Path) -> None:
    old = os.umask(0o002)  # a user-private-group system's umask
    try:
        file = _warm(run, tmp_path)
    finally:
        os.umask(old)
    assert file.parent.stat().st_mode & 0o777 == 0o700
    _plant(file)
    assert _phone(run) == PLANTED_PHONE  # and so its caches are used


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges there")
def test_a_cache_that_is_a_link_is_not_followed(run: Invoke, tmp_path: Path) -> None:
    file = _warm(run, tmp_path)
    elsewhere = tmp_path / "planted.sqlite"
    file.rename(elsewhere)
    _plant(elsewhere)
    file.symlink_to(elsewhere)
    assert _phone(run) == REAL_PHONE
    assert file.is_symlink(), "someone else's link is left alone"


# --- pruning ----------------------------------------------------------------------------


def _kvlookup_cache_of(folder: Path, registry: Path, name: str) -> Path:
    """A cache file this kvlookup wrote for registry, renamed to name."""
    opening.open_registry(registry, {cache.ENV_DIR: str(folder)})
    key = cache.key_of_file(registry)
    assert key is not None
    path = folder / name
    cache.file_for(folder, key).rename(path)
    return path


def test_pruning_leaves_what_it_cannot_prove_kvlookup_made(
    registry_path: Path, tmp_path: Path
) -> None:
    folder = cache_dir(tmp_path)
    gone = tmp_path / "gone.toml"
    gone.write_bytes(registry_path.read_bytes())
    ours = _kvlookup_cache_of(folder, gone, "a" * 32 + ".sqlite")
    not_a_database = folder / ("b" * 32 + ".sqlite")
    not_a_database.write_bytes(b"someone's notes")
    not_a_database.chmod(0o600)
    other_database = folder / ("c" * 32 + ".sqlite")
    conn = sqlite3.connect(other_database)
    conn.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT)")
    conn.execute("INSERT INTO meta VALUES ('path', ?)", (str(gone),))
    conn.commit()
    conn.close()
    other_database.chmod(0o600)
    gone.unlink()  # every cache above now serves a registry that no longer exists

    opening.open_registry(registry_path, {cache.ENV_DIR: str(folder)})  # a miss: prunes

    assert not ours.exists(), "kvlookup's own cache of a vanished registry is removed"
    assert not_a_database.exists()
    assert other_database.exists(), "a database without kvlookup's meta rows is not ours"


@needs_root
def test_pruning_leaves_another_users_files(registry_path: Path, tmp_path: Path) -> None:
    folder = cache_dir(tmp_path)
    gone = tmp_path / "gone.toml"
    gone.write_bytes(registry_path.read_bytes())
    theirs = _kvlookup_cache_of(folder, gone, "d" * 32 + ".sqlite")
    os.chown(theirs, OTHER_UID, OTHER_UID)
    build = folder / ".build-theirs.sqlite"
    build.write_bytes(b"")
    build.chmod(0o600)
    os.chown(build, OTHER_UID, OTHER_UID)
    os.utime(build, (0, 0))
    gone.unlink()

    opening.open_registry(registry_path, {cache.ENV_DIR: str(folder)})

    assert theirs.exists()
    assert build.exists()


# --- damage found late ------------------------------------------------------------------


def _damage(file: Path, first_page: int, last_page: int | None = None) -> None:
    """Overwrite pages first_page..last_page (1-based; default: to the end) with garbage."""
    data = bytearray(file.read_bytes())
    size = int.from_bytes(data[16:18], "big")  # the page size, from the file's header
    count = len(data) // size
    for page in range(first_page, min(last_page or count, count) + 1):
        data[(page - 1) * size : page * size] = b"\xab" * size
    file.write_bytes(bytes(data))


COMMANDS = [
    ["list"],
    ["who", "FEDARENE", "--format", "json"],
    ["who", "koulutusvienti"],
    ["who", "fedarnee"],  # a typo: the prefix walk over the vocabulary
    ["show", "hannu-koponen"],
    ["whois", "Hannu Koponen"],
    ["export", "--format", "json"],
    ["export", "--format", "vcard"],
]


@pytest.mark.parametrize("pages", [(5, 9), (3, None)], ids=["pages 5-9", "all but meta"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_damaged_pages_found_by_a_later_query_rebuild_the_cache(
    run: Invoke, tmp_path: Path, args: list[str], pages: tuple[int, int | None]
) -> None:
    expected = run(*args, env={cache.ENV_OFF: "1"})
    assert expected.exit_code == 0
    file = _warm(run, tmp_path)
    _damage(file, *pages)
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected.stdout
    assert result.stderr == expected.stderr
    assert run(*args).stdout == expected.stdout  # the rebuilt cache answers the same


def test_a_rebuilt_cache_is_used_again(run: Invoke, registry_path: Path, tmp_path: Path) -> None:
    _damage(_warm(run, tmp_path), 3)
    assert run("list").exit_code == 0
    reg, index = opening.open_registry(registry_path, {cache.ENV_DIR: str(cache_dir(tmp_path))})
    assert isinstance(index, cache.CachedIndex)
    assert len(list(reg.entries)) == len(reg.entries) > 0


def _cached(registry_path: Path, tmp_path: Path) -> tuple[object, cache.CachedIndex]:
    env = {cache.ENV_DIR: str(cache_dir(tmp_path))}
    opening.open_registry(registry_path, env)
    reg, index = opening.open_registry(registry_path, env)
    assert isinstance(index, cache.CachedIndex)
    return reg, index


def _break(index: cache.CachedIndex) -> None:
    """Make every later SQLite call fail, as a page damaged further on would."""
    conn = index._db.conn
    assert conn is not None
    conn.close()  # sqlite3.ProgrammingError from now on: an sqlite3.Error like the rest


def test_damage_in_the_middle_of_a_vocabulary_walk(
    registry_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "BLOCK", 3)  # many blocks: the walk reads several
    fresh = MemoryIndex.build(opening.open_registry(registry_path, {cache.ENV_OFF: "1"})[0])
    _, index = _cached(registry_path, tmp_path)
    walk = index.prefixed("")
    first = [next(walk) for _ in range(5)]
    _break(index)
    assert first + list(walk) == list(fresh.prefixed(""))
    assert list(index.postings("fedarene")) == list(fresh.postings("fedarene"))


def test_damage_after_some_items_were_read(registry_path: Path, tmp_path: Path) -> None:
    fresh = opening.open_registry(registry_path, {cache.ENV_OFF: "1"})[0]
    reg, index = _cached(registry_path, tmp_path)
    people = reg.people  # type: ignore[attr-defined]
    assert people["hannu-koponen"] == fresh.people["hannu-koponen"]
    _break(index)
    assert dict(people) == dict(fresh.people)
    assert len(reg.entries) == len(fresh.entries)  # type: ignore[attr-defined]
    assert "nobody" not in people


def test_damage_while_the_registry_changed_asks_to_run_again(
    registry_path: Path, tmp_path: Path
) -> None:
    reg, index = _cached(registry_path, tmp_path)
    registry_path.write_text(
        registry_path.read_text(encoding="utf-8") + '\n[people.z]\nname = "Zeta"\n',
        encoding="utf-8",
    )
    _break(index)
    with pytest.raises(ConflictError):
        reg.people["hannu-koponen"]  # type: ignore[attr-defined]


# --- no home folder ---------------------------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="platformdirs' XDG rules")
def test_no_home_folder_runs_without_a_cache(
    run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pwd

    def no_entry(uid: int) -> pwd.struct_passwd:
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    for var in ("HOME", "XDG_CACHE_HOME", cache.ENV_DIR):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    monkeypatch.chdir(tmp_path)
    assert cache.directory(os.environ) is None
    for _ in range(2):
        result = run("who", "FEDARENE", "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["matches"][0]["id"] == "fedarene"
    assert not any(tmp_path.rglob("*.sqlite")), "no cache in a '~' folder of the working dir"
