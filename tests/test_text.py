"""Normalisation and the Finnish word rules, tested directly."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kvlookup.search import text


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Päivänen", "paivanen"),
        ("Pa\u0308iva\u0308nen", "paivanen"),  # NFD: decomposed diacritics
        ("FEDA\u200bRENE", "fedarene"),  # zero-width space pasted from a web page
        ("Å\u00adbo", "abo"),  # soft hyphen
        ("KÖYHÄ", "koyha"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert text.fold(raw) == folded


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ERRIN:n", ["errin"]),
        ("WFEO:lle asti", ["wfeo", "asti"]),
        ("EU-vaikuttaminen", ["eu", "vaikuttaminen"]),
        ("Baltic ForBio -hankkeen", ["baltic", "forbio", "hankkeen"]),
        ("who handles the office's printer?", ["who", "handles", "the", "office", "printer"]),
        ("RDI2CluB", ["rdi2club"]),
    ],
)
def test_tokens(raw: str, expected: list[str]) -> None:
    assert list(text.tokens(raw)) == expected


@pytest.mark.parametrize(
    ("base", "inflected"),
    [
        ("koponen", "koposelta"),
        ("koponen", "koposta"),
        ("paivanen", "paivaselta"),
        ("koulutusvienti", "koulutusviennista"),
        ("koulutusvienti", "koulutusvientia"),
        ("talous", "talouden"),
        ("talous", "taloutta"),
        ("luova", "luovan"),
        ("luova", "luovien"),
        ("kauppakamari", "kauppakamarin"),
        ("hanke", "hankkeen"),
        ("hanke", "hanketta"),
        ("hanke", "hankkeita"),
        ("bryssel", "brysselissa"),
        ("fedarene", "fedarenesta"),
        ("kauppa", "kaupan"),
        ("alat", "alojen"),
        ("office", "offices"),
    ],
)
def test_inflected_form_begins_with_a_stem(base: str, inflected: str) -> None:
    assert any(head in text.stems(base) for head, _ in text.splits(inflected))


@pytest.mark.parametrize(
    ("base", "other"),
    [
        ("koponen", "kopio"),
        ("hannu", "hanna"),
        ("errin", "erakko"),
        ("talous", "taloyhtio"),
    ],
)
def test_different_word_is_not_an_inflection(base: str, other: str) -> None:
    assert not any(head in text.stems(base) for head, _ in text.splits(other))


@pytest.mark.parametrize(
    ("tail", "ok"),
    [
        ("", True),
        ("sta", True),
        ("ssakin", True),
        ("llensa", True),
        ("n", True),
        ("xyz", False),
        ("talo", False),
    ],
)
def test_is_ending(tail: str, ok: bool) -> None:
    assert text.is_ending(tail) is ok


@pytest.mark.parametrize(("length", "edits"), [(2, 0), (3, 0), (4, 1), (8, 1), (9, 2), (14, 2)])
def test_typo_allowance_grows_with_length(length: int, edits: int) -> None:
    assert text.typo_allowance(length) == edits


def _vocabulary() -> set[str]:
    from kvlookup.search.index import items_of, labels
    from kvlookup.sources import registry

    from .conftest import BUNDLED

    reg = registry.load(BUNDLED)
    words = {w for item in items_of(reg) for _, label in labels(item) for w in text.tokens(label)}
    extra = "kauppa hanke osoite vienti lehti suomi ala alat koulutus talous puhelin rakas agency"
    return words | text.NOISE_WORDS | set(extra.split())


def test_stems_keep_the_word_start_that_search_scans_by() -> None:
    """ranking.lookup_word finds a stem's word by the stem minus STEM_CHANGE letters."""
    from kvlookup.search.text import STEM_CHANGE

    for word in _vocabulary():
        for stem in text.stems(word):
            assert word.startswith(stem[: max(1, len(stem) - STEM_CHANGE)]), (word, stem)
            assert abs(len(word) - len(stem)) <= STEM_CHANGE, (word, stem)


def test_noise_words_are_written_folded() -> None:
    """NOISE_WORDS is compared with folded tokens, and is not folded at start-up."""
    assert all(text.fold(w) == w for w in text.NOISE_WORDS)


@pytest.mark.parametrize(
    ("token", "noise"),
    [
        ("kuka", True),
        ("hoitaa", True),
        ("vastuuhenkilöä", True),  # inflected long noise word
        ("yhteyshenkilöt", True),
        ("on", True),  # short noise words match exactly...
        ("onni", False),  # ...and are never inflected
        ("fedarene", False),
        ("koulutusvienti", False),
    ],
)
def test_is_noise(token: str, noise: bool) -> None:
    from kvlookup.search.index import is_noise

    assert is_noise(text.fold(token)) is noise


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("Иван Петров", ("иван", "петров")),
        ("Ölkälä 日本", ("olkala", "日本")),
        ("snake_case", ("snake", "case")),
    ],
)
def test_tokens_keep_letters_of_any_script(raw: str, words: tuple[str, ...]) -> None:
    assert text.tokens(raw) == words


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Søren Ødegaard", "soren odegaard"),
        ("Ægir", "aegir"),
        ("Łódź", "lodz"),
        ("Straße", "strasse"),
    ],
)
def test_letters_without_decomposition_fold(raw: str, folded: str) -> None:
    assert text.fold(raw) == folded
    assert " ".join(text.tokens(raw)) == folded


_UNDECOMPOSED = {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L", "ß": "ss"}
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def _reference_fold(raw: str) -> str:
    """What folding means, spelled out slowly: fold's quick paths must all agree with it."""
    kept = "".join(_UNDECOMPOSED.get(c, c) for c in raw if c not in _INVISIBLE)
    decomposed = unicodedata.normalize("NFKD", kept)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@given(
    st.text(
        # ASCII, the Finnish and Swedish letters of the quick path, letters that need the
        # table or the slow path (é, ü, ø, ß, the Kelvin sign, Cyrillic), and invisible ones.
        alphabet="aAzZ09 -.:'äÄöÖåÅéÉüøØßłæ\u212aИван\u0308" + _INVISIBLE,
        max_size=12,
    )
)
def test_every_quick_path_of_fold_agrees_with_the_slow_one(raw: str) -> None:
    assert text.fold(raw) == _reference_fold(raw)
