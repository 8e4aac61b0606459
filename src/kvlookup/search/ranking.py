"""Rank registry entries and people against a free-form Finnish or English query."""

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from kvlookup.errors import AmbiguousNameError, NotFoundError
from kvlookup.models import Contact, Entry, Kind, Match, Person, Registry
from kvlookup.record import Record
from kvlookup.search import lexicon, text
from kvlookup.search.index import (
    EMAIL_MARK,
    NAMING,
    Field,
    MemoryIndex,
    Vocabulary,
    email_word,
    find_label,
    is_noise,
    phone_word,
)

# The confidence every returned match reaches (the JSON contract's 0.6); below it the
# answer is "no match", with up to three suggestions above SUGGESTION_FLOOR.
THRESHOLD = 0.6
SUGGESTION_FLOOR = 0.2
EXACT = 1.0
INFLECTED = 0.97
TYPO_COST = 0.12
DEFAULT_LIMIT = 5
# A typo in the first letter is forgiven only in words at least this long ("kreadis").
FIRST_LETTER_TYPO = 6
# A query word at least this common in the language (Zipf) is taken as spelt right.
TYPO_COMMON = 3.5
# Shortest base two inflected forms must share to count as one word.
MIN_LEMMA = 5
# A compound the registry writes apart: each part at least this long, found this well.
MIN_PART = 4
COMPOUND = 0.9


class Weights(Record):
    """The constants of ranking; docs/search.md says what each does and how it was fitted."""

    __slots__ = (
        "alias",
        "bar",
        "common",
        "description",
        "email",
        "known",
        "name",
        "ordinary",
        "other_person",
        "phone",
        "rare",
        "title",
        "unknown",
    )

    def __init__(
        self,
        *,
        # How much a match in each field counts, against a name or alias.
        name: float = 1.0,
        alias: float = 1.0,
        title: float = 0.9,
        description: float = 0.8,
        email: float = 1.0,
        phone: float = 1.0,
        # Bits of evidence (_information: 9 minus a word's Zipf frequency) that answer
        # without a whole label.
        bar: float = 8.0,
        # An unexplained word costs its information, times `ordinary` when the word is
        # common in the language (Zipf `common` or more; scaled between `rare` and
        # `common`), and at least `known` bits when some item of the registry has it,
        # `unknown` bits when none has.
        ordinary: float = 0.25,
        rare: float = 2.5,
        common: float = 3.5,
        known: float = 1.0,
        unknown: float = 2.5,
        # Confidence left to a person found by one name when the query's next word would
        # be another first name or surname ("Sari Heikkinen" is not Anna-Kaisa Heikkinen).
        other_person: float = 0.5,
    ) -> None:
        self.name = name
        self.alias = alias
        self.title = title
        self.description = description
        self.email = email
        self.phone = phone
        self.bar = bar
        self.ordinary = ordinary
        self.rare = rare
        self.common = common
        self.known = known
        self.unknown = unknown
        self.other_person = other_person


WEIGHTS = Weights()


def lookup_word(index: Vocabulary, token: str) -> dict[str, float]:
    """Vocabulary words a query word may stand for, with the quality of each match."""
    found = _inflected(index, token)
    # A word the language uses often is no typo: "sari" is a first name, not "Sarin" mistyped.
    if found or lexicon.zipf(token) >= TYPO_COMMON:
        return found
    return _split(index, token) or _typo_lookup(index, token) or _split(index, token, mistyped=True)


def _split(index: Vocabulary, token: str, mistyped: bool = False) -> dict[str, float]:
    """The words of a compound that the registry has apart ("rakennerahasto|asiantuntija");
    mistyped: the last part may also have a typo ("eurooppa|toimsto")."""
    # The first part must be a registry word or the base form a registry word starts with
    # (compound modifiers are in base form: "rakennerahasto" of "rakennerahastot"); the
    # last part may be inflected. A typo in it is tried last, after one in the whole word.
    find_tail = _typo_lookup if mistyped else _inflected
    for cut in range(len(token) - MIN_PART, MIN_PART - 1, -1):
        left = token[:cut]
        head = {
            w: EXACT if w == left else INFLECTED
            for w in itertools.islice(index.prefixed(left), _SPLIT_SCAN)
            if w == left or left in text.stems(w)
        }
        if not head:
            continue
        tail = find_tail(index, token[cut:])
        if tail:
            return {word: quality * COMPOUND for word, quality in (head | tail).items()}
        if mistyped:
            # One typo scan, after the longest first part: a scan per cut would read
            # thousands of words each on a big registry.
            return {}
    return {}


