"""Keep a validated registry and its search index in an SQLite file in the user cache."""

import contextlib
import json
import os
import re
import sqlite3
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

from kvlookup import __version__
from kvlookup.index import Alias, MemoryIndex, Posting, alias_of, unflatten
from kvlookup.models import Absence, Entry, EntryKind, Person, Registry

try:
    # CPython's own BLAKE2 module: importing hashlib first loads OpenSSL, which costs 1.6 ms
    # of every start (bench/README.md). It is the same function as hashlib.blake2b.
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b

# Bump when the layout, the encoding or the index algorithm changes: an old cache is then
# simply rebuilt.
FORMAT = "7"
ENV_DIR = "KVLOOKUP_CACHE_DIR"
ENV_OFF = "KVLOOKUP_NO_CACHE"


class Key(NamedTuple):
    """What a cache is valid for: one registry file, byte for byte."""

    path: str
    size: int
    mtime_ns: int
    digest: str

    def as_meta(self) -> dict[str, str]:
        """The key as meta-table rows."""
        return {
            "format": FORMAT,
            # A new kvlookup may fold, stem or validate differently: its caches start anew.
            "version": __version__,
            "path": self.path,
            "size": str(self.size),
            "mtime_ns": str(self.mtime_ns),
            "digest": self.digest,
        }


def key_for(path: Path, data: bytes) -> Key:
    """The cache key of a registry file whose bytes are data."""
    st = path.stat()
    return Key(str(path.resolve()), st.st_size, st.st_mtime_ns, blake2b(data).hexdigest())


def key_of_file(path: Path) -> Key | None:
    """The cache key of a registry file, hashed in chunks; None when it cannot be read."""
    # Streaming the hash keeps a warm run's memory flat whatever the registry's size.
    try:
        with path.open("rb") as fh:
            st = os.fstat(fh.fileno())
            hasher = blake2b()
            while chunk := fh.read(1 << 20):
                hasher.update(chunk)
            digest = hasher.hexdigest()
    except OSError:
        return None
    return Key(str(path.resolve()), st.st_size, st.st_mtime_ns, digest)


def directory(environ: Mapping[str, str]) -> Path | None:
    """Where caches live ($KVLOOKUP_CACHE_DIR, else the platform's user cache); None if off."""
    if environ.get(ENV_OFF, "") not in ("", "0"):
        return None
    if environ.get(ENV_DIR):
        # Absolute: SQLite opens the cache by URI, and a relative path has none.
        return Path(environ[ENV_DIR]).absolute()
    return user_cache_dir(environ)


def user_cache_dir(environ: Mapping[str, str]) -> Path:
    """platformdirs.user_cache_dir("kvlookup"); on Linux worked out without importing it."""
    # Importing platformdirs costs 2.5 ms (it loads tempfile and random): a sixth of what a
    # warm 'who' spends on top of Python and Typer. On Linux every platformdirs version
    # answers $XDG_CACHE_HOME/kvlookup when that is absolute, and ~/.cache/kvlookup when it
    # is unset and HOME is absolute. Anything else (a relative XDG_CACHE_HOME, which newer
    # versions ignore and older ones used, no HOME, another system) still asks platformdirs.
    # tests/test_cache.py checks that both agree.
    if sys.platform == "linux":
        xdg, home = environ.get("XDG_CACHE_HOME", ""), environ.get("HOME", "")
        if os.path.isabs(xdg):
            return Path(xdg, "kvlookup")
        if not xdg and os.path.isabs(home):
            return Path(home, ".cache", "kvlookup")
    import platformdirs

    return Path(platformdirs.user_cache_dir("kvlookup", appauthor=False))


def file_for(folder: Path, key: Key) -> Path:
    """The cache file of one registry path (each registry keeps one cache, replaced on change)."""
    return folder / f"{blake2b(key.path.encode(), digest_size=16).hexdigest()}.sqlite"


# --- reading -------------------------------------------------------------------------


