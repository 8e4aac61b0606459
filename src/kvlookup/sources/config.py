"""Read and check config.toml's [directory] table, filling gaps from the attribute presets."""

# No `from __future__ import annotations`: it would turn each NamedTuple field below into
# a ForwardRef compiled at import (models.py says why that matters to start-up).

import re
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, NamedTuple

from kvlookup.errors import ConfigError
from kvlookup.models import EntryKind, Problem

# The password never comes from the file; this is the variable the examples use.
DEFAULT_PASSWORD_ENV = "KVLOOKUP_LDAP_PASSWORD"
# Hosts whose traffic never leaves the machine: a simple bind there may go without TLS.
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
# An attribute name goes into filters and attribute lists as it is (only values can be
# escaped), so it must be a plain RFC 4512 descr or a numeric OID.
_ATTRIBUTE = re.compile(r"[A-Za-z][A-Za-z0-9-]*|[0-9]+(\.[0-9]+)+")
_DURATION = re.compile(r"\s*([0-9]+)\s*([hdw])\s*")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


class Attributes(NamedTuple):
    """Which directory attribute holds each value kvlookup reads ("" when none does)."""

    id: str  # a short, stable account name: the id of a person known only to the directory
    name: str
    email: str
    phone: str
    title: str
    title_en: str
    department: str
    # AD's userAccountControl (bit 2 = disabled), or an attribute whose values
    # people.disabled_values lists (OpenLDAP has no standard one).
    disabled: str
    member_of: str
    group_name: str
    group_description: str
    member: str
    # A group attribute whose value is topic, project or network (else groups.kind).
    kind: str


class Preset(NamedTuple):
    """A directory product's usual schema: attribute names and filters."""

    attributes: Attributes
    people_filter: str
    groups_filter: str
    lookup_filter: str


PRESETS: Mapping[str, Preset] = {
    "openldap": Preset(
        Attributes(
            id="uid",
            name="cn",
            email="mail",
            phone="telephoneNumber",
            title="title",
            title_en="",
            department="departmentNumber",
            disabled="",
            member_of="memberOf",
            group_name="cn",
            group_description="description",
            member="member",
            kind="",
        ),
        people_filter="(objectClass=inetOrgPerson)",
        groups_filter="(objectClass=groupOfNames)",
        lookup_filter="(objectClass=inetOrgPerson)",
    ),
    "active-directory": Preset(
        Attributes(
            id="sAMAccountName",
            name="displayName",
            email="mail",
            phone="telephoneNumber",
            title="title",
            title_en="",
            department="department",
            disabled="userAccountControl",
            member_of="memberOf",
            group_name="cn",
            group_description="description",
            member="member",
            kind="",
        ),
        people_filter="(&(objectCategory=person)(objectClass=user))",
        groups_filter="(objectClass=group)",
        lookup_filter="(&(objectCategory=person)(objectClass=user))",
    ),
}


class Directory(NamedTuple):
    """The [directory] table, checked and completed from its preset."""

    url: str
    starttls: bool
    ca_file: Path | None
    verify_certificate: bool
    base_dn: str
    bind_dn: str
    password_env: str
    people_base: str
    people_filter: str
    # Which objects count as people when a registry contact is looked up by key because
    # the people filter did not return them (to tell "disabled" or "moved" from "gone").
    lookup_filter: str
    disabled_values: tuple[str, ...]
    groups_base: str
    groups_filter: str
    group_kind: EntryKind
    attributes: Attributes
    timeout: float
    page_size: int
    max_age: timedelta
    preset: str

    @property
    def ldaps(self) -> bool:
        """True for an ldaps:// URL (TLS from the first byte)."""
        return self.url.lower().startswith("ldaps://")


class Config(NamedTuple):
    """A config file: where it is, its bytes (they key the merged cache) and what it says."""

    path: Path
    data: bytes
    directory: Directory | None


