"""Export filters as a small algebra: terms that keep rows, combined with & and |, parsed
from the command line ("kind:project or person:partanen")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from kvlookup.errors import UsageError
from kvlookup.models import KIND_WORDS, Entry, Person

if TYPE_CHECKING:
    from kvlookup.models import Kind, Registry
    from kvlookup.search.index import Vocabulary


class Row(Protocol):
    """What a filter looks at in an export row (export.Row): the item and its contact."""

    @property
    def item(self) -> Entry | Person:
        """The entry or person the row is about."""
        ...

    @property
    def contact(self) -> Person | None:
        """The row's contact person, if one is named."""
        ...


@dataclass(frozen=True, slots=True)
class Test:
    """A filter bound to one registry: does it keep a row, and where a query ranks it."""

    keeps: Callable[[Row], bool]
    # The order of 'who' for a query term (its first one), else None: rows stay listed.
    rank: Mapping[str, int] | None = None


class Filter:
    """What to export; filters combine with & (both hold) and | (either holds)."""

    def __and__(self, other: Filter) -> Filter:
        return AllOf((self, other))

    def __or__(self, other: Filter) -> Filter:
        return AnyOf((self, other))

    def bind(self, registry: Registry, index: Vocabulary | None) -> Test:
        """This filter as a test of rows of registry (names and queries resolved once)."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Everything(Filter):
    """Keeps every row."""

    def bind(self, registry: Registry, index: Vocabulary | None) -> Test:
        """A test that keeps every row."""
        return Test(lambda row: True)


@dataclass(frozen=True, slots=True)
class KindIs(Filter):
    """Rows of entries (or people) of one kind."""

    kind: Kind

    def bind(self, registry: Registry, index: Vocabulary | None) -> Test:
        """A test of the row's item kind."""
        return Test(lambda row: row.item.kind == self.kind)


@dataclass(frozen=True, slots=True)
class HandledBy(Filter):
    """Rows whose contact is one person: everything that person answers for."""

    person: str  # an id or a name, resolved as the CLI resolves names

    def bind(self, registry: Registry, index: Vocabulary | None) -> Test:
        """A test of the row's contact; UsageError when the name is no person."""
        from kvlookup.search import ranking

        found = ranking.resolve(registry, self.person, index=index)
        if not isinstance(found, Person):
            raise UsageError("name.not_person", name=self.person)
        return Test(lambda row: row.contact is not None and row.contact.id == found.id)


@dataclass(frozen=True, slots=True)
class Answers(Filter):
    """Rows of the items 'kvlookup who QUERY' answers with, in its order."""

    query: str

    def bind(self, registry: Registry, index: Vocabulary | None) -> Test:
        """A test of the row's item against the query's matches."""
        from kvlookup.search import ranking

        if not self.query.strip():
            raise UsageError("who.empty_query")
        matches = ranking.lookup(registry, self.query, limit=ranking.DEFAULT_LIMIT, index=index)
        ranks = {m.id: i for i, m in enumerate(matches.matches)}
        return Test(lambda row: row.item.id in ranks, ranks)


@dataclass(frozen=True, slots=True)
class AllOf(Filter):
    """Rows every part keeps."""

    parts: tuple[Filter, ...]

    def bind(self, registry: Registry, index: Vocabulary | None) -> Test:
        """A test that every part's test passes."""
        tests = [p.bind(registry, index) for p in self.parts]
        return Test(lambda row: all(t.keeps(row) for t in tests), _first_rank(tests))


@dataclass(frozen=True, slots=True)
class AnyOf(Filter):
    """Rows any part keeps."""

    parts: tuple[Filter, ...]

    def bind(self, registry: Registry, index: Vocabulary | None) -> Test:
        """A test that some part's test passes."""
        tests = [p.bind(registry, index) for p in self.parts]
        return Test(lambda row: any(t.keeps(row) for t in tests), _first_rank(tests))


def _first_rank(tests: list[Test]) -> Mapping[str, int] | None:
    return next((t.rank for t in tests if t.rank is not None), None)


def combine(parts: list[Filter]) -> Filter:
    """All of parts (Everything when there are none)."""
    if not parts:
        return Everything()
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


# The field names of a term, in English and Finnish.
_FIELDS: Mapping[str, str] = {
    "kind": "kind",
    "tyyppi": "kind",
    "person": "person",
    "henkilö": "person",
    "henkilo": "person",
    "query": "query",
    "haku": "query",
}
_OR = frozenset({"or", "tai"})


def parse(text: str) -> Filter:
    """A filter from its written form: field:value terms, AND by default, 'or' between groups.

    "kind:project person:partanen" keeps Raija Partanen's projects; "kind:topic or
    person:koponen" keeps every topic and everything Hannu Koponen handles. A value with
    spaces is quoted: 'query:"Brussels office"'. UsageError for an unknown field or kind.
    """
    import shlex

    try:
        words = shlex.split(text)
    except ValueError:
        raise UsageError("export.bad_filter", filter=text) from None
    groups: list[list[Filter]] = [[]]
    for word in words:
        if word.casefold() in _OR:
            groups.append([])
            continue
        name, colon, value = word.partition(":")
        field = _FIELDS.get(name.casefold())
        if not colon or field is None or not value:
            raise UsageError("export.bad_filter", filter=word)
        groups[-1].append(_term(field, value))
    if any(not group for group in groups):
        raise UsageError("export.bad_filter", filter=text)
    alternatives = [combine(group) for group in groups]
    return alternatives[0] if len(alternatives) == 1 else AnyOf(tuple(alternatives))


def _term(field: str, value: str) -> Filter:
    if field == "kind":
        kind = KIND_WORDS.get(value.casefold())
        if kind is None:
            raise UsageError("export.bad_filter", filter=f"kind:{value}")
        return KindIs(kind)
    if field == "person":
        return HandledBy(value)
    return Answers(value)
