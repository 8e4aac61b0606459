"""Rank registry entries and people against a free-form Finnish or English query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from kvlookup import text
from kvlookup.errors import AmbiguousNameError, NotFoundError
from kvlookup.models import Contact, Entry, Kind, Match, Person, Registry

# A match must name most of one alias and explain most of the query. The product of the two
# coverages is compared with THRESHOLD: one word of a two-word alias ("office" against
# "Brussels office") scores 0.5 and is only a suggestion; a full alias with one typo passes.
THRESHOLD = 0.6
SUGGESTION_FLOOR = 0.2
EXACT = 1.0
INFLECTED = 0.97
TYPO_COST = 0.12
DEFAULT_LIMIT = 5


@dataclass(frozen=True, slots=True)
class Alias:
    """One name of an item, as the index sees it."""

    item_id: str
    text: str
    size: int  # content words the alias has


@dataclass
class Index:
    """Alias vocabulary of a registry, with the stems that inflected query words begin with."""

    aliases: list[Alias] = field(default_factory=list)
    # vocabulary word -> (alias number, first and last content position it covers)
    postings: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    # stem -> vocabulary words whose inflected forms begin with it
    stems: dict[str, list[str]] = field(default_factory=dict)
    # folded label ("hannu koponen") -> ids of the items carrying it, for exact name lookup
    labels: dict[str, set[str]] = field(default_factory=dict)
    noise: frozenset[str] = frozenset()
    # Short noise words ("on", "en", "han") only count when typed exactly; inflecting them
    # would swallow real words ("Hannun").
    short_noise: frozenset[str] = frozenset()
    _stem_list: list[str] | None = None

    @classmethod
    def build(cls, registry: Registry) -> Index:
        """Index every name and alias of every entry and person."""
        index = cls(
            noise=frozenset(s for w in text.NOISE_WORDS if len(w) >= 4 for s in text.stems(w)),
            short_noise=frozenset(w for w in text.NOISE_WORDS if len(w) < 4),
        )
        for entry in registry.entries.values():
            for label in (entry.name, *entry.aliases):
                index._add(entry.id, label)
        for person in registry.people.values():
            for label in _person_labels(person):
                index._add(person.id, label)
        stems: defaultdict[str, list[str]] = defaultdict(list)
        for word in index.postings:
            for stem in text.stems(word):
                stems[stem].append(word)
        index.stems = dict(stems)
        return index

    def _add(self, item_id: str, label: str) -> None:
        raw = text.tokens(label)
        self.labels.setdefault(" ".join(raw), set()).add(item_id)
        # Position of each raw word among the alias's content words (None for noise words).
        positions: list[int | None] = []
        size = 0
        for word in raw:
            if self.is_noise(word):
                positions.append(None)
            else:
                positions.append(size)
                size += 1
        if size == 0:
            return
        number = len(self.aliases)
        self.aliases.append(Alias(item_id, label, size))
        for word, pos in zip(raw, positions, strict=True):
            if pos is not None:
                self.postings.setdefault(word, []).append((number, pos, pos))
        # Compounds are written together, apart or hyphenated ("Eurooppa-toimisto",
        # "eurooppatoimisto"), so adjacent words also stand as one joined word.
        for i in range(len(raw) - 1):
            covered = [p for p in positions[i : i + 2] if p is not None]
            if covered:
                joined = raw[i] + raw[i + 1]
                self.postings.setdefault(joined, []).append((number, covered[0], covered[-1]))

    def is_noise(self, token: str) -> bool:
        """True for question wrappers and function words, in any inflected form."""
        return token in self.short_noise or any(
            head in self.noise for head, _ in text.splits(token)
        )

    def lookup(self, token: str) -> dict[str, float]:
        """Vocabulary words a query word may stand for, with the quality of each match."""
        found: dict[str, float] = {}
        for head, tail in text.splits(token):
            for word in self.stems.get(head, ()):
                quality = EXACT if (head == word and not tail) else INFLECTED
                if quality > found.get(word, 0.0):
                    found[word] = quality
        if found:
            return found
        return self._typo_lookup(token)

    def _typo_lookup(self, token: str) -> dict[str, float]:
        # Imported here: exact and inflected lookups, the common case, never need rapidfuzz.
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        if self._stem_list is None:
            self._stem_list = list(self.stems)
        best: dict[str, float] = {}
        best_distance = None
        for head, tail in text.splits(token):
            allowed = text.typo_allowance(len(head))
            if allowed == 0:
                continue
            for stem, distance, _ in process.extract(
                head, self._stem_list, scorer=OSA.distance, score_cutoff=allowed, limit=None
            ):
                if best_distance is not None and distance > best_distance:
                    continue
                if best_distance is None or distance < best_distance:
                    best, best_distance = {}, int(distance)
                quality = (1.0 - TYPO_COST * distance) * (INFLECTED if tail else EXACT)
                for word in self.stems[stem]:
                    best[word] = max(best.get(word, 0.0), quality)
        return best


def _person_labels(person: Person) -> list[str]:
    """Full name, first name(s) and surname, plus explicit aliases."""
    labels = [person.name, *person.aliases]
    parts = person.name.split()
    if len(parts) > 1:
        labels += [" ".join(parts[:-1]), parts[-1]]
    return labels


@dataclass(frozen=True, slots=True)
class Candidate:
    """An item with its confidence, before contacts are resolved."""

    item_id: str
    score: float
    matched: str


def rank(index: Index, query: str) -> list[Candidate]:
    """Every item that shares a word with the query, best first, with its confidence."""
    content = [t for t in dict.fromkeys(text.tokens(query)) if not index.is_noise(t)]
    if not content:
        return []
    matches = [index.lookup(token) for token in content]
    explained = sum(max(m.values(), default=0.0) for m in matches) / len(content)
    # cover[alias number][position] = best quality any query word gives that alias word
    cover: dict[int, dict[int, float]] = defaultdict(dict)
    for found in matches:
        for word, quality in found.items():
            for number, first, last in index.postings[word]:
                slots = cover[number]
                for pos in range(first, last + 1):
                    if quality > slots.get(pos, 0.0):
                        slots[pos] = quality
    best: dict[str, Candidate] = {}
    for number, slots in cover.items():
        alias = index.aliases[number]
        score = round(sum(slots.values()) / alias.size * explained, 4)
        current = best.get(alias.item_id)
        if current is None or score > current.score:
            best[alias.item_id] = Candidate(alias.item_id, score, alias.text)
    return sorted(best.values(), key=lambda c: (-c.score, c.item_id))


@dataclass(frozen=True, slots=True)
class Outcome:
    """Matches above the confidence threshold, and near misses to suggest when there are none."""

    matches: tuple[Match, ...]
    suggestions: tuple[Match, ...]


def lookup(
    registry: Registry,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    today: date | None = None,
    index: Index | None = None,
) -> Outcome:
    """Answer a query: confident matches, or up to three suggestions when there are none."""
    candidates = rank(index or Index.build(registry), query)
    good = [c for c in candidates if c.score >= THRESHOLD][:limit]
    near = [] if good else [c for c in candidates if c.score >= SUGGESTION_FLOOR][:3]
    return Outcome(
        tuple(to_match(registry, c, today) for c in good),
        tuple(to_match(registry, c, today) for c in near),
    )


def search(registry: Registry, query: str, *, limit: int = DEFAULT_LIMIT) -> list[Match]:
    """The confident matches for a query, best first (empty when nothing is close enough)."""
    return list(lookup(registry, query, limit=limit).matches)


def to_match(registry: Registry, candidate: Candidate, today: date | None = None) -> Match:
    """Resolve a candidate's contacts, following via entries and deputies."""
    item = registry.get(candidate.item_id)
    assert item is not None  # candidates come from this registry's own index
    if isinstance(item, Entry):
        people, through = registry.contacts_of(item)
        kind: Kind = item.kind
        via = through.id if through else item.via
    else:
        people, kind, via = (item,), "person", None
    return Match(
        id=item.id,
        kind=kind,
        name=item.name,
        score=candidate.score,
        matched=candidate.matched,
        via=via,
        contacts=stand_ins(registry, people, today),
    )


