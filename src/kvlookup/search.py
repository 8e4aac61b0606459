"""Rank registry entries and people against a free-form Finnish or English query."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from kvlookup import text
from kvlookup.errors import AmbiguousNameError, NotFoundError
from kvlookup.index import MemoryIndex, Vocabulary, find_label, is_noise
from kvlookup.models import Contact, Entry, Kind, Match, Person, Registry

# A match must name most of one alias and explain most of the query (see rank). The
# confidence is compared with THRESHOLD: one word of a two-word alias ("office" against
# "Brussels office") scores 0.5 and is only a suggestion; a full alias with one typo passes.
THRESHOLD = 0.6
SUGGESTION_FLOOR = 0.2
EXACT = 1.0
INFLECTED = 0.97
TYPO_COST = 0.12
DEFAULT_LIMIT = 5
# Letters at the end of a word that inflection may change (koponen -> kopos-ta).
STEM_CHANGE = 3


def lookup_word(index: Vocabulary, token: str) -> dict[str, float]:
    """Vocabulary words a query word may stand for, with the quality of each match."""
    heads = dict(text.splits(token))
    shortest = min(len(h) for h in heads)
    longest = max(len(h) for h in heads)
    found: dict[str, float] = {}
    # Every stem keeps its word's first letter and all but (at most) the last three, so the
    # words a head can be a stem of all start with the head minus three letters: one scan.
    for word in index.prefixed(token[: max(1, shortest - STEM_CHANGE)]):
        if not shortest - STEM_CHANGE <= len(word) <= longest + STEM_CHANGE:
            continue
        word_stems = text.stems(word)
        for head, tail in heads.items():
            if head in word_stems:
                quality = EXACT if (head == word and not tail) else INFLECTED
                if quality > found.get(word, 0.0):
                    found[word] = quality
    return found or _typo_lookup(index, heads)


def _typo_lookup(index: Vocabulary, heads: dict[str, str]) -> dict[str, float]:
    """Words within the typo allowance of a head, compared with each word's stems."""
    # Imported here: exact and inflected lookups, the common case, never need rapidfuzz.
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    typable = {h: t for h, t in heads.items() if text.typo_allowance(len(h)) > 0}
    if not typable:
        return {}
    # People rarely mistype the first letter; keeping it bounds the scan on big registries.
    first = next(iter(typable))[0]
    pool = list(index.prefixed(first))
    best: dict[str, float] = {}
    best_distance: int | None = None
    for head, tail in typable.items():
        allowed = text.typo_allowance(len(head))
        # A stem differs from its word in at most STEM_CHANGE letters, so a word whose stem
        # is within `allowed` of the head is within allowed + STEM_CHANGE of it.
        for word, _, _ in process.extract(
            head, pool, scorer=OSA.distance, score_cutoff=allowed + STEM_CHANGE, limit=None
        ):
            distance = min(OSA.distance(head, s) for s in text.stems(word))
            if distance > allowed or (best_distance is not None and distance > best_distance):
                continue
            if best_distance is None or distance < best_distance:
                best, best_distance = {}, distance
            quality = (1.0 - TYPO_COST * distance) * (INFLECTED if tail else EXACT)
            best[word] = max(best.get(word, 0.0), quality)
    return best


class Candidate(NamedTuple):
    """An item with its confidence, before contacts are resolved."""

    item_id: str
    score: float
    matched: str


def rank(index: Vocabulary, query: str) -> list[Candidate]:
    """Every item that shares a word with the query, best first, with its confidence.

    confidence = how much of one alias the query covers, times how much of the query is
    explained at all, times (1 + the share of the query this item explains itself) / 2: a
    query spelling out a federation's long name ranks the federation above a topic whose
    whole one-word alias ("energy") is one of the query's words.
    """
    content = [t for t in dict.fromkeys(text.tokens(query)) if not is_noise(t)]
    if not content:
        return []
    matches = [lookup_word(index, token) for token in content]
    explained = sum(max(m.values(), default=0.0) for m in matches) / len(content)
    # cover[(item, label)][position] = best quality any query word gives that alias word
    cover: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
    # own[item] = the query words that item's own names match
    own: dict[int, set[int]] = defaultdict(set)
    for number, found in enumerate(matches):
        for word, quality in found.items():
            for item, label, first, last in index.postings(word):
                own[item].add(number)
                slots = cover[item, label]
                for pos in range(first, last + 1):
                    if quality > slots.get(pos, 0.0):
                        slots[pos] = quality
    best: dict[str, Candidate] = {}
    for (item, label), slots in cover.items():
        alias = index.alias(item, label)
        share = len(own[item]) / len(content)
        score = round(sum(slots.values()) / alias.size * explained * (1 + share) / 2, 4)
        current = best.get(alias.item_id)
        if current is None or score > current.score:
            best[alias.item_id] = Candidate(alias.item_id, score, alias.text)
    return sorted(best.values(), key=lambda c: (-c.score, c.item_id))


class Outcome(NamedTuple):
    """Matches above the confidence threshold, and near misses to suggest when there are none."""

    matches: tuple[Match, ...]
    suggestions: tuple[Match, ...]


def lookup(
    registry: Registry,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    today: date | None = None,
    index: Vocabulary | None = None,
) -> Outcome:
    """Answer a query: confident matches, or up to three suggestions when there are none."""
    candidates = rank(index or MemoryIndex.build(registry), query)
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
    registry: Registry, name: str, *, index: Vocabulary | None = None, fuzzy: bool = True
) -> Entry | Person:
    """The one entry or person a name given on the command line means.

    Tries the id, then an exact name or alias, then (when fuzzy) a confident search whose
    top score belongs to one item alone. Raises AmbiguousNameError or NotFoundError
    otherwise.
    """
    item = registry.get(name)
    if item is not None:
        return item
    index = index or MemoryIndex.build(registry)
    ids = sorted(find_label(index, " ".join(text.tokens(name))))
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
