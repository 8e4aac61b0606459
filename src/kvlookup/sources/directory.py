"""Open the registry a lookup uses when a directory is configured: the cached merge, or a new one.

This is the only directory module a lookup imports when a config exists (with synced.py;
config.py only when the config file changed); without a config none is imported
(tests/test_startup.py checks both). The merge itself is imported only when the cache
cannot answer.
Lookups read the synced copy and never the network.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kvlookup.errors import DirectoryError
from kvlookup.sources import cache, opening, synced

if TYPE_CHECKING:
    from kvlookup.sources import config

if TYPE_CHECKING:
    from kvlookup.models import Registry
    from kvlookup.search.index import MemoryIndex, Vocabulary

try:
    from _blake2 import blake2b  # as in cache.py: hashlib would load OpenSSL
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b

# Bump when merge.py merges differently: merged caches made by the old rules are then stale.
MERGE_FORMAT = "1"

# (message key, parameters): what the command should tell the user on stderr.
Notice = tuple[str, dict[str, object]]


class Opened(NamedTuple):
    """What a lookup needs: the registry, its index, and notices for stderr."""

    registry: Registry
    vocabulary: Vocabulary
    notices: list[Notice]


def copy_path(directory: config.Directory, environ: Mapping[str, str]) -> Path:
    """Where the synced copy of this directory lives."""
    return synced.path_for(directory.url, directory.base_dn, environ)


def age_notice(when: datetime, max_age: timedelta, now: datetime | None = None) -> Notice | None:
    """The 'copy is N days old' notice when the copy is older than max_age, else None."""
    age = (now or datetime.now(UTC)) - when
    if age <= max_age:
        return None
    params: dict[str, object] = {"when": when.astimezone().strftime("%Y-%m-%d %H:%M")}
    if age >= timedelta(days=2):
        return "directory.stale_days", params | {"days": age.days}
    return "directory.stale_hours", params | {"hours": int(age.total_seconds() // 3600)}


class Settings(NamedTuple):
    """What a lookup needs from the config: the copy to merge and when it is too old."""

    copy: Path | None  # None: the config names no directory
    max_age: timedelta


def settings(config_file: Path, environ: Mapping[str, str]) -> tuple[Settings, bytes]:
    """The lookup settings of a config file, and its bytes; ConfigError when it is invalid.

    Parsing TOML costs a warm lookup more than the rest of the directory support together
    (tomllib's import, 3 ms), so what a valid config says is memoised beside the synced
    copies, keyed by the file's bytes: an edited config is parsed and checked again.
    """
    try:
        data = config_file.read_bytes()
    except OSError:
        from kvlookup.sources import config

        return _parsed(config.load(config_file), environ), b""  # load() words the error
    folder = synced.folder(environ)
    memo = folder / f"config-{blake2b(data, digest_size=12).hexdigest()}.json"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        doc = json.loads(memo.read_bytes())
        name = str(doc["copy"])
        if not name or synced.is_copy_name(name):  # a bare file name as synced names them
            copy = folder / name if name else None
            return Settings(copy, timedelta(seconds=float(doc["max_age"]))), data
    from kvlookup.sources import config

    found = _parsed(config.parse(data, config_file), environ)
    with contextlib.suppress(OSError):
        # Best effort, and the same bytes parse to the same settings, so two writers agree.
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = memo.with_name(f".{memo.name}.{os.getpid()}")
        tmp.write_text(
            json.dumps(
                {
                    "copy": found.copy.name if found.copy else "",
                    "max_age": found.max_age.total_seconds(),
                }
            ),
            encoding="utf-8",
        )
        os.replace(tmp, memo)
    return found, data


def _parsed(cfg: config.Config, environ: Mapping[str, str]) -> Settings:
    if cfg.directory is None:
        return Settings(None, timedelta())
    return Settings(copy_path(cfg.directory, environ), cfg.directory.max_age)


def open_registry(path: Path, config_file: Path, environ: Mapping[str, str]) -> Opened:
    """The registry at path with the synced directory merged in, from the cache when fresh."""
    found, config_data = settings(config_file, environ)
    copy = found.copy
    if copy is None:
        return Opened(*opening.open_registry(path, environ), [])
    when = synced.synced_at(copy)
    if when is None:
        return Opened(*opening.open_registry(path, environ), [("directory.not_synced_yet", {})])
    notices: list[Notice] = []
    if stale := age_notice(when, found.max_age):
        notices.append(stale)
    folder = cache.directory(environ)
    key = cache_file = None
    if folder and path.is_file() and (registry_key := cache.key_of_file(path)):
        key = _merged_key(registry_key, copy, config_data)
        cache_file = folder / (
            blake2b(f"directory\0{registry_key.path}\0{copy}".encode(), digest_size=16).hexdigest()
            + ".sqlite"
        )
        if key is not None and (
            hit := cache.load(cache_file, key, lambda: _merge(path, environ, copy, config_file))
        ):
            return Opened(*hit, notices)
    try:
        merged, merged_index = _merge(path, environ, copy, config_file)
    except DirectoryError as exc:
        # A copy that cannot be trusted or read is passed over: the registry still answers.
        return Opened(*opening.open_registry(path, environ), [*notices, (exc.key, exc.params)])
    if cache_file is not None and key is not None:
        cache.store(cache_file, key, merged, merged_index)
    return Opened(merged, merged_index, notices)


def _merge(
    path: Path, environ: Mapping[str, str], copy: Path, config_file: Path
) -> tuple[Registry, MemoryIndex]:
    """The registry with the synced copy merged in, and its index; DirectoryError for a bad copy."""
    from kvlookup.search.index import MemoryIndex
    from kvlookup.sources import config, merge

    registry, _ = opening.open_registry(path, environ)
    snapshot = synced.read(copy)
    directory = config.load(config_file).directory
    assert directory is not None  # the settings that found the copy came from this [directory]
    merged = merge.merge(_materialised(registry), snapshot, directory).registry
    return merged, MemoryIndex.build(merged)


def _merged_key(registry_key: cache.Key, copy: Path, config_data: bytes) -> cache.Key | None:
    """The cache key of a merge: the registry's key, with the copy and config in its digest."""
    try:
        st = os.lstat(copy)
    except OSError:
        return None
    # The copy is only ever replaced by a rename, so its size, time and inode identify it
    # without reading it; the config's bytes decide how the merge is done.
    parts = (
        MERGE_FORMAT,
        registry_key.digest,
        f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}",
        blake2b(config_data).hexdigest(),
    )
    digest = blake2b("\0".join(parts).encode()).hexdigest()
    return registry_key._replace(digest=digest)


def _materialised(registry: Registry) -> Registry:
    """A registry whose people and entries are plain dicts (a cached one reads them lazily)."""
    return registry._replace(people=dict(registry.people), entries=dict(registry.entries))
