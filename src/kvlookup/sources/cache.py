"""Keep a validated registry and its search index in an SQLite file in the user cache."""

import contextlib
import functools
import itertools
import json
import operator
import os
import re
import sqlite3
import stat
import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from kvlookup import __version__, collector, schema
from kvlookup.models import ENTRY_FIELDS, PERSON_FIELDS, Absence, Entry, EntryKind, Person, Registry
from kvlookup.record import Record
from kvlookup.search.index import Alias, MemoryIndex, Posting, alias_of, unflatten

try:
    # CPython's own BLAKE2 module: importing hashlib first loads OpenSSL, which costs 1.6 ms
    # of every start (bench/README.md). It is the same function as hashlib.blake2b.
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b

# Bump when the layout, the encoding or the index algorithm changes: an old cache is then
# simply rebuilt.
FORMAT = "10"
ENV_DIR = "KVLOOKUP_CACHE_DIR"
ENV_OFF = "KVLOOKUP_NO_CACHE"


class Key(Record):
    """What a cache is valid for: one registry file, byte for byte.

    The digest is "" in a key made from the file's stat data alone (stat_key): such a key
    matches a cache whose stat data match, and is confirmed by hashing only when the file
    could have changed within the same timestamp tick ("racily clean", as git calls it).
    """

    __slots__ = ("ctime_ns", "digest", "ino", "mtime_ns", "path", "size")

    def __init__(
        self, path: str, size: int, mtime_ns: int, digest: str, ino: int = 0, ctime_ns: int = 0
    ) -> None:
        self.path = path
        self.size = size
        self.mtime_ns = mtime_ns
        self.digest = digest
        self.ino = ino
        self.ctime_ns = ctime_ns

    def as_meta(self) -> dict[str, str]:
        """The key as meta-table rows."""
        return {
            "format": FORMAT,
            # A new kvlookup may fold, stem or validate differently: its caches start anew.
            "version": __version__,
            "path": self.path,
            "size": str(self.size),
            "mtime_ns": str(self.mtime_ns),
            "ino": str(self.ino),
            "ctime_ns": str(self.ctime_ns),
            "digest": self.digest,
        }

    def same_file(self, other: "Key") -> bool:
        """True when both keys describe the same bytes (by digest, else by stat data)."""
        if self.digest and other.digest:
            return self.digest == other.digest
        return self._replace(digest="") == other._replace(digest="")


def _stat_key(name: str, st: os.stat_result, digest: str = "") -> Key:
    return Key(name, st.st_size, st.st_mtime_ns, digest, st.st_ino, st.st_ctime_ns)


def key_for(path: Path, data: bytes) -> Key | None:
    """The cache key of a registry file whose bytes are data; None when it has none."""
    name = _text_path(path)
    if name is None:
        return None
    return _stat_key(name, path.stat(), blake2b(data).hexdigest())


def stat_key(path: Path) -> Key | None:
    """The cache key of a registry file from its stat data alone (no digest; see Key)."""
    name = _text_path(path)
    if name is None:
        return None
    try:
        return _stat_key(name, path.stat())
    except OSError:
        return None


def key_of_file(path: Path) -> Key | None:
    """The cache key of a registry file, hashed in chunks; None when it cannot be read."""
    name = _text_path(path)
    if name is None:
        return None
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
    return _stat_key(name, st, digest)


# A file modified this close to (or after) the moment its cache was written could have
# changed again within the same timestamp tick without its stat data showing it: some
# filesystems keep modification times to 2 s (FAT) or 1 s. Such a cache is confirmed by
# hashing the file.
RACY_NS = 3_000_000_000


def _matches(meta: Mapping[str, str], key: Key, path: Path) -> bool:
    """True when a cache's meta rows say it was built from the bytes key describes."""
    wanted = key.as_meta()
    if any(meta.get(k) != v for k, v in wanted.items() if k != "digest"):
        return False
    if key.digest:
        return meta.get("digest") == key.digest
    try:
        stamp = int(meta.get("stamp", "0"))
    except ValueError:
        stamp = 0
    if stamp - key.mtime_ns > RACY_NS:
        return True  # stat data match, and the file was last changed well before
    hashed = key_of_file(path)  # racily clean: only the bytes can tell
    return hashed is not None and hashed.same_file(key) and meta.get("digest") == hashed.digest