def load(path: Path) -> Config:
    """Read and check a config file; ConfigError lists every problem."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            [Problem(str(path), "config.missing")], "config.invalid", path=path
        ) from None
    except OSError as exc:
        problem = Problem(str(path), "config.unreadable", {"detail": exc.strerror or str(exc)})
        raise ConfigError([problem], "config.invalid", path=path) from None
    return parse(data, path)


def parse(data: bytes, path: Path) -> Config:
    """Check config bytes; ConfigError lists every problem."""
    from kvlookup.sources import tomlread  # a config is read only when one exists

    try:
        raw = tomlread.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomlread.TOMLDecodeError) as exc:
        problem = Problem(path.name, "config.syntax", {"detail": str(exc)})
        raise ConfigError([problem], "config.invalid", path=path) from None
    checker = _Checker(path)
    directory = checker.config(raw)
    if checker.problems:
        raise ConfigError(checker.problems, "config.invalid", path=path)
    return Config(path, data, directory)


def parse_duration(value: str) -> timedelta | None:
    """'12h', '7d', '2w' (or a sum such as '1w 2d') as a timedelta; None when malformed."""
    total = timedelta()
    pos = 0
    for match in _DURATION.finditer(value):
        if match.start() != pos:
            return None
        total += int(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    return total if pos == len(value) and pos else None


def is_attribute(name: str) -> bool:
    """True for an LDAP attribute name that can go into a filter as it is."""
    return bool(_ATTRIBUTE.fullmatch(name))


_DIRECTORY_KEYS = frozenset(
    {
        "preset",
        "url",
        "starttls",
        "ca_file",
        "verify_certificate",
        "base_dn",
        "bind_dn",
        "password_env",
        "timeout",
        "page_size",
        "max_age",
        "people",
        "groups",
        "attributes",
    }
)
_PEOPLE_KEYS = frozenset({"base", "filter", "lookup_filter", "disabled_values"})
_GROUPS_KEYS = frozenset({"base", "filter", "kind"})


class _Checker:
    """Collects every problem of a config instead of stopping at the first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, where: str, key: str, /, **params: object) -> None:
        self.problems.append(Problem(f"{self.path.name}: {where}", key, params))

    def table(self, raw: Mapping[str, Any], name: str, allowed: frozenset[str]) -> dict[str, Any]:
        value = raw.get(name.rsplit(".", 1)[-1], {})
        if not isinstance(value, dict):
            self.add(name, "config.type", expected="table", found=type(value).__name__)
            return {}
        for key in value:
            if key == "password":
                self.add(f"{name}.{key}", "config.password_in_file")
            elif key not in allowed:
                self.add(
                    f"{name}.{key}",
                    "config.unknown_key",
                    key=key,
                    allowed=", ".join(sorted(allowed)),
                )
        return value

    def value(
        self, table: Mapping[str, Any], where: str, key: str, kind: type, default: Any
    ) -> Any:
        value = table.get(key, default)
        # bool is an int in Python; TOML keeps them apart, and so must we.
        ok = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not ok:
            self.add(
                f"{where}.{key}", "config.type", expected=kind.__name__, found=type(value).__name__
            )
            return default
        return value

    def config(self, raw: Mapping[str, Any]) -> Directory | None:
        for key in raw:
            if key != "directory":
                self.add(key, "config.unknown_key", key=key, allowed="directory")
        if "directory" not in raw:
            return None
        d = self.table(raw, "directory", _DIRECTORY_KEYS)
        people = self.table(d, "directory.people", _PEOPLE_KEYS)
        groups = self.table(d, "directory.groups", _GROUPS_KEYS)
        attrs = self.table(d, "directory.attributes", frozenset(Attributes._fields))

        preset_name = self.value(d, "directory", "preset", str, "openldap")
        preset = PRESETS.get(preset_name)
        if preset is None:
            self.add(
                "directory.preset",
                "config.bad_preset",
                value=preset_name,
                presets=", ".join(PRESETS),
            )
            preset = PRESETS["openldap"]
        mapped = {}
        for field in Attributes._fields:
            name = self.value(
                attrs, "directory.attributes", field, str, getattr(preset.attributes, field)
            )
            if name and not is_attribute(name):
                self.add(f"directory.attributes.{field}", "config.bad_attribute", value=name)
                name = ""
            mapped[field] = name
        attributes = Attributes(**mapped)

        url = self.value(d, "directory", "url", str, "")
        host = ""
        if "url" not in d:
            self.add("directory", "config.required", key="url")
        elif not re.fullmatch(r"ldaps?://[^/?#\s]+/?", url, re.IGNORECASE):
            self.add("directory.url", "config.bad_url", value=url)
        else:
            host = url.split("://", 1)[1].rstrip("/").rsplit(":", 1)[0].lower()
        starttls = self.value(d, "directory", "starttls", bool, False)
        ldaps = url.lower().startswith("ldaps://")
        if starttls and ldaps:
            self.add("directory.starttls", "config.starttls_ldaps")
        base_dn = self.value(d, "directory", "base_dn", str, "")
        if not base_dn.strip():
            self.add("directory", "config.required", key="base_dn")
        bind_dn = self.value(d, "directory", "bind_dn", str, "")
        if bind_dn and host and not (ldaps or starttls) and host not in _LOOPBACK:
            self.add("directory.url", "config.plaintext_bind", url=url)
        ca_file: Path | None = None
        ca = self.value(d, "directory", "ca_file", str, "")
        if ca:
            # Relative to the config file, so a config and its CA can travel together.
            ca_file = (self.path.parent / Path(ca).expanduser()).absolute()
            if not ca_file.is_file():
                self.add("directory.ca_file", "config.ca_missing", path=ca_file)
        verify = self.value(d, "directory", "verify_certificate", bool, True)

        timeout = self.value(d, "directory", "timeout", float, 10.0)
        if not 0 < timeout <= 600:
            self.add("directory.timeout", "config.range", value=timeout, low=0, high=600)
            timeout = 10.0
        page_size = self.value(d, "directory", "page_size", int, 500)
        if not 1 <= page_size <= 10000:
            self.add("directory.page_size", "config.range", value=page_size, low=1, high=10000)
            page_size = 500
        max_age_text = self.value(d, "directory", "max_age", str, "7d")
        max_age = parse_duration(max_age_text)
        if max_age is None:
            self.add("directory.max_age", "config.bad_duration", value=max_age_text)
            max_age = timedelta(days=7)

        kind = self.value(groups, "directory.groups", "kind", str, "topic")
        if kind not in ("topic", "project", "network"):
            self.add("directory.groups.kind", "config.bad_kind", value=kind)
            kind = "topic"
        disabled_values = self.value(people, "directory.people", "disabled_values", list, [])
        if not all(isinstance(v, str) for v in disabled_values):
            self.add(
                "directory.people.disabled_values",
                "config.type",
                expected="list of strings",
                found="list",
            )
            disabled_values = []
        filters = {
            "people.filter": self.value(
                people, "directory.people", "filter", str, preset.people_filter
            ),
            "people.lookup_filter": self.value(
                people, "directory.people", "lookup_filter", str, preset.lookup_filter
            ),
            "groups.filter": self.value(
                groups, "directory.groups", "filter", str, preset.groups_filter
            ),
        }
        for where, text in filters.items():
            # Admins write these; kvlookup only checks they are one parenthesised filter.
            # ("" turns groups off.)
            if text and not _balanced(text):
                self.add(f"directory.{where}", "config.bad_filter", value=text)
        return Directory(
            url=url,
            starttls=starttls,
            ca_file=ca_file,
            verify_certificate=verify,
            base_dn=base_dn,
            bind_dn=bind_dn,
            password_env=self.value(d, "directory", "password_env", str, DEFAULT_PASSWORD_ENV),
            people_base=self.value(people, "directory.people", "base", str, "") or base_dn,
            people_filter=filters["people.filter"],
            lookup_filter=filters["people.lookup_filter"],
            disabled_values=tuple(disabled_values),
            groups_base=self.value(groups, "directory.groups", "base", str, "") or base_dn,
            groups_filter=filters["groups.filter"],
            group_kind=kind,
            attributes=attributes,
            timeout=timeout,
            page_size=page_size,
            max_age=max_age,
            preset=preset_name,
        )


def _balanced(text: str) -> bool:
    """True when text is one parenthesised LDAP filter with balanced parentheses."""
    # A literal parenthesis in a filter value is written \28 or \29 (RFC 4515), so every
    # parenthesis that appears is structure.
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for position, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0 or (depth == 0 and position < len(text) - 1):
            return False
    return depth == 0
