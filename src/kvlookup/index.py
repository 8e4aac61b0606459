"""The search index of a registry: alias words with their postings, sorted for prefix scans."""

from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache, lru_cache
from typing import NamedTuple, Protocol

from kvlookup import text
from kvlookup.models import Entry, Person, Registry

# (item number, label number within the item, first and last content position covered)
Posting = tuple[int, int, int, int]
Tokenise = Callable[[str], Sequence[str]]


class Alias(NamedTuple):
    """One name of an item, as the index sees it."""

    item_id: str
    text: str
    size: int  # content words the alias has


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
    long = noise_stems(token[0]) if token else frozenset()
    return any(head in long for head, _ in text.splits(token))


def content_size(words: Iterable[str]) -> int:
    """How many of an alias's words carry meaning (noise words excluded)."""
    return sum(1 for w in words if not is_noise(w))


def person_labels(person: Person) -> list[str]:
    """Full name, first name(s) and surname, plus explicit aliases."""
    labels = [person.name, *person.aliases]
    parts = person.name.split()
    if len(parts) > 1:
        labels += [" ".join(parts[:-1]), parts[-1]]
    return labels


def labels(item: Entry | Person) -> list[str]:
    """Every label an item is found by, in a fixed order (postings refer to it by number)."""
    if isinstance(item, Person):
        return person_labels(item)
    return [item.name, *item.aliases]


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
        if " ".join(text.tokens(alias.text)) == label:
            found.add(alias.item_id)
    return found


class MemoryIndex:
    """An index built in memory from a loaded registry."""

    def __init__(self) -> None:
        self.items: list[Entry | Person] = []
        # Postings of each word flattened four integers at a time ("I" array): a fraction of
        # the memory of tuples, and written to the cache as one blob.
        self.words: dict[str, array[int]] = {}
        self._noise: dict[str, bool] = {}
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
        # Inlined appends and a plain-dict noise memo: this loop runs for every word of every
        # alias of the registry (1.5 million times for 100k entries).
        for label_number, label in enumerate(labels(item)):
            raw = tokenise(label)
            # Position of each raw word among the alias's content words (None for noise).
            positions: list[int | None] = []
            size = 0
            for word in raw:
                flag = noise.get(word)
                if flag is None:
                    flag = noise[word] = is_noise(word)
                if flag:
                    positions.append(None)
                    continue
                positions.append(size)
                posting = (number, label_number, size, size)
                flat = words.get(word)
                if flat is None:
                    words[word] = array("I", posting)
                else:
                    flat.extend(posting)
                size += 1
            # Compounds are written together, apart or hyphenated ("Eurooppa-toimisto",
            # "eurooppatoimisto"), so adjacent words also stand as one joined word.
            for i in range(len(raw) - 1):
                first, second = positions[i], positions[i + 1]
                if first is None:
                    if second is None:
                        continue
                    first = second
                elif second is None:
                    second = first
                posting = (number, label_number, first, second)
                joined = raw[i] + raw[i + 1]
                flat = words.get(joined)
                if flat is None:
                    words[joined] = array("I", posting)
                else:
                    flat.extend(posting)
        self._sorted = None

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
        found = self.items[item]
        name = labels(found)[label]
        return Alias(found.id, name, content_size(text.tokens(name)))


def unflatten(flat: Sequence[int]) -> list[Posting]:
    """Postings from their flat four-integers-each form."""
    return [(flat[i], flat[i + 1], flat[i + 2], flat[i + 3]) for i in range(0, len(flat), 4)]