def _text_path(path: Path) -> str | None:
    """The registry's absolute path as text SQLite can store; None for non-UTF-8 bytes."""
    # A path of bytes that are not UTF-8 arrives with surrogate escapes, which neither the
    # meta table nor the file name hash can hold; such a registry simply runs uncached.
    name = str(path.resolve())
    try:
        name.encode()
    except UnicodeEncodeError:
        return None
    return name


def directory(environ: Mapping[str, str]) -> Path | None:
    """Where caches live ($KVLOOKUP_CACHE_DIR, else the platform's user cache); None if off."""
    if environ.get(ENV_OFF, "") not in ("", "0"):
        return None
    if environ.get(ENV_DIR):
        # Absolute: SQLite opens the cache by URI, and a relative path has none.
        return Path(environ[ENV_DIR]).absolute()
    try:
        folder = user_cache_dir(environ)
    except (RuntimeError, KeyError, OSError):
        # No home folder (HOME unset and a uid without a passwd entry): platformdirs gives
        # up, and since the cache only saves time, lookups run without one.
        return None
    # A relative answer ("~/.cache" unexpanded) would put caches wherever the user stands.
    return folder if folder.is_absolute() else None


def user_cache_dir(environ: Mapping[str, str]) -> Path:
    """platformdirs.user_cache_dir("kvlookup"), cheaply (userdirs.user_dir)."""
    from kvlookup.userdirs import user_dir

    return user_dir("cache", environ)


def file_for(folder: Path, key: Key) -> Path:
    """The cache file of one registry path (each registry keeps one cache, replaced on change)."""
    return folder / f"{blake2b(key.path.encode(), digest_size=16).hexdigest()}.sqlite"


# --- trust ---------------------------------------------------------------------------


def _trusted(st: os.stat_result) -> bool:
    """True when only this user can have written it: theirs, and group and others cannot write.

    Anyone who can read the registry can compute its cache key, so in a folder others can
    write to, a planted cache would answer with their phone numbers: the owner is what
    makes a cache believable.
    """
    if not hasattr(os, "geteuid"):
        # Windows has no uids, and st_mode shows only the read-only flag: there the cache
        # relies on the per-user folder's access control (%LOCALAPPDATA%), unchecked here.
        return True
    return st.st_uid == os.geteuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def trusted_folder(folder: Path) -> bool:
    """True for a cache folder only this user can add files to or replace files in."""
    try:
        st = os.stat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and _trusted(st)


def _trusted_file(cache_file: Path) -> bool:
    """True for a regular file (not a link) that only this user can have written."""
    try:
        st = os.lstat(cache_file)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and _trusted(st)


# --- reading -------------------------------------------------------------------------

# What a damaged cache may raise while a lookup reads it (a page that SQLite finds
# malformed, a body that no longer decodes); any of them means: answer from the registry.
_BROKEN = (sqlite3.Error, ValueError, TypeError, IndexError)

Rebuild = Callable[[], "tuple[Registry, MemoryIndex]"]


def load(cache_file: Path, key: Key, rebuild: Rebuild) -> "tuple[Registry, CachedIndex] | None":
    """The cached registry and index when the cache matches key; None when absent or stale.

    Only a file this user wrote, in a folder only they can write to, is read; anything else
    counts as a miss. Pages are read on demand, so damage can surface in any later query:
    the cached objects then call rebuild and answer from what it returns.
    """
    # Two stats: cheap beside the SQLite open they guard, and with the folder trusted,
    # nobody else can swap the file between this check and the open.
    if not (trusted_folder(cache_file.parent) and _trusted_file(cache_file)):
        return None
    try:
        conn, meta = _open(cache_file)
    except (sqlite3.Error, ValueError):
        # A corrupt or foreign file: rebuild it, as if it were not there.
        return None
    if not _matches(meta, key, Path(key.path)):
        conn.close()
        return None
    db = _Db(conn, rebuild)
    registry = Registry(
        Path(key.path),
        _Items(db, person=True),
        _Items(db, person=False),
        meta.get("organisation", ""),
    )
    return registry, CachedIndex(db)


def _open(cache_file: Path) -> tuple[sqlite3.Connection, dict[str, str]]:
    """A read-only connection to a cache file and its meta rows; sqlite3.Error when corrupt."""
    conn = sqlite3.connect(f"{cache_file.as_uri()}?mode=ro", uri=True)
    try:
        return conn, dict(conn.execute("SELECT k, v FROM meta").fetchall())
    except sqlite3.Error:
        conn.close()
        raise


