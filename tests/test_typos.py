"""The typo scan: OSA distance, the letter bounds that skip words, and the stem floor."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from kvlookup.search import text, typos
from kvlookup.search.index import MemoryIndex
from kvlookup.sources import registry

from .conftest import BUNDLED

DATA = Path(__file__).parent / "data"
REGISTRIES = [
    BUNDLED,
    DATA / "org3" / "contacts.toml",
    DATA / "heldout" / "org4" / "contacts.toml",
    DATA / "heldout" / "org5" / "contacts.toml",
]


@cache
def _words() -> tuple[str, ...]:
    """Every vocabulary word of the four test registries."""
    found: set[str] = set()
    for path in REGISTRIES:
        found.update(MemoryIndex.build(registry.load(path)).sorted_words())
    return tuple(sorted(found))


def _oracle(head: str, pool: list[str], allowed: int) -> dict[str, int]:
    """near() by its definition: every word scored whole and by each stem, with rapidfuzz."""
    out = {}
    for word in pool:
        if OSA.distance(head, word) > allowed + text.STEM_CHANGE:
            continue
        distance = min(OSA.distance(head, s) for s in text.stems(word))
        if distance <= allowed:
            out[word] = distance
    return out


# Folded text: Latin letters and digits, with a few letters of other scripts.
_LETTERS = st.text(alphabet="aeiouyknstlrmpdhvjgbfc0123ж", max_size=14)


@pytest.mark.parametrize(
    ("pattern", "word", "distance"),
    [
        ("fedarene", "fedarene", 0),
        ("fedarene", "fedarnee", 1),  # two letters swapped: one edit
        ("kreadis", "creadis", 1),
        ("brussels", "brysel", 3),
        ("ca", "abc", 3),  # OSA edits no substring twice: not 2, as Damerau-Levenshtein
        ("", "abc", 3),
        ("abc", "", 3),
    ],
)
def test_osa(pattern: str, word: str, distance: int) -> None:
    assert typos.osa(pattern, word) == distance


@settings(max_examples=400, deadline=None)
@given(_LETTERS, _LETTERS)
def test_osa_is_rapidfuzz_osa(pattern: str, word: str) -> None:
    assert typos.osa(pattern, word) == OSA.distance(pattern, word)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_LETTERS, st.sampled_from(_words())))
def test_every_stem_keeps_the_stem_floor(word: str) -> None:
    """The scan rules out a word by its stem floor without stemming it (typos._bounded)."""
    floor = text.stem_floor(word)
    assert word.startswith(floor)
    assert all(stem.startswith(floor) for stem in text.stems(word)), (word, floor)


def test_every_registry_word_keeps_its_stem_floor() -> None:
    for word in _words():
        floor = text.stem_floor(word)
        assert all(stem.startswith(floor) for stem in text.stems(word)), (word, floor)


_MISTYPED = st.tuples(
    st.sampled_from(_words()),
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 20), st.sampled_from("aeiknst")), max_size=3
    ),
)


def _mistype(word: str, edits: list[tuple[int, int, str]]) -> str:
    """word with a few deletions, insertions, substitutions and swaps."""
    letters = list(word)
    for op, where, letter in edits:
        at = where % (len(letters) + 1)
        if op == 0 and at < len(letters):
            del letters[at]
        elif op == 1:
            letters.insert(at, letter)
        elif op == 2 and at < len(letters):
            letters[at] = letter
        elif op == 3 and at + 1 < len(letters):
            letters[at], letters[at + 1] = letters[at + 1], letters[at]
    return "".join(letters)


@pytest.mark.parametrize("rapidfuzz_from", [0, 10**9], ids=["rapidfuzz", "python"])
@settings(max_examples=150, deadline=None)
@given(mistyped=_MISTYPED)
def test_near_finds_exactly_the_words_its_definition_does(
    rapidfuzz_from: int, mistyped: tuple[str, list[tuple[int, int, str]]]
) -> None:
    """Both ways of scoring, rapidfuzz for many candidates and Python for few, agree with
    scoring every word: the letter bounds never rule out a word that is near."""
    head = _mistype(*mistyped)
    if len(head) < 2:
        return
    pool = [w for w in _words() if w[0] == head[0]]
    allowed = text.typo_allowance(len(head)) or 1
    original = typos.RAPIDFUZZ_FROM
    typos.RAPIDFUZZ_FROM = rapidfuzz_from
    try:
        found = dict(typos.near(head, pool, allowed))
    finally:
        typos.RAPIDFUZZ_FROM = original
    assert found == _oracle(head, pool, allowed)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("fedarnee", {"fedarene": 1}),
        ("koulutusvienit", {"koulutusvienti": 1}),  # a swap, in a long word
        ("brysel", {"bryssel": 1}),
    ],
)
def test_near_on_the_bundled_registry(head: str, expected: dict[str, int]) -> None:
    pool = [w for w in _words() if w[0] == head[0]]
    found = dict(typos.near(head, pool, text.typo_allowance(len(head))))
    assert expected.items() <= found.items()


def _far_from_their_words() -> list[str]:
    """Mistyped stems that differ most from their words: where the bounds are tightest."""
    heads = set()
    for word in _words():
        for stem in text.stems(word):
            if OSA.distance(stem, word) >= 2 and len(stem) >= 4:
                heads.update({stem + "a", stem[:-1], stem[:-2] + stem[-1] + stem[-2]})
    return sorted(heads)


@pytest.mark.parametrize("rapidfuzz_from", [0, 10**9], ids=["rapidfuzz", "python"])
def test_near_finds_words_whose_stem_alone_is_near(rapidfuzz_from: int) -> None:
    original = typos.RAPIDFUZZ_FROM
    typos.RAPIDFUZZ_FROM = rapidfuzz_from
    try:
        for head in _far_from_their_words():
            pool = [w for w in _words() if w[0] == head[0]]
            allowed = text.typo_allowance(len(head))
            assert dict(typos.near(head, pool, allowed)) == _oracle(head, pool, allowed), head
    finally:
        typos.RAPIDFUZZ_FROM = original
