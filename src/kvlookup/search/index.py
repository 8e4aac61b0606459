"""The search index of a registry: alias words with their postings, sorted for prefix scans."""

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Literal, Protocol

from kvlookup.models import Entry, Person, Registry
from kvlookup.record import Record
from kvlookup.search import text

if TYPE_CHECKING:
    import re

# (item number, label number within the item, first and last content position covered)
Posting = tuple[int, int, int, int]
Tokenise = Callable[[str], Sequence[str]]


# Where in an item a label comes from; search weighs them differently and reports it.
Field = Literal["name", "alias", "title", "description", "email", "phone"]
# Fields whose labels name an item: a query can cover one whole, and `show NAME` finds it.
NAMING: frozenset[Field] = frozenset({"name", "alias", "title", "email", "phone"})
# Email and phone labels are one vocabulary word each, marked by a first character that no
# query word has, so that prefix scans for ordinary words never meet them: "@" before an
# address, and a phone number's E.164 form starts with "+" anyway.
EMAIL_MARK = "@"
PHONE_MARK = "+"


class Alias(Record):
    """One label of an item (a name, alias, title, description, email or phone)."""

    __slots__ = ("field", "item_id", "size", "text")

    def __init__(self, item_id: str, text: str, size: int, field: Field = "name") -> None:
        self.item_id = item_id
        self.text = text
        self.size = size  # content words the label has
        self.field = field


class Vocabulary(Protocol):
    """What search needs from an index, whether built in memory or read from the cache."""

    def postings(self, word: str) -> Sequence[Posting]:
        """Where a vocabulary word occurs."""
        ...

    def prefixed(self, prefix: str) -> Iterable[str]:
        """Vocabulary words beginning with prefix, in sorted order."""
        ...

    def alias(self, item: int, label: int) -> Alias:
        """Label number `label` of item number `item`."""
        ...


# Short noise words ("on", "en", "han") only count when typed exactly; inflecting them
# would swallow real words ("Hannun").
_SHORT_NOISE = frozenset(w for w in text.NOISE_WORDS if len(w) < 4)


@cache
def noise_stems(first: str) -> frozenset[str]:
    """Stems of the noise words of four or more letters that begin with the letter first."""
    # Per first letter (stems never change it): a query needs a few letters, and stemming
    # all 300 noise words cost most of a millisecond on every start.
    return frozenset(
        s for w in text.NOISE_WORDS if len(w) >= 4 and w[0] == first for s in text.stems(w)
    )


@lru_cache(maxsize=65536)
def is_noise(token: str) -> bool:
    """True for question wrappers and function words, in any inflected form."""
    if token in _SHORT_NOISE:
        return True
    if not token:
        return False
    long = noise_stems(token[0])
    if token in long:
        return True
    # The heads text.splits would yield, but the cheap test first: a head must be a noise
    # stem before its tail is worth checking as an ending. Indexing asks this of every word
    # of a registry (91,000 distinct ones at 100k entries).
    return any(
        token[:cut] in long and text.is_ending(token[cut:])
        for cut in range(len(token) - 1, max(text.MIN_STEM, len(token) - text.MAX_ENDING) - 1, -1)
    )


def content_size(words: Iterable[str]) -> int:
    """How many of an alias's words carry meaning (noise words excluded)."""
    return sum(1 for w in words if not is_noise(w))


def person_labels(person: Person) -> list[tuple[Field, str]]:
    """Full name, aliases, first name(s) and surname, titles, email and phone."""
    found: list[tuple[Field, str]] = [("name", person.name)]
    found += [("alias", a) for a in person.aliases]
    parts = person.name.split()
    if len(parts) > 1:
        found += [("name", " ".join(parts[:-1])), ("name", parts[-1])]
    found += [("title", t) for t in (person.title, person.title_en) if t]
    if person.email:
        found.append(("email", person.email))
    if person.phone:
        found.append(("phone", person.phone))
    return found