class _Db:
    """One open cache file, and the registry it stands for once the file proves damaged."""

    def __init__(self, conn: sqlite3.Connection, rebuild: Rebuild) -> None:
        self.conn: sqlite3.Connection | None = conn
        self._rebuild = rebuild
        self._fresh: tuple[Registry, MemoryIndex] | None = None

    def fresh(self) -> "tuple[Registry, MemoryIndex]":
        """The registry and index built from the registry file; the cache is not used again."""
        if self._fresh is None:
            if self.conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.close()
                self.conn = None
            self._fresh = self._rebuild()
        return self._fresh


T = TypeVar("T", Person, Entry)


class _Items(Mapping[str, T], Generic[T]):
    """People or entries read from the cache on demand."""

    def __init__(self, db: _Db, *, person: bool) -> None:
        self._db = db
        self._person = person
        self._memo: dict[str, T] = {}
        self._all: list[str] | None = None

    def _where(self) -> str:
        return "kind = 'person'" if self._person else "kind != 'person'"

    def _fresh(self) -> Mapping[str, T]:
        registry = self._db.fresh()[0]
        return registry.people if self._person else registry.entries  # type: ignore[return-value]

    def __getitem__(self, item_id: str) -> T:
        found = self._memo.get(item_id)
        if found is not None:
            return found
        if self._db.conn is None:
            return self._fresh()[item_id]
        try:
            row = self._db.conn.execute(
                f"SELECT kind, body FROM items WHERE id = ? AND {self._where()}", (item_id,)
            ).fetchone()
        except UnicodeEncodeError:
            raise KeyError(item_id) from None  # not text, so no registry has it
        except _BROKEN:
            return self._fresh()[item_id]
        if row is None:
            raise KeyError(item_id)
        try:
            item: T = _decode(item_id, row[0], row[1])  # type: ignore[assignment]
        except _BROKEN:
            return self._fresh()[item_id]
        self._memo[item_id] = item
        return item

    def __iter__(self) -> Iterator[str]:
        if self._all is None:
            try:
                self._all = self._read_all()
            except _BROKEN:
                self._all = list(self._fresh())
        return iter(self._all)

    def _read_all(self) -> list[str]:
        if self._db.conn is None:
            raise sqlite3.ProgrammingError("the cache was found damaged")
        # Every item at once (list, export): hundreds of thousands of records that live on.
        with collector.paused():
            rows = self._db.conn.execute(
                f"SELECT id, kind, body FROM items WHERE {self._where()} ORDER BY seq"
            ).fetchall()
            decoded = {
                item_id: self._memo.get(item_id) or _decode(item_id, kind, body)
                for item_id, kind, body in rows
            }
            self._memo.update(decoded)
        return [r[0] for r in rows]

    def __len__(self) -> int:
        if self._all is not None:
            return len(self._all)
        try:
            if self._db.conn is not None:
                sql = f"SELECT count(*) FROM items WHERE {self._where()}"
                return int(self._db.conn.execute(sql).fetchone()[0])
        except _BROKEN:
            pass
        return len(self._fresh())

    def __contains__(self, item_id: object) -> bool:
        try:
            self[item_id]  # type: ignore[index]
        except (KeyError, TypeError):
            return False
        return True


