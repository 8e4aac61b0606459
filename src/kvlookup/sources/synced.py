"""The synced copy of the directory: where it lives, how it is written (0600) and read back.

The copy holds a whole staff directory, so it is private to its user: written through a
temporary file that only the user can read (mode 0600) and renamed into place, and only
read back when it is a regular file that the user owns. On Windows the mode bits mean
little (only read-only is honoured); the user's profile folder is what keeps it private.
"""

# No `from __future__ import annotations`: it would turn each NamedTuple field below into
# a ForwardRef compiled at import (models.py says why that matters to start-up).

import json
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from kvlookup.errors import DirectoryError, WriteError
from kvlookup.models import EntryKind

try:
    from _blake2 import blake2b  # as in cache.py: hashlib would load OpenSSL
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b

# Bump when the layout changes; an older copy is then reported and synced again.
FORMAT = 1
MODE = 0o600


class DirectoryPerson(NamedTuple):
    """One person as the directory holds them."""

    dn: str
    id: str
    name: str
    email: str = ""
    phone: str = ""
    title: str = ""
    title_en: str = ""
    department: str = ""
    disabled: bool = False
    # False for someone found only by a registry key, outside the people filter (moved
    # to another OU, or filtered out as inactive).
    selected: bool = True
    member_of: tuple[str, ...] = ()
    # Values of the attributes registry keys name (lowercased attribute -> values).
    keys: Mapping[str, tuple[str, ...]] = MappingProxyType({})


class DirectoryGroup(NamedTuple):
    """One responsibility group."""

    dn: str
    names: tuple[str, ...]
    descriptions: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    kind: EntryKind = "topic"


class Snapshot(NamedTuple):
    """Everything one sync fetched."""

    synced_at: datetime
    url: str
    base_dn: str
    people: tuple[DirectoryPerson, ...]
    groups: tuple[DirectoryGroup, ...]


def folder(environ: Mapping[str, str]) -> Path:
    """Where synced copies live: $KVLOOKUP_CACHE_DIR, else the user cache folder.

    Unlike the search cache, KVLOOKUP_NO_CACHE does not turn this off: the copy is data
    that only a sync can bring back, not something a lookup can rebuild.
    """
    from kvlookup.sources import cache

    if environ.get(cache.ENV_DIR):
        return Path(environ[cache.ENV_DIR]).absolute()
    return cache.user_cache_dir(environ)


def path_for(url: str, base_dn: str, environ: Mapping[str, str]) -> Path:
    """The synced copy of one directory (a URL and a base DN)."""
    name = blake2b(f"{url.lower()}\n{base_dn.lower()}".encode(), digest_size=12).hexdigest()
    return folder(environ) / f"directory-{name}.json"


def is_copy_name(name: str) -> bool:
    """True for a file name path_for gives: directory-, 24 hex digits, .json."""
    digits = name.removeprefix("directory-").removesuffix(".json")
    return (
        len(name) == len(digits) + 15
        and len(digits) == 24
        and all(c in "0123456789abcdef" for c in digits)
    )


def write(path: Path, snapshot: Snapshot) -> None:
    """Write the copy with mode 0600 through a temporary file; WriteError if that fails."""
    from kvlookup import safewrite

    data = json.dumps(_encode(snapshot), ensure_ascii=False, separators=(",", ":")).encode()
    try:
        # 0700: the folder may be created here, and a staff list is nobody else's business.
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # A new 0600 file renamed into place: a symlink planted at path is replaced, never
        # followed, and a reader sees the old copy or the new one.
        safewrite.replace(path, data, mode=MODE)
    except OSError as exc:
        raise WriteError(
            "directory.copy_not_written", path=path, detail=exc.strerror or str(exc)
        ) from None


def synced_at(path: Path) -> datetime | None:
    """When the copy was written (its modification time), or None when there is none."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return datetime.fromtimestamp(st.st_mtime, UTC)


def read(path: Path) -> Snapshot:
    """The copy at path; DirectoryError when it is missing, not ours, or unreadable."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise DirectoryError("directory.never_synced", path=path) from None
    except OSError as exc:
        raise DirectoryError(
            "directory.copy_unreadable", path=path, detail=exc.strerror or str(exc)
        ) from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        # A copy someone else could have written is not trusted: it decides whom kvlookup
        # names as a contact. (Windows has no owner id here; its profile folder protects it.)
        owner_ok = sys.platform == "win32" or st.st_uid == os.getuid()
        if not owner_ok or not _is_regular(st.st_mode):
            raise DirectoryError(
                "directory.copy_untrusted", path=path, detail="not a regular file owned by you"
            )
        data = fh.read()
    try:
        return _decode(json.loads(data))
    except (ValueError, TypeError, KeyError) as exc:
        raise DirectoryError("directory.copy_unreadable", path=path, detail=str(exc)) from None


def _is_regular(mode: int) -> bool:
    import stat

    return stat.S_ISREG(mode)


def _encode(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "synced_at": snapshot.synced_at.isoformat(),
        "url": snapshot.url,
        "base_dn": snapshot.base_dn,
        "people": [p._asdict() | {"keys": dict(p.keys)} for p in snapshot.people],
        "groups": [g._asdict() for g in snapshot.groups],
    }


def _decode(doc: Any) -> Snapshot:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"not a format-{FORMAT} copy")
    people = tuple(
        DirectoryPerson(
            **{
                **p,
                "member_of": tuple(p.get("member_of", ())),
                "keys": {str(k): tuple(v) for k, v in p.get("keys", {}).items()},
            }
        )
        for p in doc["people"]
    )
    groups = tuple(
        DirectoryGroup(
            **{
                **g,
                "names": tuple(g["names"]),
                "descriptions": tuple(g.get("descriptions", ())),
                "members": tuple(g.get("members", ())),
            }
        )
        for g in doc["groups"]
    )
    return Snapshot(
        datetime.fromisoformat(doc["synced_at"]),
        str(doc["url"]),
        str(doc["base_dn"]),
        people,
        groups,
    )
