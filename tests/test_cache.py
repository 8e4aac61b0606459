"""The search cache: same answers as without it, rebuilt when stale or corrupt."""

from __future__ import annotations

import json
import os
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

from kvlookup.search import ranking
from kvlookup.search.index import MemoryIndex
from kvlookup.sources import cache, opening

from .conftest import DATA, Invoke, cache_dir


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the cache: on even when the suite runs with it off."""
    monkeypatch.delenv(cache.ENV_OFF, raising=False)


def _cache_files(tmp_path: Path) -> list[Path]:
    return sorted(cache_dir(tmp_path).glob("*.sqlite"))


def _env(tmp_path: Path) -> dict[str, str]:
    return {cache.ENV_DIR: str(cache_dir(tmp_path))}


def test_first_run_writes_cache_second_reads_it(registry_path: Path, tmp_path: Path) -> None:
    reg1, index1 = opening.open_registry(registry_path, _env(tmp_path))
    assert isinstance(index1, MemoryIndex)
    assert len(_cache_files(tmp_path)) == 1
    reg2, index2 = opening.open_registry(registry_path, _env(tmp_path))
    assert isinstance(index2, cache.CachedIndex)
    assert dict(reg2.people) == dict(reg1.people)
    assert dict(reg2.entries) == dict(reg1.entries)
    assert list(reg2.entries) == list(reg1.entries)
    assert reg2.organisation == reg1.organisation


def _all_queries() -> list[str]:
    out: list[str] = []
    for name in ("queries.toml", "more_queries.toml"):
        with (DATA / name).open("rb") as fh:
            out += [c["query"] for c in tomllib.load(fh)["case"]]
    return out


def test_cache_never_changes_an_answer(registry_path: Path, tmp_path: Path) -> None:
    fresh_reg, fresh_index = opening.open_registry(registry_path, {cache.ENV_OFF: "1"})
    opening.open_registry(registry_path, _env(tmp_path))
    cached_reg, cached_index = opening.open_registry(registry_path, _env(tmp_path))
    assert isinstance(cached_index, cache.CachedIndex)
    for query in _all_queries():
        a = ranking.lookup(fresh_reg, query, index=fresh_index)
        b = ranking.lookup(cached_reg, query, index=cached_index)
        assert a == b, query


@pytest.mark.parametrize("damage", [b"garbage", b"", b"SQLite format 3\x00" + b"\xff" * 200])
def test_corrupt_cache_is_rebuilt_silently(
    run: Invoke, registry_path: Path, tmp_path: Path, damage: bytes
) -> None:
    assert run("who", "FEDARENE").exit_code == 0
    [file] = _cache_files(tmp_path)
    file.write_bytes(damage)
    result = run("who", "FEDARENE", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout)["matches"][0]["id"] == "fedarene"
    _, index = opening.open_registry(registry_path, _env(tmp_path))
    assert isinstance(index, cache.CachedIndex)  # the rebuilt cache is good again


def test_editing_the_registry_invalidates_the_cache(
    run: Invoke, registry_path: Path, tmp_path: Path
) -> None:
    assert run("who", "zorro").exit_code == 1
    text = registry_path.read_text(encoding="utf-8")
    registry_path.write_text(text + '\n[people.z]\nname = "Zeta Zorro"\n', encoding="utf-8")
    result = run("who", "zorro", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["matches"][0]["id"] == "z"


def test_same_size_and_mtime_but_other_bytes_is_stale(registry_path: Path, tmp_path: Path) -> None:
    opening.open_registry(registry_path, _env(tmp_path))
    st = registry_path.stat()
    text = registry_path.read_text(encoding="utf-8").replace("Koponen", "Kopomen")
    registry_path.write_text(text, encoding="utf-8")
    os.utime(registry_path, ns=(st.st_atime_ns, st.st_mtime_ns))
    reg, index = opening.open_registry(registry_path, _env(tmp_path))
    assert isinstance(index, MemoryIndex)
    assert reg.people["hannu-koponen"].name == "Hannu Kopomen"


def test_invalid_registry_is_never_cached(run: Invoke, registry_path: Path, tmp_path: Path) -> None:
    registry_path.write_text('[topics.t]\nname = "T"\ncontacts = ["ghost"]\n', encoding="utf-8")
    assert run("who", "T").exit_code == 3
    assert run("who", "T").exit_code == 3
    assert _cache_files(tmp_path) == []


def test_unwritable_cache_folder_only_costs_speed(run: Invoke, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run("who", "FEDARENE", env={cache.ENV_DIR: str(blocker / "cache")})
    assert result.exit_code == 0
    assert result.stderr == ""


def test_no_cache_switch(run: Invoke, tmp_path: Path) -> None:
    assert run("who", "FEDARENE", env={cache.ENV_OFF: "1"}).exit_code == 0
    assert _cache_files(tmp_path) == []


def test_warm_run_reads_only_what_it_needs(registry_path: Path, tmp_path: Path) -> None:
    opening.open_registry(registry_path, _env(tmp_path))
    reg, index = opening.open_registry(registry_path, _env(tmp_path))
    outcome = ranking.lookup(reg, "ERRIN", index=index)
    assert [c.person.id for c in outcome.matches[0].contacts] == ["hannu-koponen"]
    items: Any = reg.entries
    assert items._all is None  # looked up by id, never loaded whole


def test_small_blocks_answer_like_memory(
    registry_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With many cache blocks, every lookup crosses block edges: still the same answers."""
    monkeypatch.setattr(cache, "BLOCK", 3)
    fresh_reg, fresh = opening.open_registry(registry_path, {cache.ENV_OFF: "1"})
    opening.open_registry(registry_path, _env(tmp_path))
    cached_reg, cached = opening.open_registry(registry_path, _env(tmp_path))
    assert isinstance(fresh, MemoryIndex) and isinstance(cached, cache.CachedIndex)
    words = fresh.sorted_words()
    edges = {"", "zzz", "0", "\u00e9", "\U0010ffff"}  # and past the last block
    for prefix in sorted({w[:n] for w in words for n in (1, 2, 3)} | edges):
        assert list(cached.prefixed(prefix)) == list(fresh.prefixed(prefix)), prefix
    for word in [*words, "a", "zzzz", "nonexistent"]:
        assert list(cached.postings(word)) == list(fresh.postings(word)), word
    for query in _all_queries():
        assert ranking.lookup(fresh_reg, query, index=fresh) == ranking.lookup(
            cached_reg, query, index=cached
        ), query


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fast path is Linux-only")
@pytest.mark.parametrize(
    "env",
    [
        {"HOME": "/home/anna"},
        {"HOME": "/home/anna/", "XDG_CACHE_HOME": "/var/tmp/xdg"},
        {"HOME": "/home/anna", "XDG_CACHE_HOME": "relative/xdg"},  # platformdirs decides
        {"HOME": "/home/anna", "XDG_CACHE_HOME": ""},
        {"HOME": "/home/anna", "XDG_CACHE_HOME": "  "},  # platformdirs decides
        {"HOME": "/home/anna", "XDG_CACHE_HOME": "~/cache"},  # not absolute: platformdirs
        {"HOME": "/"},
        {"HOME": "relative-home"},  # platformdirs decides
        {},  # no HOME: platformdirs decides
    ],
)
def test_user_cache_dir_is_platformdirs_answer(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Linux shortcut names the folder platformdirs names, whatever its version."""
    import platformdirs

    for var in ("HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    expected = Path(platformdirs.user_cache_dir("kvlookup", appauthor=False))
    assert cache.user_cache_dir(os.environ) == expected


def test_default_cache_folder_is_the_user_cache(
    registry_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.ENV_DIR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    opening.open_registry(registry_path, os.environ)
    assert len(list((tmp_path / "xdg" / "kvlookup").glob("*.sqlite"))) == 1


def _old_format_cache(path: Path, registry: str) -> None:
    """A cache file as an older kvlookup left it: another format, the same meta rows."""
    import sqlite3

    meta = cache.Key(registry, 1, 1, "0" * 32).as_meta() | {"format": "4"}
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT)")
    conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    conn.commit()
    conn.close()
    path.chmod(0o600)  # as kvlookup writes them (mkstemp)


def test_a_new_cache_prunes_caches_nobody_can_use(registry_path: Path, tmp_path: Path) -> None:
    folder = cache_dir(tmp_path)
    folder.mkdir(mode=0o700)  # as kvlookup makes it: others cannot write to it
    other = tmp_path / "other.toml"
    other.write_bytes(registry_path.read_bytes())
    opening.open_registry(other, _env(tmp_path))  # a current cache of a registry that exists
    [kept] = _cache_files(tmp_path)
    old_format = folder / ("a" * 32 + ".sqlite")
    _old_format_cache(old_format, str(registry_path))
    gone = tmp_path / "gone.toml"
    gone.write_bytes(registry_path.read_bytes())
    opening.open_registry(gone, _env(tmp_path))
    gone.unlink()  # its cache now serves nothing
    corrupt = folder / ("b" * 32 + ".sqlite")  # not provably a kvlookup cache: kept
    corrupt.write_bytes(b"not a database")
    foreign = folder / "notes.sqlite"  # not named as kvlookup names caches: never touched
    foreign.write_bytes(b"someone else's")
    abandoned = folder / ".build-x1.sqlite"
    abandoned.write_bytes(b"")
    abandoned.chmod(0o600)  # as mkstemp makes it
    os.utime(abandoned, (0, 0))
    in_progress = folder / ".build-x2.sqlite"
    in_progress.write_bytes(b"")

    opening.open_registry(registry_path, _env(tmp_path))  # a miss: writes, then prunes

    key = cache.key_of_file(registry_path)
    assert key is not None
    mine = cache.file_for(folder, key)
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted([kept.name, mine.name, corrupt.name, foreign.name, in_progress.name]), (
        "old format, vanished registry and abandoned files are removed"
    )


def test_warm_runs_do_not_prune(registry_path: Path, tmp_path: Path) -> None:
    opening.open_registry(registry_path, _env(tmp_path))
    stale = cache_dir(tmp_path) / ("c" * 32 + ".sqlite")
    _old_format_cache(stale, str(registry_path))
    _, index = opening.open_registry(registry_path, _env(tmp_path))
    assert isinstance(index, cache.CachedIndex)
    assert stale.exists()


def test_relative_cache_folder(
    run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for _ in range(2):  # the second run reads the cache the first one wrote
        result = run("who", "FEDARENE", env={cache.ENV_DIR: "rel-cache"})
        assert result.exit_code == 0, result.stderr
    assert list((tmp_path / "rel-cache").glob("*.sqlite"))


def test_no_cache_zero_means_on(run: Invoke, tmp_path: Path) -> None:
    assert run("who", "FEDARENE", env={cache.ENV_OFF: "0"}).exit_code == 0
    assert list(cache_dir(tmp_path).glob("*.sqlite"))


# --- a warm run checks stat data, and hashes only a racily clean file ---------------------


def _hashes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every time the registry's bytes are hashed to validate a cache."""
    calls: list[Path] = []
    real = cache.key_of_file

    def counting(path: Path) -> cache.Key | None:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(cache, "key_of_file", counting)
    return calls


def test_a_warm_run_does_not_hash_a_file_changed_long_before_its_cache(
    registry_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    day_ago = time.time_ns() - 86_400 * 10**9
    os.utime(registry_path, ns=(day_ago, day_ago))
    opening.open_registry(registry_path, _env(tmp_path))
    hashed = _hashes(monkeypatch)
    _, index = opening.open_registry(registry_path, _env(tmp_path))
    assert isinstance(index, cache.CachedIndex)
    assert hashed == []


def test_a_racily_clean_file_is_hashed_and_a_change_found(
    registry_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Written "now", as the cache is: the same tick could hide a change, so bytes decide.
    opening.open_registry(registry_path, _env(tmp_path))
    hashed = _hashes(monkeypatch)
    _, index = opening.open_registry(registry_path, _env(tmp_path))
    assert isinstance(index, cache.CachedIndex)
    assert hashed == [registry_path]


def test_a_rewrite_with_the_same_size_and_time_is_seen_by_its_change_time(
    registry_path: Path, tmp_path: Path
) -> None:
    day_ago = time.time_ns() - 86_400 * 10**9
    os.utime(registry_path, ns=(day_ago, day_ago))
    opening.open_registry(registry_path, _env(tmp_path))
    text = registry_path.read_text(encoding="utf-8").replace("Koponen", "Kopomen")
    registry_path.write_text(text, encoding="utf-8")
    os.utime(registry_path, ns=(day_ago, day_ago))  # size and mtime as before; ctime is not
    reg, index = opening.open_registry(registry_path, _env(tmp_path))
    assert isinstance(index, MemoryIndex)
    assert reg.people["hannu-koponen"].name == "Hannu Kopomen"
