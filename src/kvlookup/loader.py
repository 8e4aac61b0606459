"""Open a registry for lookups: from the cache when it is fresh, else parse, index and cache."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from kvlookup import cache, registry, text
from kvlookup.index import MemoryIndex, Vocabulary
from kvlookup.models import Registry


@contextmanager
def _no_gc() -> Iterator[None]:
    # Parsing and indexing allocate millions of small acyclic objects; the cyclic collector
    # would rescan them again and again (measured: half the load time of a 100k registry).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def open_registry(path: Path, environ: Mapping[str, str]) -> tuple[Registry, Vocabulary]:
    """The validated registry at path and its search index; RegistryError when invalid."""
    folder = cache.directory(environ)
    # Only a regular file can be hashed and then read again: a pipe (-r /dev/stdin) would
    # be empty the second time.
    if folder and path.is_file() and (key := cache.key_of_file(path)):
        hit = cache.load(cache.file_for(folder, key), key)
        if hit is not None:
            return hit
    data = registry.read_bytes(path)
    # The bytes actually parsed decide what a new cache is valid for, even if the file
    # changed since it was hashed above.
    key = cache.key_for(path, data) if folder and path.is_file() else None
    with _no_gc():
        source = registry.decode(data, path)
        # Validation (duplicate aliases) and indexing both split every alias into words.
        words: dict[str, tuple[str, ...]] = {}

        def tokenise(label: str) -> tuple[str, ...]:
            found = words.get(label)
            if found is None:
                found = words[label] = text.tokens(label)
            return found

        loaded = registry.build(registry.parse(source, path), path, source, tokenise)
        index = MemoryIndex.build(loaded, tokenise)
        words.clear()  # the memo has served; free it before the cache is written
        if folder and key:
            cache.store(cache.file_for(folder, key), key, loaded, index)
    return loaded, index