class _Block:
    """BLOCK sorted vocabulary words with their postings: one cache row."""

    __slots__ = ("flat", "offsets", "words")  # as cli.Invocation: no NamedTuple

    def __init__(self, words: list[str], offsets: "array[int]", flat: "array[int]") -> None:
        self.words = words
        # postings of words[i] are ints offsets[i]:offsets[i + 1] of flat
        self.offsets = offsets
        self.flat = flat

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

    def __init__(self, db: _Db) -> None:
        self._db = db
        self._items: dict[int, Person | Entry] = {}
        self._blocks: dict[str, _Block] = {}

    def _fresh(self) -> MemoryIndex:
        return self._db.fresh()[1]

    def _row(self, sql: str, arg: object) -> tuple[str, str, bytes, bytes] | None:
        if self._db.conn is None:
            raise sqlite3.ProgrammingError("the cache was found damaged")
        row: tuple[str, str, bytes, bytes] | None = self._db.conn.execute(sql, (arg,)).fetchone()
        return row

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
            self._row(
                "SELECT first, words, offsets, postings FROM blocks WHERE first <= ? "
                "ORDER BY first DESC LIMIT 1",
                word,
            )
        ) or self._next_block("")

    def _next_block(self, after: str) -> _Block | None:
        return self._block(
            self._row(
                "SELECT first, words, offsets, postings FROM blocks WHERE first > ? "
                "ORDER BY first LIMIT 1",
                after,
            )
        )

    def postings(self, word: str) -> Sequence[Posting]:
        """Where a vocabulary word occurs."""
        if self._db.conn is None:
            return self._fresh().postings(word)
        try:
            block = self._block_at(word)
            return block.postings(word) if block else ()
        except UnicodeEncodeError:
            return ()  # not text, so in no vocabulary
        except _BROKEN:
            return self._fresh().postings(word)

    def prefixed(self, prefix: str) -> Iterator[str]:
        """Vocabulary words beginning with prefix, in sorted order."""
        last: str | None = None
        try:
            for word in self._cached_prefixed(prefix):
                yield word
                last = word
        except UnicodeEncodeError:
            return
        except _BROKEN:
            # Damage found part-way: carry on from the rebuilt index after the last word given.
            for word in self._fresh().prefixed(prefix):
                if last is None or word > last:
                    yield word

    def _cached_prefixed(self, prefix: str) -> Iterator[str]:
        conn = self._db.conn
        if conn is None:
            yield from self._fresh().prefixed(prefix)
            return
        # Only the words column, and every block of the range in one query: a typo scan
        # reads all the words of a first letter (4,000 at 100k entries), and reading each
        # block's postings too, one query a block, was most of its time.
        row = conn.execute(
            "SELECT first, words FROM blocks WHERE first <= ? ORDER BY first DESC LIMIT 1",
            (prefix,),
        ).fetchone()
        rows = conn.execute(
            # Every word that begins with prefix sorts below prefix + the last code point.
            "SELECT first, words FROM blocks WHERE first > ? AND first < ? ORDER BY first",
            (row[0] if row else "", prefix + "\U0010ffff"),
        )
        for n, (_, words) in enumerate(itertools.chain([row] if row else [], rows)):
            block = words.split("\n")
            for word in block[bisect_left(block, prefix) if n == 0 else 0 :]:
                if not word.startswith(prefix):
                    return
                yield word

    def alias(self, item: int, label: int) -> Alias:
        """Label number `label` of item number `item`."""
        found = self._items.get(item)
        if found is None:
            if self._db.conn is None:
                return self._fresh().alias(item, label)
            try:
                item_id, kind, body = self._db.conn.execute(
                    "SELECT id, kind, body FROM items WHERE seq = ?", (item,)
                ).fetchone()
                found = _decode(item_id, kind, body)
            except _BROKEN:
                return self._fresh().alias(item, label)
            self._items[item] = found
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
    """Write the cache for key; a failure (read-only home, full disk) only costs speed.

    Only into a folder that load would trust, and never over a file it would not: such a
    file is someone else's, and is left alone.
    """
    with contextlib.suppress(OSError, sqlite3.Error):
        # 0o700: a folder others could write to would never be read from (trusted_folder).
        cache_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not trusted_folder(cache_file.parent):
            return
        if os.path.lexists(cache_file) and not _trusted_file(cache_file):
            return
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
    files kvlookup provably made are touched: named as it names them, this user's, and
    (for caches) opening with the meta rows every kvlookup writes. A cache of another
    registry that still exists is kept.
    """
    import time

    for entry in os.scandir(folder):
        path = Path(entry.path)
        with contextlib.suppress(OSError):
            if entry.name.startswith(".build-") and entry.name.endswith(".sqlite"):
                # Left by a process that died mid-write (a live one finishes in seconds).
                age = time.time() - entry.stat(follow_symlinks=False).st_mtime
                if age > _ABANDONED_AFTER and _trusted_file(path):
                    path.unlink()
            elif re.fullmatch(_NAME, entry.name) and path != keep and _obsolete(path):
                path.unlink()


# The meta rows every kvlookup cache format has written; a file without them is not ours.
_OUR_META = frozenset(Key("", 0, 0, "").as_meta())


def _obsolete(cache_file: Path) -> bool:
    """True for a cache this user's kvlookup made that nobody can use any more."""
    if not _trusted_file(cache_file):
        return False  # another user's, or a link: not ours to delete
    try:
        conn, meta = _open(cache_file)
        conn.close()
    except (sqlite3.Error, ValueError):
        return False  # not provably a kvlookup cache (a lookup replaces its own file)
    if not meta.keys() >= _OUR_META:
        return False
    current = meta["format"] == FORMAT and meta["version"] == __version__
    return not (current and Path(meta["path"]).is_file())