def load(cache_file: Path, key: Key) -> "tuple[Registry, CachedIndex] | None":
    """The cached registry and index when the cache matches key; None when absent or stale."""
    if not cache_file.is_file():
        return None
    try:
        conn, meta = _open(cache_file)
        if any(meta.get(k) != v for k, v in key.as_meta().items()):
            conn.close()
            return None
        registry = Registry(
            Path(key.path),
            _Items(conn, person=True),
            _Items(conn, person=False),
            meta.get("organisation", ""),
        )
        return registry, CachedIndex(conn)
    except (sqlite3.Error, ValueError):
        # A corrupt or foreign file: rebuild it, as if it were not there.
        return None


def _open(cache_file: Path) -> tuple[sqlite3.Connection, dict[str, str]]:
    """A read-only connection to a cache file and its meta rows; sqlite3.Error when corrupt."""
    conn = sqlite3.connect(f"{cache_file.as_uri()}?mode=ro", uri=True)
    try:
        return conn, dict(conn.execute("SELECT k, v FROM meta").fetchall())
    except sqlite3.Error:
        conn.close()
        raise


T = TypeVar("T", Person, Entry)


class _Items(Mapping[str, T], Generic[T]):
    """People or entries read from the cache on demand."""

    def __init__(self, conn: sqlite3.Connection, *, person: bool) -> None:
        self._conn = conn
        self._person = person
        self._memo: dict[str, T] = {}
        self._all: list[str] | None = None

    def _where(self) -> str:
        return "kind = 'person'" if self._person else "kind != 'person'"

    def __getitem__(self, item_id: str) -> T:
        found = self._memo.get(item_id)
        if found is not None:
            return found
        row = self._conn.execute(
            f"SELECT kind, body FROM items WHERE id = ? AND {self._where()}", (item_id,)
        ).fetchone()
        if row is None:
            raise KeyError(item_id)
        item: T = _decode(item_id, row[0], row[1])  # type: ignore[assignment]
        self._memo[item_id] = item
        return item

    def __iter__(self) -> Iterator[str]:
        if self._all is None:
            rows = self._conn.execute(
                f"SELECT id, kind, body FROM items WHERE {self._where()} ORDER BY seq"
            ).fetchall()
            for item_id, kind, body in rows:
                if item_id not in self._memo:
                    self._memo[item_id] = _decode(item_id, kind, body)  # type: ignore[assignment]
            self._all = [r[0] for r in rows]
        return iter(self._all)

    def __len__(self) -> int:
        if self._all is not None:
            return len(self._all)
        return int(
            self._conn.execute(f"SELECT count(*) FROM items WHERE {self._where()}").fetchone()[0]
        )

    def __contains__(self, item_id: object) -> bool:
        try:
            self[item_id]  # type: ignore[index]
        except (KeyError, TypeError):
            return False
        return True


class _Block(NamedTuple):
    """BLOCK sorted vocabulary words with their postings: one cache row."""

    words: list[str]
    offsets: "array[int]"  # postings of words[i] are ints offsets[i]:offsets[i + 1] of flat
    flat: "array[int]"

    @classmethod
    def decode(cls, first: str, words: str, offsets: bytes, flat: bytes) -> "_Block":
        """A block from its row."""
        off = array("I")
        off.frombytes(offsets)
        ints = array("I")
        ints.frombytes(flat)
        return cls(words.split("\n"), off, ints)

    def postings(self, word: str) -> Sequence[Posting]:
        """The postings of word, or none when the block does not hold it."""
        i = bisect_left(self.words, word)
        if i == len(self.words) or self.words[i] != word:
            return ()
        return unflatten(self.flat[self.offsets[i] : self.offsets[i + 1]])