def labels(item: Entry | Person) -> list[tuple[Field, str]]:
    """Every label an item is found by, in a fixed order (postings refer to it by number)."""
    if isinstance(item, Person):
        return person_labels(item)
    found: list[tuple[Field, str]] = [("name", item.name)]
    found += [("alias", a) for a in item.aliases]
    found += [("description", d) for d in (item.description, item.description_en) if d]
    return found


def email_word(email: str) -> str:
    """The vocabulary word of an email address: marked, and in lower case."""
    return EMAIL_MARK + email.strip().lower()


def phone_word(phone: str) -> str:
    """The vocabulary word of a phone number in global form: E.164 ("+358405950009")."""
    # Imported here: only indexing and a query with digits need it, not a warm lookup.
    from kvlookup.contactinfo import stored_e164

    return stored_e164(phone) or PHONE_MARK


def label_words(field: Field, label: str, tokenise: "Tokenise") -> Sequence[str]:
    """The words of a label: an email or phone label is one word, others are tokenised."""
    if field == "email":
        return (email_word(label),)
    if field == "phone":
        return (phone_word(label),)
    return tokenise(label)


def items_of(registry: Registry) -> Iterator[Entry | Person]:
    """Entries then people, in file order: the numbering postings use."""
    yield from registry.entries.values()
    yield from registry.people.values()


def find_label(index: Vocabulary, label: str) -> set[str]:
    """Ids of the items with exactly this folded name or alias ("hannu koponen")."""
    words = label.split()
    content = [w for w in words if not is_noise(w)]
    if not content:
        return set()
    # Any content word's postings list every alias containing it; compare those whole.
    found: set[str] = set()
    for item, number, _, _ in index.postings(content[0]):
        alias = index.alias(item, number)
        if alias.field in ("name", "alias") and " ".join(text.tokens(alias.text)) == label:
            found.add(alias.item_id)
    return found


class MemoryIndex:
    """An index built in memory from a loaded registry."""

    def __init__(self) -> None:
        self.items: list[Entry | Person] = []
        # Postings of each word flattened four integers at a time ("I" array): a fraction of
        # the memory of tuples, and written to the cache as one blob.
        # A defaultdict: adding a posting is one line, and as fast as get-then-extend.
        self.words: dict[str, array[int]] = defaultdict(_postings)
        self._noise = _NoiseMemo()
        self._sorted: list[str] | None = None

    @classmethod
    def build(cls, registry: Registry, tokenise: Tokenise = text.tokens) -> "MemoryIndex":
        """Index every name and alias of every entry and person."""
        index = cls()
        for item in items_of(registry):
            index.add(item, tokenise)
        return index

    def add(self, item: Entry | Person, tokenise: Tokenise = text.tokens) -> None:
        """Index the labels of one item."""
        number = len(self.items)
        self.items.append(item)
        words = self.words
        noise = self._noise
        # A description word that a name, alias or title of the item already has would only
        # repeat weaker evidence: descriptions add only their own words.
        seen: set[str] = set()
        # This loop runs for every word of every label of the registry (1.5 million times
        # for 100k entries): the appends are inlined, not _positions, whose list and zip
        # cost half a second there.
        for label_number, (field, label) in enumerate(labels(item)):
            raw = label_words(field, label, tokenise)
            description = field == "description"
            if not description:
                seen.update(raw)
            size = 0
            for word in raw:
                if noise[word]:
                    continue
                if not description or word not in seen:
                    if description:
                        seen.add(word)
                    words[word].extend((number, label_number, size, size))
                size += 1
            if "- " in label and not description:
                for joined, start, end in _elided(label, raw, self._positions(raw)):
                    words[joined].extend((number, label_number, start, end))
            # A compound the label writes apart or hyphenated ("Eurooppa-toimisto") is found
            # by a query that writes it together through search's query-side split
            # (ranking._split). Indexing every adjacent pair joined as well made such pairs
            # 80% of the vocabulary of a registry with long names, and gave the same
            # answers on every query set (bench/quality.py).
        self._sorted = None

    def _positions(self, raw: Sequence[str]) -> list[int | None]:
        """Each word's position among a label's content words (None for a noise word)."""
        noise = self._noise
        positions: list[int | None] = []
        size = 0
        for word in raw:
            if noise[word]:
                positions.append(None)
            else:
                positions.append(size)
                size += 1
        return positions

    def postings(self, word: str) -> Sequence[Posting]:
        """Where a vocabulary word occurs."""
        flat = self.words.get(word)
        return unflatten(flat) if flat is not None else ()

    def sorted_words(self) -> list[str]:
        """The vocabulary in sorted order (computed once)."""
        if self._sorted is None:
            self._sorted = sorted(self.words)
        return self._sorted

    def prefixed(self, prefix: str) -> Iterator[str]:
        """Vocabulary words beginning with prefix, in sorted order."""
        ordered = self.sorted_words()
        i = bisect_left(ordered, prefix)
        while i < len(ordered) and ordered[i].startswith(prefix):
            yield ordered[i]
            i += 1

    def alias(self, item: int, label: int) -> Alias:
        """Label number `label` of item number `item`."""
        return alias_of(self.items[item], label)


