"""Fetch people and groups from an LDAP v3 server with ldap3: TLS checked, paged, time-limited.

Only `kvlookup sync` imports this module; lookups read the synced copy and never the
network. Every value placed in a filter is escaped (RFC 4515), attribute names are checked
when the config and the registry are read, and the password is used for the bind only.
"""

from __future__ import annotations

import math
import ssl
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

# ldap3 ships no type information.
import ldap3  # type: ignore[import-untyped]
from ldap3.core import exceptions as ldap_errors  # type: ignore[import-untyped]
from ldap3.utils.conv import escape_filter_chars  # type: ignore[import-untyped]

from kvlookup.errors import DirectoryError
from kvlookup.models import KIND_WORDS, EntryKind
from kvlookup.sources.config import Directory
from kvlookup.sources.synced import DirectoryGroup, DirectoryPerson, Snapshot

# Registry keys looked up per search when the people filter did not return them.
LOOKUP_BATCH = 50
# LDAP result codes (RFC 4511) that ldap3 reports without raising.
_TIME_LIMIT_EXCEEDED = 3
_SIZE_LIMIT_EXCEEDED = 4
# AD's userAccountControl flag ACCOUNTDISABLE.
_AD_DISABLED = 0x2
# A group's kind attribute, in English or Finnish; "person" is no kind of group.
_KINDS: Mapping[str, EntryKind] = {
    word: kind for word, kind in KIND_WORDS.items() if kind != "person"
}


def key_filter(pairs: Iterable[tuple[str, str]], within: str = "") -> str:
    """An OR filter for (attribute, value) pairs, values escaped, optionally ANDed with within.

    Attribute names are not escaped (they cannot be): callers pass only names that
    config.is_attribute accepts.
    """
    terms = "".join(f"({attr}={escape_filter_chars(value)})" for attr, value in pairs)
    either = f"(|{terms})"
    return f"(&{within}{either})" if within else either


def fetch(
    directory: Directory,
    password: str | None,
    links: Sequence[tuple[str, str]] = (),
    now: datetime | None = None,
) -> Snapshot:
    """People, groups and the registry's linked people from the directory; DirectoryError."""
    try:
        conn = _connect(directory, password)
        try:
            return _fetch(conn, directory, links, now or datetime.now(UTC))
        finally:
            conn.unbind()
    except ldap_errors.LDAPException as exc:
        raise _error(exc, directory, password) from None
    except OSError as exc:  # a socket error ldap3 did not wrap
        raise _error(exc, directory, password) from None


def _connect(directory: Directory, password: str | None) -> Any:
    tls = ldap3.Tls(
        validate=ssl.CERT_REQUIRED if directory.verify_certificate else ssl.CERT_NONE,
        ca_certs_file=str(directory.ca_file) if directory.ca_file else None,
    )
    server = ldap3.Server(
        directory.url,
        use_ssl=directory.ldaps,
        tls=tls,
        get_info=ldap3.NONE,  # no schema download: one round trip less, and not needed
        connect_timeout=directory.timeout,
    )
    conn = ldap3.Connection(
        server,
        user=directory.bind_dn or None,
        password=password if directory.bind_dn else None,
        # ldap3 packs this into SO_RCVTIMEO as whole seconds: a float fails there.
        receive_timeout=max(1, math.ceil(directory.timeout)),
        read_only=True,
        raise_exceptions=True,
        auto_referrals=False,  # a referral would send the password to another server
    )
    conn.open()
    if directory.starttls:
        conn.start_tls()
    conn.bind()
    return conn


def _fetch(
    conn: Any, directory: Directory, links: Sequence[tuple[str, str]], now: datetime
) -> Snapshot:
    attrs = directory.attributes
    link_attributes = sorted({a.lower() for a, _ in links} | {attrs.email.lower()} - {""})
    wanted = [
        a
        for a in (
            attrs.id,
            attrs.name,
            attrs.email,
            attrs.phone,
            attrs.title,
            attrs.title_en,
            attrs.department,
            attrs.disabled,
            attrs.member_of,
            *link_attributes,
        )
        if a
    ]
    people: dict[str, DirectoryPerson] = {}
    for dn, values in _search(
        conn, directory, directory.people_base, directory.people_filter, wanted
    ):
        people[dn.lower()] = _person(dn, values, directory, link_attributes, selected=True)
    # Registry contacts the people filter did not return: look each up by its key, to tell
    # someone disabled or moved from someone gone.
    found = {(a, v.casefold()) for p in people.values() for a, vs in p.keys.items() for v in vs}
    unresolved = sorted(
        {(a.lower(), v) for a, v in links if (a.lower(), v.casefold()) not in found}
    )
    for start in range(0, len(unresolved), LOOKUP_BATCH):
        batch = unresolved[start : start + LOOKUP_BATCH]
        flt = key_filter(batch, directory.lookup_filter)
        for dn, values in _search(conn, directory, directory.base_dn, flt, wanted):
            if dn.lower() not in people:
                people[dn.lower()] = _person(dn, values, directory, link_attributes, selected=False)
    groups: list[DirectoryGroup] = []
    if directory.groups_filter:
        group_wanted = [
            a for a in (attrs.group_name, attrs.group_description, attrs.member, attrs.kind) if a
        ]
        for dn, values in _search(
            conn, directory, directory.groups_base, directory.groups_filter, group_wanted
        ):
            group = _group(dn, values, directory)
            if group is not None:
                groups.append(group)
    return Snapshot(now, directory.url, directory.base_dn, tuple(people.values()), tuple(groups))