# Registry words looked at per first part of a compound: those that start with it.
_SPLIT_SCAN = 64


def _inflected(index: Vocabulary, token: str) -> dict[str, float]:
    """Vocabulary words that token is, or is an inflected form of, or shares a base with."""
    heads = dict(text.splits(token))
    shortest = min(len(h) for h in heads)
    longest = max(len(h) for h in heads)
    # Heads long enough to meet an inflected registry word on a shared base (_same_lemma),
    # and the stems they may take.
    bases = frozenset(h for h in heads if len(h) >= MIN_LEMMA)
    base_stems = frozenset(s for h in bases for s in text.stems(h)) | bases
    found: dict[str, float] = {}
    # Every stem keeps its word's first letter and all but (at most) the last three, so the
    # words a head can be a stem of all start with the head minus three letters: one scan.
    for word in index.prefixed(token[: max(1, shortest - text.STEM_CHANGE)]):
        if len(word) < shortest - text.STEM_CHANGE:
            continue
        quality = 0.0
        if len(word) <= longest + text.STEM_CHANGE:
            word_stems = text.stems(word)
            for head, tail in heads.items():
                if head in word_stems:
                    quality = max(quality, EXACT if (head == word and not tail) else INFLECTED)
        if (
            not quality
            and bases
            # a shared base keeps at least its first two letters (MIN_LEMMA - text.STEM_CHANGE)
            and word.startswith(token[:2])
            and len(word) <= longest + text.MAX_ENDING
            and _same_lemma(word, bases, base_stems)
        ):
            quality = INFLECTED
        if quality:
            found[word] = quality
    return found


def _same_lemma(word: str, bases: frozenset[str], base_stems: frozenset[str]) -> bool:
    """True when a registry word that is itself inflected ("kiertotalouden", "Keksintöjen")
    and the query word are forms of one base word ("kiertotalous", "keksinnöstä")."""
    for whead, wtail in text.splits(word):
        if not wtail or len(whead) < MIN_LEMMA:
            continue
        if whead in base_stems:
            return True
        # A query base can be a stem of whead only if it keeps whead's start (text.stems).
        keep = whead[: len(whead) - text.STEM_CHANGE]
        if any(b.startswith(keep) for b in bases) and not bases.isdisjoint(text.stems(whead)):
            return True
    return False


def _typo_lookup(index: Vocabulary, token: str) -> dict[str, float]:
    """Words within the typo allowance of token or a head of it (text.splits), compared
    with each word's stems."""
    typable = {h: t for h, t in text.splits(token) if text.typo_allowance(len(h)) > 0}
    if not typable:
        return {}
    # People rarely mistype the first letter, so the scan keeps it first: that bounds it on
    # big registries.
    best = _typo_scan(typable, list(index.prefixed(token[0])))
    if best or len(token) < FIRST_LETTER_TYPO:
        return best
    # A long word may have a wrong, missing or extra first letter, or its first two
    # swapped: then the scan is by the letters after it, one prefix per way the word may
    # have started; only words of about the token's length.
    starts = {c + token[1:3] for c in _LETTERS} | {c + token[:2] for c in _LETTERS}
    starts |= {token[1:3], token[1] + token[0] + token[2]}
    pool = [
        word
        for prefix in sorted(p for p in starts if p[0] != token[0])
        for word in index.prefixed(prefix)
        if abs(len(word) - len(token)) <= text.STEM_CHANGE + 1
    ]
    return _typo_scan(typable, pool)


