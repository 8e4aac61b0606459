"""The search index of a registry: alias words with their postings, sorted for prefix scans."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from kvlookup import text
from kvlookup.models import Person, Registry

# (alias number, first content position, last content position) covered by a word
Posting = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Alias:
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
        """Vocabulary words beginning with prefix."""
        ...

    def alias(self, number: int) -> Alias:
        """The alias with this number."""
        ...

    def label_ids(self, label: str) -> set[str]:
        """Ids of the items with exactly this folded name or alias."""
        ...


@lru_cache(maxsize=1)
def noise_stems() -> tuple[frozenset[str], frozenset[str]]:
    """Stems of the longer noise words, and the short noise words matched only exactly."""
    # Short noise words ("on", "en", "han") only count when typed exactly; inflecting them
    # would swallow real words ("Hannun").
    long = frozenset(s for w in text.NOISE_WORDS if len(w) >= 4 for s in text.stems(w))
    return long, frozenset(w for w in text.NOISE_WORDS if len(w) < 4)


@lru_cache(maxsize=65536)
def is_noise(token: str) -> bool:
    """True for question wrappers and function words, in any inflected form."""
    long, short = noise_stems()
    return token in short or any(head in long for head, _ in text.splits(token))


def person_labels(person: Person) -> list[str]:
    """Full name, first name(s) and surname, plus explicit aliases."""
    labels = [person.name, *person.aliases]
    parts = person.name.split()
    if len(parts) > 1:
        labels += [" ".join(parts[:-1]), parts[-1]]
    return labels


def labels_of(registry: Registry) -> Iterator[tuple[str, str]]:
    """(item id, label) for every name and alias in the registry."""
    for entry in registry.entries.values():
        yield entry.id, entry.name
        for alias in entry.aliases:
            yield entry.id, alias
    for person in registry.people.values():
        for label in person_labels(person):
            yield person.id, label


class MemoryIndex:
    """An index built in memory from a loaded registry."""

    def __init__(self) -> None:
        self.aliases: list[Alias] = []
        self.words: dict[str, list[Posting]] = {}
        self.labels: dict[str, set[str]] = {}
        self._sorted: list[str] | None = None

    @classmethod
    def build(cls, registry: Registry) -> MemoryIndex:
        """Index every name and alias of every entry and person."""
        index = cls()
        for item_id, label in labels_of(registry):
            index.add(item_id, label)
        return index

    def add(self, item_id: str, label: str) -> None:
        """Index one label of an item."""
        raw = text.tokens(label)
        key = " ".join(raw)
        ids = self.labels.get(key)
        if ids is None:
            self.labels[key] = {item_id}
        else:
            ids.add(item_id)
        # Position of each raw word among the alias's content words (None for noise words).
        positions: list[int | None] = []
        size = 0
        for word in raw:
            if is_noise(word):
                positions.append(None)
            else:
                positions.append(size)
                size += 1
        if size == 0:
            return
        number = len(self.aliases)
        self.aliases.append(Alias(item_id, label, size))
        words = self.words
        for word, pos in zip(raw, positions, strict=True):
            if pos is not None:
                words.setdefault(word, []).append((number, pos, pos))
        # Compounds are written together, apart or hyphenated ("Eurooppa-toimisto",
        # "eurooppatoimisto"), so adjacent words also stand as one joined word.
        for i in range(len(raw) - 1):
            first, second = positions[i], positions[i + 1]
            if first is None and second is None:
                continue
            lo = first if first is not None else second
            hi = second if second is not None else first
            assert lo is not None and hi is not None
            words.setdefault(raw[i] + raw[i + 1], []).append((number, lo, hi))
        self._sorted = None

    def postings(self, word: str) -> Sequence[Posting]:
        """Where a vocabulary word occurs."""
        return self.words.get(word, ())

    def prefixed(self, prefix: str) -> Iterator[str]:
        """Vocabulary words beginning with prefix, in sorted order."""
        if self._sorted is None:
            self._sorted = sorted(self.words)
        ordered = self._sorted
        i = bisect_left(ordered, prefix)
        while i < len(ordered) and ordered[i].startswith(prefix):
            yield ordered[i]
            i += 1

    def alias(self, number: int) -> Alias:
        """The alias with this number."""
        return self.aliases[number]

    def label_ids(self, label: str) -> set[str]:
        """Ids of the items with exactly this folded name or alias."""
        return self.labels.get(label, set())