def alias_of(item: Entry | Person, label: int) -> Alias:
    """Label number `label` of an item, with its field and size."""
    field, name = labels(item)[label]
    return Alias(item.id, name, content_size(label_words(field, name, text.tokens)), field)


def _elided(
    label: str, raw: Sequence[str], positions: Sequence[int | None]
) -> Iterator[tuple[str, int, int]]:
    """Compounds a label writes with a shared last part: (word, first, last position).

    "tutkimus- ja innovaatiopalvelujen johtaja" means "tutkimuspalvelujen ja
    innovaatiopalvelujen": the first compound is yielded whole, its last part taken from
    the second compound as the longest ending that is a word of the language.
    """
    for match in _regex(_ELIDED).finditer(text.fold(label)):
        left, right = match.group(1), match.group(2)
        if left not in raw or right not in raw:
            continue
        first, second = positions[raw.index(left)], positions[raw.index(right)]
        if first is None or second is None:
            continue
        if tail := _shared_tail(right):
            yield left + tail, first, second


@lru_cache(maxsize=16384)
def _shared_tail(compound: str) -> str:
    """The longest ending of a compound that is a word of its own, or "" when none is."""
    # Memoised: the compounds after "X- ja" repeat across a registry (-palvelut, -asiat),
    # and each try is a binary search of the lexicon.
    from kvlookup.search import lexicon

    for cut in range(3, len(compound) - 3):
        if lexicon.zipf(compound[cut:]) >= _ELIDED_HEAD:
            return compound[cut:]
    return ""


# "X- ja Y", "X- tai Y", "X- sekä Y" (and English "X- and Y"), folded.
_ELIDED = r"\b([0-9a-z]+)-\s+(?:ja|tai|seka|and|or)\s+([0-9a-z]+)"
# How common (Zipf) the shared last part must be as a word of its own.
_ELIDED_HEAD = 3.0


@cache
def _regex(pattern: str) -> "re.Pattern[str]":
    import re

    return re.compile(pattern)


class _NoiseMemo(dict[str, bool]):
    """is_noise of each word seen, as a plain dict: indexing asks it of every word."""

    # A dict, not is_noise's own LRU cache: a hit is one C lookup, and a registry's
    # vocabulary (129,000 words with long names) would thrash a bounded cache.
    def __missing__(self, word: str) -> bool:
        self[word] = flag = is_noise(word)
        return flag


def _postings() -> "array[int]":
    return array("I")


def unflatten(flat: Sequence[int]) -> list[Posting]:
    """Postings from their flat four-integers-each form."""
    return [(flat[i], flat[i + 1], flat[i + 2], flat[i + 3]) for i in range(0, len(flat), 4)]