def _write(path: Path, key: Key, registry: Registry, index: MemoryIndex) -> None:
    conn = sqlite3.connect(path)
    try:
        # A half-written cache is never used (it is renamed into place only when complete),
        # so durability settings would only cost time.
        conn.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA locking_mode = EXCLUSIVE;
            PRAGMA temp_store = MEMORY;
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
        # When the cache was made: a registry changed later than shortly before this cannot
        # be told from its stat data alone (RACY_NS).
        meta = key.as_meta() | {
            "organisation": registry.organisation,
            "stamp": str(time.time_ns()),
        }
        conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        conn.commit()
    finally:
        conn.close()


# One encoder for every item: json.dumps with options builds a new encoder per call, which
# costs a third of the encoding time on a 100k registry.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _encode(item: Person | Entry) -> str:
    getter, defaults, converters = _codec(Person if isinstance(item, Person) else Entry)
    values = list(getter(item))
    # Trailing defaults are left out (a decoder fills them in): what a merged directory
    # adds comes last, so a registry without a directory caches no room for it.
    while values and values[-1] == defaults[len(values) - 1]:
        values.pop()
    for i, convert in converters:
        if i < len(values):
            values[i] = convert(values[i])
    return _ENCODE(values)


@functools.cache
def _codec(
    record: type[Person] | type[Entry],
) -> tuple[Callable[[Any], tuple[Any, ...]], tuple[Any, ...], tuple[tuple[int, Any], ...]]:
    """A record type's field getter, defaults, and the converters of the fields that need one."""
    # Worked out once: a first run at 100k entries encodes every item, and per-field
    # lookups were a third of writing the cache.
    fields = PERSON_FIELDS if record is Person else ENTRY_FIELDS
    getter = operator.attrgetter(*(f.name for f in fields))
    converters = tuple((i, _TO_JSON[f.kind]) for i, f in enumerate(fields) if f.kind in _TO_JSON)
    return getter, tuple(f.default for f in fields), converters


def _decode(item_id: str, kind: str, body: str) -> Person | Entry:
    values = json.loads(body)
    fields = PERSON_FIELDS if kind == "person" else ENTRY_FIELDS
    given = {f.name: _FROM_JSON.get(f.kind, _same)(v) for f, v in zip(fields, values, strict=False)}
    if kind == "person":
        return Person(item_id, **given)
    entry_kind: EntryKind = (
        "topic" if kind == "topic" else "project" if kind == "project" else "network"
    )
    return Entry(item_id, entry_kind, **given)


def _same(value: Any) -> Any:
    return value


# How a value of each kind is written as JSON and read back; any other kind is as it is.
_TO_JSON: Mapping[str, Callable[[Any], Any]] = {
    schema.TEXTS: list,
    schema.PEOPLE: list,
    schema.DAY: lambda day: day.isoformat() if day else None,
    schema.ABSENCES: lambda away: [
        [a.start.isoformat(), a.end.isoformat(), a.reason] for a in away
    ],
    schema.ORIGINS: lambda pairs: [list(pair) for pair in pairs],
}
_FROM_JSON: Mapping[str, Callable[[Any], Any]] = {
    schema.TEXTS: tuple,
    schema.PEOPLE: tuple,
    schema.DAY: lambda day: date.fromisoformat(day) if day else None,
    schema.ABSENCES: lambda away: tuple(
        Absence(date.fromisoformat(a), date.fromisoformat(b), r) for a, b, r in away
    ),
    schema.ORIGINS: lambda pairs: tuple((f, o) for f, o in pairs),
}

# --- completion ----------------------------------------------------------------------


def peek(path: Path, environ: Mapping[str, str]) -> sqlite3.Connection | None:
    """A read-only connection to the registry's cache when it matches the file's size and time.

    For shell completion only: the content is not hashed, which at 100k entries would cost
    a TAB more than everything else (bench/README.md). A name offered from a cache that is
    stale to the byte is harmless, since the command it completes checks it again.
    """
    folder = directory(environ)
    name = _text_path(path)
    if folder is None or name is None:
        return None
    cache_file = file_for(folder, Key(name, 0, 0, ""))
    if not (trusted_folder(folder) and _trusted_file(cache_file)):
        return None
    try:
        st = path.stat()
        conn, meta = _open(cache_file)
    except (OSError, sqlite3.Error, ValueError):
        return None
    wanted = {
        "format": FORMAT,
        "version": __version__,
        "path": name,
        "size": str(st.st_size),
        "mtime_ns": str(st.st_mtime_ns),
    }
    if any(meta.get(k) != v for k, v in wanted.items()):
        conn.close()
        return None
    return conn