def _typo_scan(typable: dict[str, str], pool: list[str]) -> dict[str, float]:
    """The words of pool nearest to a head within its typo allowance, with their quality."""
    # Imported here: exact and inflected lookups, the common case, never scan for typos.
    from kvlookup.search import typos

    best: dict[str, float] = {}
    best_distance: int | None = None
    for head, tail in typable.items():
        for word, distance in typos.near(head, pool, text.typo_allowance(len(head))):
            if best_distance is not None and distance > best_distance:
                continue
            if best_distance is None or distance < best_distance:
                best, best_distance = {}, distance
            quality = (1.0 - TYPO_COST * distance) * (INFLECTED if tail else EXACT)
            best[word] = max(best.get(word, 0.0), quality)
    return best


_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


class Candidate(Record):
    """An item with its confidence, before contacts are resolved."""

    __slots__ = ("field", "item_id", "matched", "score")

    def __init__(self, item_id: str, score: float, matched: str, field: Field = "name") -> None:
        self.item_id = item_id
        self.score = score
        self.matched = matched
        self.field = field


class _Query:
    """A query taken apart: its content words, and email or phone words found in it."""

    __slots__ = ("exact", "words")  # as cli.Invocation: no NamedTuple

    def __init__(self, words: tuple[str, ...], exact: tuple[str, ...]) -> None:
        self.words = words
        self.exact = exact  # vocabulary words of emails and phones (index.email_word ...)


def parse_query(query: str) -> _Query:
    """Content words of a query, with emails and phone numbers taken out whole."""
    exact: list[str] = []
    rest = query
    if "@" in rest:
        for found in _regex(_EMAIL).findall(rest):
            exact.append(email_word(found.strip(".")))
            rest = rest.replace(found, " ")
    if any(c.isdigit() for c in rest):
        from kvlookup import contactinfo  # phonenumbers: only a query with digits needs it

        for found in _regex(_PHONE).findall(rest):
            e164 = contactinfo.e164(found)
            if e164:
                exact.append(phone_word(e164))
                rest = rest.replace(found, " ")
    words = tuple(t for t in dict.fromkeys(text.tokens(rest)) if not is_noise(t))
    return _Query(words, tuple(exact))


_EMAIL = r"[^\s@<>(),;:\"'?!]+@[^\s@<>(),;:\"'?!]*"
_PHONE = r"(?<![\w+])\+?[0-9][0-9 ()./-]{5,}[0-9](?![\w])"


@cache
def _regex(pattern: str) -> "re.Pattern[str]":
    """pattern, compiled on first use and then kept."""
    import re

    return re.compile(pattern)


def _information(token: str, words: Iterable[str]) -> float:
    """What a query word says, in bits: CEILING minus the Zipf frequency of it or of the
    words it matched, whichever is commoner (an inflected form is rarer than its word)."""
    frequency = max(
        (lexicon.zipf(w) for w in (token, *(h for h, t in text.splits(token) if t), *words)),
        default=lexicon.RARE,
    )
    return lexicon.CEILING - frequency


def _cost(token: str, known: bool, weights: Weights) -> float:
    """What a query word costs an item that does not explain it: ordinary words cost little."""
    info = _information(token, ())
    frequency = lexicon.CEILING - info
    share = min(1.0, max(0.0, (frequency - weights.rare) / (weights.common - weights.rare)))
    discount = 1.0 - share * (1.0 - weights.ordinary)
    return max(weights.known if known else weights.unknown, info * discount)


class _Evidence:
    """What the query's words found in one item."""

    __slots__ = ("best", "slots")

    def __init__(self) -> None:
        # best[k] = (weighted quality, label number) of query word k's best match here
        self.best: dict[int, tuple[float, int]] = {}
        # slots[label][position] = best quality any query word gives that label word
        self.slots: dict[int, dict[int, float]] = defaultdict(dict)


class _Word:
    """One query word as every item is judged by it."""

    __slots__ = ("cost", "info", "name_only", "naming", "spread")  # as cli.Invocation

    def __init__(
        self, info: float, cost: float, spread: int, naming: float, name_only: bool
    ) -> None:
        self.info = info  # what it says, in bits (_information)
        self.cost = cost  # what it costs an item that does not explain it (_cost)
        self.spread = spread  # how many items it is found in
        self.naming = naming  # how well it names some item (0 when it names none)
        self.name_only = name_only  # found only as a first name or surname of people