class CachedIndex:
    """The search index, answered by SQLite lookups instead of being loaded whole."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._items: dict[int, Person | Entry] = {}
        self._blocks: dict[str, _Block] = {}

    def _block(self, row: tuple[str, str, bytes, bytes] | None) -> _Block | None:
        if row is None:
            return None
        found = self._blocks.get(row[0])
        if found is None:
            found = self._blocks[row[0]] = _Block.decode(*row)
        return found

    def _block_at(self, word: str) -> _Block | None:
        """The block that holds word if the vocabulary has it (the last starting at or before)."""
        return self._block(
            self._conn.execute(
                "SELECT first, words, offsets, postings FROM blocks WHERE first <= ? "
                "ORDER BY first DESC LIMIT 1",
                (word,),
            ).fetchone()
        ) or self._next_block("")

    def _next_block(self, after: str) -> _Block | None:
        return self._block(
            self._conn.execute(
                "SELECT first, words, offsets, postings FROM blocks WHERE first > ? "
                "ORDER BY first LIMIT 1",
                (after,),
            ).fetchone()
        )

    def postings(self, word: str) -> Sequence[Posting]:
        """Where a vocabulary word occurs."""
        block = self._block_at(word)
        return block.postings(word) if block else ()

    def prefixed(self, prefix: str) -> Iterator[str]:
        """Vocabulary words beginning with prefix, in sorted order."""
        block = self._block_at(prefix)
        start = bisect_left(block.words, prefix) if block else 0
        while block is not None:
            for word in block.words[start:]:
                if not word.startswith(prefix):
                    return
                yield word
            block, start = self._next_block(block.words[0]), 0

    def alias(self, item: int, label: int) -> Alias:
        """Label number `label` of item number `item`."""
        found = self._items.get(item)
        if found is None:
            item_id, kind, body = self._conn.execute(
                "SELECT id, kind, body FROM items WHERE seq = ?", (item,)
            ).fetchone()
            found = self._items[item] = _decode(item_id, kind, body)
        return alias_of(found, label)


# Words per cache row. One row per word made writing a 100k registry's cache cost 0.55 s;
# a block costs one small decode per lookup instead.
BLOCK = 256


def _blocks(index: MemoryIndex) -> Iterator[tuple[str, str, bytes, bytes]]:
    words = index.sorted_words()
    for start in range(0, len(words), BLOCK):
        chunk = words[start : start + BLOCK]
        offsets = array("I", [0])
        flat = array("I")
        for word in chunk:
            flat.extend(index.words[word])
            offsets.append(len(flat))
        yield chunk[0], "\n".join(chunk), offsets.tobytes(), flat.tobytes()


# --- writing -------------------------------------------------------------------------


def store(cache_file: Path, key: Key, registry: Registry, index: MemoryIndex) -> None:
    """Write the cache for key; a failure (read-only home, full disk) only costs speed."""
    with contextlib.suppress(OSError, sqlite3.Error):
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        from kvlookup import safewrite  # only a cache miss writes

        # A private new file, renamed into place: another process may be reading the old
        # file, and a rename never disturbs it. A lost cache only costs speed: no fsync.
        with safewrite.staged(cache_file, prefix=".build-", suffix=".sqlite", durable=False) as tmp:
            _write(tmp, key, registry, index)
        prune(cache_file.parent, keep=cache_file)


# A cache file's name: what file_for makes (older kvlookups made the same shape). A string,
# compiled by the first prune: warm runs never use it.
_NAME = r"[0-9a-f]{32}\.sqlite"
# A build another process may still be writing is left alone for this long.
_ABANDONED_AFTER = 3600.0


def prune(folder: Path, keep: Path) -> None:
    """Delete this folder's caches nobody can use: an older format, or a registry now gone.

    Runs only after a cache miss wrote a new file, so warm runs never pay for it. Only
    files named as kvlookup names them are touched ($KVLOOKUP_CACHE_DIR may be shared),
    and a cache of another registry that still exists is kept.
    """
    import time

    for entry in os.scandir(folder):
        path = Path(entry.path)
        with contextlib.suppress(OSError):
            if entry.name.startswith(".build-") and entry.name.endswith(".sqlite"):
                # Left by a process that died mid-write (a live one finishes in seconds).
                if time.time() - entry.stat().st_mtime > _ABANDONED_AFTER:
                    path.unlink()
            elif re.fullmatch(_NAME, entry.name) and path != keep and not _usable(path):
                path.unlink()


def _usable(cache_file: Path) -> bool:
    """True when this kvlookup could use the cache file: its format, and its registry exists."""
    try:
        conn, meta = _open(cache_file)
        conn.close()
    except (sqlite3.Error, ValueError):
        return False  # corrupt: a lookup would rebuild it anyway
    current = meta.get("format") == FORMAT and meta.get("version") == __version__
    return current and Path(str(meta.get("path", ""))).is_file()


def _write(path: Path, key: Key, registry: Registry, index: MemoryIndex) -> None:
    conn = sqlite3.connect(path)
    try:
        # A half-written cache is never used (it is renamed into place only when complete),
        # so durability settings would only cost time.
        conn.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
            CREATE TABLE blocks (first TEXT PRIMARY KEY, words TEXT, offsets BLOB, postings BLOB);
            CREATE TABLE items (seq INTEGER PRIMARY KEY, id TEXT, kind TEXT, body TEXT);
            """
        )
        conn.executemany("INSERT INTO blocks VALUES (?, ?, ?, ?)", _blocks(index))
        # The index numbers items in this same order (index.items_of), so seq is the number.
        conn.executemany(
            "INSERT INTO items VALUES (?, ?, ?, ?)",
            ((seq, item.id, item.kind, _encode(item)) for seq, item in enumerate(index.items)),
        )
        conn.execute("CREATE UNIQUE INDEX items_id ON items (id)")
        meta = key.as_meta() | {"organisation": registry.organisation}
        conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        conn.commit()
    finally:
        conn.close()


