"""Open a registry for lookups: from the cache when it is fresh, else parse, index and cache."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from kvlookup import collector
from kvlookup.errors import ConflictError
from kvlookup.models import Registry
from kvlookup.search import text
from kvlookup.search.index import MemoryIndex, Vocabulary
from kvlookup.sources import cache


def open_registry(path: Path, environ: Mapping[str, str]) -> tuple[Registry, Vocabulary]:
    """The validated registry at path and its search index; RegistryError when invalid."""
    folder = cache.directory(environ)
    # Only a regular file can be hashed and then read again: a pipe (-r /dev/stdin) would
    # be empty the second time.
    # Stat data, not a hash of the file: a warm run at 100k entries would otherwise read
    # and hash 27 MB every time (cache.Key says when the bytes are hashed after all).
    if folder and path.is_file() and (key := cache.stat_key(path)):
        # Should the cache prove damaged part-way through a lookup, the registry is built
        # from the file instead, and the cache rewritten.
        hit = cache.load(cache.file_for(folder, key), key, lambda: _build(path, folder, key))
        if hit is not None:
            return hit
    return _build(path, folder)


def _build(
    path: Path, folder: Path | None, expected: cache.Key | None = None
) -> tuple[Registry, MemoryIndex]:
    """Parse, validate and index the registry file, and cache the result when folder is set.

    expected: the key of a cache already in use, whose item numbers this index must share;
    ConflictError when the file has changed since.
    """
    # Imported here: a warm lookup answers from the cache and never reads the file.
    from kvlookup.sources import registry

    data = registry.read_bytes(path)
    # The bytes actually parsed decide what a new cache is valid for, even if the file
    # changed since it was hashed above.
    key = cache.key_for(path, data) if folder and path.is_file() else None
    if expected is not None and (key is None or not key.same_file(expected)):
        raise ConflictError("registry.changed_while_read", path=path)
    with collector.paused():
        source = registry.decode(data, path)
        # The bytes and then the text are dropped as soon as they have served: at 100k
        # entries with long names each is tens of MB beside the parsed data.
        del data
        # Validation (duplicate aliases) splits every name and alias into words, and the
        # index needs them again: a memo, which the index empties as it goes, so the split
        # words never coexist with the whole vocabulary.
        words: dict[str, tuple[str, ...]] = {}

        def split_once(label: str) -> tuple[str, ...]:
            found = words[label] = text.tokens(label)
            return found

        def split_again(label: str) -> tuple[str, ...]:
            found = words.pop(label, None)
            return text.tokens(label) if found is None else found

        loaded = registry.build(registry.parse(source, path), path, source, split_once)
        del source
        index = MemoryIndex.build(loaded, split_again)
        words.clear()
        if folder and key:
            cache.store(cache.file_for(folder, key), key, loaded, index)
    return loaded, index