def rank(index: Vocabulary, query: str, weights: Weights = WEIGHTS) -> list[Candidate]:
    """Every item the query finds evidence for, best first, with its confidence.

    Each query word is looked up (exactly, inflected, as a compound, with a typo) and
    weighed by how much it says (lexicon.zipf). An item's confidence is how sufficient its
    evidence is (a whole name, alias, title, email or phone; or enough bits), times the
    share of the query it explains, where ordinary unexplained words cost little and the
    question's real subject costs a lot. docs/search.md explains it all.
    """
    parsed = parse_query(query)
    if not parsed.words and not parsed.exact:
        return []
    found = _lookup_all(index, parsed)
    field_weight = weights._asdict()
    evidence: dict[int, _Evidence] = defaultdict(_Evidence)
    words: list[_Word] = []
    for number, matches in enumerate(found):
        naming = 0.0
        items: set[int] = set()
        fields: set[Field] = set()
        parts: set[int] = set()  # items where the word is a first name or surname
        for word, quality in matches.items():
            for item, label, first, last in index.postings(word):
                field = index.alias(item, label).field
                weighted = quality * field_weight[field]
                items.add(item)
                fields.add(field)
                if field == "name" and label > 0:
                    parts.add(item)
                if field in NAMING:
                    naming = max(naming, weighted)
                ev = evidence[item]
                if weighted > ev.best.get(number, (0.0, 0))[0]:
                    ev.best[number] = (weighted, label)
                slots = ev.slots[label]
                for pos in range(first, last + 1):
                    if quality > slots.get(pos, 0.0):
                        slots[pos] = quality
        if number < len(parsed.words):
            token = parsed.words[number]
            info = _information(token, matches)
            cost = _cost(token, bool(items), weights)
        else:  # an email or a phone number says all there is to say
            info = cost = lexicon.CEILING
        name_only = fields == {"name"} and parts == items
        words.append(_Word(info, cost, len(items), naming, name_only))
    judged = [_judge(index, item, ev, words, weights) for item, ev in evidence.items()]
    judged.sort(key=lambda c: (-c[0].score, -c[1], c[0].item_id))
    return [candidate for candidate, _ in judged]


def _lookup_all(index: Vocabulary, parsed: _Query) -> list[dict[str, float]]:
    """The vocabulary words each query word (then each email or phone) stands for."""
    words = parsed.words
    found = [dict(lookup_word(index, w)) for w in words]
    # A compound written apart ("tutkimus etiikka", "aineiston-hallinta") is found joined.
    for k in range(len(words) - 1):
        for word, quality in _inflected(index, words[k] + words[k + 1]).items():
            for side in (k, k + 1):
                if quality > found[side].get(word, 0.0):
                    found[side][word] = quality
    found += [dict.fromkeys(_exact_words(index, word), EXACT) for word in parsed.exact]
    return found


def _exact_words(index: Vocabulary, word: str) -> list[str]:
    """An email or phone word, or (for a partial email, as mail clients send) its completions."""
    if index.postings(word):
        return [word]
    return list(index.prefixed(word))[:50] if word.startswith(EMAIL_MARK) else []