def _search(
    conn: Any, directory: Directory, base: str, search_filter: str, attributes: list[str]
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(dn, attributes) of every entry, fetched a page at a time (RFC 2696)."""
    entries = conn.extend.standard.paged_search(
        search_base=base,
        search_filter=search_filter,
        search_scope=ldap3.SUBTREE,
        attributes=attributes,
        paged_size=directory.page_size,
        time_limit=max(1, int(directory.timeout)),
        generator=True,
    )
    for entry in entries:
        if entry.get("type") == "searchResEntry":  # references are not followed
            yield str(entry["dn"]), entry["attributes"]
    # ldap3 does not raise for a size or time limit: it ends the search as if it were
    # complete. A truncated copy would make everyone past the limit look departed, so it
    # is refused instead (OpenLDAP's default is 500 entries unless limits allow more).
    result = conn.result or {}
    if result.get("result") in (_SIZE_LIMIT_EXCEEDED, _TIME_LIMIT_EXCEEDED):
        raise DirectoryError(
            "directory.truncated",
            url=directory.url,
            base=base,
            detail=result.get("description", ""),
        )


def _values(attributes: Mapping[str, Any], name: str) -> tuple[str, ...]:
    if not name:
        return ()
    raw = attributes.get(name)
    if raw is None:
        return ()
    items = raw if isinstance(raw, list | tuple) else [raw]
    out = []
    for item in items:
        text = item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item)
        if text.strip():
            out.append(text.strip())
    return tuple(out)


def _first(attributes: Mapping[str, Any], name: str) -> str:
    values = _values(attributes, name)
    return values[0] if values else ""


def _phone(raw: str) -> str:
    """A directory phone in the registry's international form when it is a valid number."""
    from kvlookup.contactinfo import InvalidValue, normalise_phone

    if not raw:
        return ""
    try:
        return normalise_phone(raw)
    except InvalidValue:
        return raw  # kept as written: merge ignores it, 'check --directory' reports it


def is_disabled(values: Sequence[str], attribute: str, disabled_values: Sequence[str]) -> bool:
    """Whether an account's disabled attribute says it is disabled."""
    if not attribute or not values:
        return False
    if attribute.lower() == "useraccountcontrol":
        try:
            return bool(int(values[0]) & _AD_DISABLED)
        except ValueError:
            return False
    if disabled_values:
        wanted = {v.casefold() for v in disabled_values}
        return any(v.casefold() in wanted for v in values)
    # No values configured: any value other than an explicit false marks the account.
    return any(v.casefold() not in ("false", "0", "no") for v in values)


def _person(
    dn: str,
    values: Mapping[str, Any],
    directory: Directory,
    link_attributes: Sequence[str],
    *,
    selected: bool,
) -> DirectoryPerson:
    attrs = directory.attributes
    return DirectoryPerson(
        dn=dn,
        id=_first(values, attrs.id),
        name=_first(values, attrs.name) or dn,
        email=_first(values, attrs.email),
        phone=_phone(_first(values, attrs.phone)),
        title=_first(values, attrs.title),
        title_en=_first(values, attrs.title_en),
        department=_first(values, attrs.department),
        disabled=is_disabled(
            _values(values, attrs.disabled), attrs.disabled, directory.disabled_values
        ),
        selected=selected,
        member_of=_values(values, attrs.member_of),
        keys={a: found for a in link_attributes if (found := _values(values, a))},
    )


def _group(dn: str, values: Mapping[str, Any], directory: Directory) -> DirectoryGroup | None:
    attrs = directory.attributes
    names = _values(values, attrs.group_name)
    if not names:
        return None
    kind_value = _first(values, attrs.kind).casefold()
    return DirectoryGroup(
        dn=dn,
        names=names,
        descriptions=_values(values, attrs.group_description),
        members=_values(values, attrs.member),
        kind=_KINDS.get(kind_value, directory.group_kind),
    )


def _error(exc: Exception, directory: Directory, password: str | None) -> DirectoryError:
    """One clear error for what went wrong; the detail never holds the password."""
    detail = str(exc.args[0] if exc.args else exc)
    # ldap3 nests the socket error's text in tuples and quotes; the last part is the reason.
    detail = detail.strip("()'\",").replace("socket connection error while opening: ", "")
    if password:
        detail = detail.replace(password, "***")
    detail = detail[:200]
    url = directory.url
    if "CERTIFICATE_VERIFY_FAILED" in detail or isinstance(exc, ldap_errors.LDAPCertificateError):
        return DirectoryError("directory.certificate", url=url, detail=detail)
    if isinstance(
        exc,
        ldap_errors.LDAPInvalidCredentialsResult
        | ldap_errors.LDAPBindError
        | ldap_errors.LDAPInappropriateAuthenticationResult
        | ldap_errors.LDAPStrongerAuthRequiredResult
        | ldap_errors.LDAPConfidentialityRequiredResult
        | ldap_errors.LDAPUnwillingToPerformResult,
    ):
        return DirectoryError("directory.bind_refused", url=url, user=directory.bind_dn or "-")
    if isinstance(exc, ldap_errors.LDAPStartTLSError | ldap_errors.LDAPSSLConfigurationError):
        return DirectoryError("directory.tls_failed", url=url, detail=detail)
    if isinstance(exc, ldap_errors.LDAPSocketReceiveError | TimeoutError) or "timed out" in detail:
        return DirectoryError("directory.timeout", url=url, seconds=directory.timeout)
    if isinstance(exc, ldap_errors.LDAPCommunicationError | OSError):
        return DirectoryError("directory.unreachable", url=url, detail=detail)
    if isinstance(exc, ldap_errors.LDAPNoSuchObjectResult):
        return DirectoryError("directory.no_base", url=url, detail=detail)
    if isinstance(exc, ldap_errors.LDAPInvalidFilterError):
        return DirectoryError("directory.bad_filter", url=url, detail=detail)
    return DirectoryError("directory.failed", url=url, detail=f"{type(exc).__name__}: {detail}")