def stand_ins(
    registry: Registry, people: Sequence[Person], today: date | None
) -> tuple[Contact, ...]:
    """Contacts in order, with a deputy put first for anyone away on that day."""
    if today is None:
        return tuple(Contact(p) for p in people)
    out: list[Contact] = []
    for person in people:
        absence = person.absence_on(today)
        deputy = registry.people.get(person.deputy) if person.deputy else None
        if absence is not None and deputy is not None and deputy.absence_on(today) is None:
            out.append(Contact(deputy, stands_in_for=person, reason=absence.reason))
        out.append(Contact(person))
    # One person can appear twice (a deputy who is also a listed contact); keep the first.
    unique: dict[str, Contact] = {}
    for contact in out:
        unique.setdefault(contact.person.id, contact)
    return tuple(unique.values())


def resolve(
    registry: Registry, name: str, *, index: Index | None = None, fuzzy: bool = True
) -> Entry | Person:
    """The one entry or person a name given on the command line means.

    Tries the id, then an exact name or alias, then (when fuzzy) a search whose best match
    clearly beats the rest. Raises AmbiguousNameError or NotFoundError otherwise.
    """
    item = registry.get(name)
    if item is not None:
        return item
    index = index or Index.build(registry)
    ids = sorted(index.labels.get(" ".join(text.tokens(name)), set()))
    if not ids and fuzzy:
        ranked = [c for c in rank(index, name) if c.score >= THRESHOLD]
        top = [c.item_id for c in ranked if c.score == ranked[0].score] if ranked else []
        ids = top
    if len(ids) == 1:
        found = registry.get(ids[0])
        assert found is not None
        return found
    if ids:
        labels = [f"{i} ({item.name})" for i in ids if (item := registry.get(i)) is not None]
        raise AmbiguousNameError(name, ids, labels)
    raise NotFoundError(name)