def _judge(
    index: Vocabulary, item: int, ev: _Evidence, words: Sequence[_Word], weights: Weights
) -> tuple[Candidate, float]:
    """An item's confidence and specificity from the evidence the query found in it."""
    # Evidence in bits, each word weighted by its field.
    bits = sum(words[k].info * q for k, (q, _) in ev.best.items())
    # A word this item lacks either names another item ("FEDARENE ja ERRIN": two subjects,
    # each answered) or is unexplained, and costs what _cost says.
    missing = [w for k, w in enumerate(words) if k not in ev.best]
    elsewhere = sum(w.info * w.naming for w in missing)
    unexplained = sum(w.cost for w in missing if not w.naming)
    # A word this item has only in its description, while another item is named by it, is
    # about that other item too ("luovan talouden CREADIS3-hanke" asks about CREADIS3, not
    # about the topic whose description mentions it).
    elsewhere += sum(
        words[k].info * words[k].naming
        for k, (_, label) in ev.best.items()
        if words[k].naming and index.alias(item, label).field == "description"
    )
    coverage = (bits + elsewhere) / (bits + elsewhere + unexplained)
    share = (1 + bits / (bits + elsewhere)) / 2
    sufficiency = min(1.0, bits / weights.bar)
    # Ranking among equals: words found in fewer items say more about this one.
    specific = sum(
        words[k].info * q / (1 + math.log2(max(1, words[k].spread)))
        for k, (q, _) in ev.best.items()
    )
    # The label to report: a whole one, else the one most covered; the first of equals.
    best_label, best_key, whole = -1, (False, -1.0, 0), 0.0
    for label, slots in ev.slots.items():
        alias = index.alias(item, label)
        complete = alias.field in NAMING and alias.size > 0 and len(slots) >= alias.size
        if complete:
            whole = max(whole, min(slots.values()) * getattr(weights, alias.field))
        key = (complete, len(slots) / max(1, alias.size), -label)
        if key > best_key:
            best_label, best_key = label, key
    alias = index.alias(item, best_label)
    confidence = max(whole, sufficiency) * coverage * share
    if alias.field == "name" and _other_person(index, item, ev, words, best_label):
        confidence *= weights.other_person
    return Candidate(alias.item_id, round(confidence, 4), alias.text, alias.field), specific


def _other_person(
    index: Vocabulary, item: int, ev: _Evidence, words: Sequence[_Word], label: int
) -> bool:
    """True when a person matched by first name or surname alone seems named otherwise.

    The surname of one person with, in the first-name slot before it, a word no item knows
    or a name only other people have, is another person; the same for a known first name
    with such a word in the surname slot after it.
    """
    if label == 0:
        return False  # the full name
    part = index.alias(item, label).text
    full = index.alias(item, 0).text
    if part == full or not ev.best:
        return False
    neighbour = max(ev.best) + 1 if full.startswith(part) else min(ev.best) - 1
    if not 0 <= neighbour < len(words):
        return False
    # "FEDARENE Koponen" is not another Koponen: FEDARENE names an entry.
    return words[neighbour].spread == 0 or words[neighbour].name_only


if TYPE_CHECKING:
    import re


def confident(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates to answer with: at or above THRESHOLD, and found in a description
    only when nothing was found by name, alias, title, email or phone."""
    good = [c for c in candidates if c.score >= THRESHOLD]
    if any(c.field in NAMING for c in good):
        # "FEDARENE" names the federation; the topic whose description mentions it is
        # reached through it and is not a second answer.
        good = [c for c in good if c.field in NAMING]
    return good


class Outcome(Record):
    """Matches above the confidence threshold, and near misses to suggest when there are none."""

    __slots__ = ("matches", "suggestions")

    def __init__(self, matches: tuple[Match, ...], suggestions: tuple[Match, ...]) -> None:
        self.matches = matches
        self.suggestions = suggestions


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
    good = confident(candidates)[:limit]
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
        matched_field=candidate.field,
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
        out.append(Contact(person, away=absence))
    # One person can appear twice (a deputy who is also a listed contact); keep the first.
    unique: dict[str, Contact] = {}
    for contact in out:
        unique.setdefault(contact.person.id, contact)
    return tuple(unique.values())


def resolve(
    registry: Registry,
    name: str,
    *,
    index: Vocabulary | None = None,
    fuzzy: bool = True,
    exact: Callable[[str], set[str]] | None = None,
) -> Entry | Person:
    """The one entry or person a name given on the command line means.

    Tries the id, then an exact name or alias, then (when fuzzy) a confident search whose
    top score belongs to one item alone. Raises AmbiguousNameError or NotFoundError
    otherwise. exact: find_label's answer (ids by name words) without an index.
    """
    item = registry.get(name)
    if item is not None:
        return item
    label = " ".join(text.tokens(name))
    if exact is None:
        index = index or MemoryIndex.build(registry)
        ids = sorted(find_label(index, label))
    else:
        ids = sorted(exact(label))
    if not ids and fuzzy:
        index = index or MemoryIndex.build(registry)
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