# One encoder for every item: json.dumps with options builds a new encoder per call, which
# costs a third of the encoding time on a 100k registry.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _encode(item: Person | Entry) -> str:
    if isinstance(item, Person):
        away = [[a.start.isoformat(), a.end.isoformat(), a.reason] for a in item.away]
        fields: list[object] = [
            item.name,
            item.title,
            item.title_en,
            item.phone,
            item.email,
            list(item.aliases),
            item.deputy,
            away,
        ]
    else:
        fields = [
            item.name,
            list(item.aliases),
            item.description,
            item.description_en,
            list(item.contacts),
            item.via,
            item.reviewed.isoformat() if item.reviewed else None,
        ]
    # What a merged directory adds (kvlookup.sources), only when there is any: a registry
    # without a directory caches exactly what it did before.
    if item.directory or item.source:
        fields += [item.directory, [list(pair) for pair in item.source]]
    return _ENCODE(fields)


def _decode(item_id: str, kind: str, body: str) -> Person | Entry:
    fields = json.loads(body)
    base = 8 if kind == "person" else 7
    directory, source = fields[base:] if len(fields) > base else ("", ())
    if kind == "person":
        name, title, title_en, phone, email, aliases, deputy, away = fields[:8]
        return Person(
            item_id,
            name,
            title,
            title_en,
            phone,
            email,
            tuple(aliases),
            deputy,
            tuple(Absence(date.fromisoformat(a), date.fromisoformat(b), r) for a, b, r in away),
            directory,
            tuple((f, o) for f, o in source),
        )
    name, aliases, description, description_en, contacts, via, reviewed = fields[:7]
    entry_kind: EntryKind = (
        "topic" if kind == "topic" else "project" if kind == "project" else "network"
    )
    return Entry(
        item_id,
        entry_kind,
        name,
        tuple(aliases),
        description,
        description_en,
        tuple(contacts),
        via,
        date.fromisoformat(reviewed) if reviewed else None,
        directory,
        tuple((f, o) for f, o in source),
    )
