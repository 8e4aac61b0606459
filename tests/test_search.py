"""Search quality: the shared query set, the team's own unseen-style queries, and edge cases."""

from __future__ import annotations

import tokenize
import tomllib
from pathlib import Path
from typing import Any

import pytest

from kvlookup import registry, search
from kvlookup.errors import AmbiguousNameError, NotFoundError
from kvlookup.index import MemoryIndex
from kvlookup.models import Registry

from .conftest import BUNDLED, DATA


def _cases(name: str) -> list[Any]:
    with (DATA / name).open("rb") as fh:
        cases = tomllib.load(fh)["case"]
    return [pytest.param(c, id=c["query"]) for c in cases]


@pytest.fixture(scope="module")
def reg() -> Registry:
    return registry.load(BUNDLED)


def _check(reg: Registry, case: dict[str, Any]) -> None:
    matches = search.search(reg, case["query"])
    if case.get("none"):
        assert matches == [], f"expected no match, got {[m.id for m in matches]}"
    else:
        assert matches, "expected a match"
        assert case["expect"] in [c.person.name for c in matches[0].contacts]


@pytest.mark.parametrize("case", _cases("queries.toml"))
def test_shared_query_set(reg: Registry, case: dict[str, Any]) -> None:
    _check(reg, case)


@pytest.mark.parametrize("case", _cases("more_queries.toml"))
def test_team_query_set(reg: Registry, case: dict[str, Any]) -> None:
    _check(reg, case)


def test_partial_alias_is_only_a_suggestion(reg: Registry) -> None:
    outcome = search.lookup(reg, "office")
    assert outcome.matches == ()
    assert [m.id for m in outcome.suggestions] == ["wfeo"]


def test_entry_reached_through_another_carries_via_and_its_contacts(reg: Registry) -> None:
    [match] = search.search(reg, "ERRIN")
    assert match.via == "wfeo"
    assert [c.person.id for c in match.contacts] == ["hannu-koponen"]


def test_bioeconomy_policy_names_no_contact(reg: Registry) -> None:
    match = search.search(reg, "biotalouspolitiikka")[0]
    assert match.id == "bioeconomy-policy"
    assert match.via == "bioeconomy-panel"
    assert match.contacts == ()


def test_person_match_contacts_the_person(reg: Registry) -> None:
    [match] = search.search(reg, "Koposelta")
    assert (match.kind, match.id) == ("person", "hannu-koponen")
    assert [c.person.id for c in match.contacts] == ["hannu-koponen"]


def test_scores_are_ranked_and_bounded(reg: Registry) -> None:
    ranked = search.rank(MemoryIndex.build(reg), "FEDARENE office")
    assert ranked[0].item_id == "fedarene"
    assert all(0 < c.score <= 1 for c in ranked)
    assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)


@pytest.mark.parametrize("query", ["", "   ", "kuka hoitaa", "who is the contact for", "?!"])
def test_queries_of_only_wrapper_words_match_nothing(reg: Registry, query: str) -> None:
    assert search.search(reg, query) == []


def test_repeated_words_do_not_change_the_answer(reg: Registry) -> None:
    once = search.search(reg, "FEDARENE")
    many = search.search(reg, "FEDARENE " * 50)
    assert [(m.id, m.score) for m in many] == [(m.id, m.score) for m in once]


def test_limit(reg: Registry) -> None:
    assert len(search.search(reg, "FEDARENE ERRIN WFEO", limit=2)) == 2


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("fedarene", "fedarene"),
        ("Hannu Koponen", "hannu-koponen"),
        ("päivänen", "veli-pekka-paivanen"),
        ("Brussels office", "wfeo"),
        ("Koposelta", "hannu-koponen"),
    ],
)
def test_resolve(reg: Registry, name: str, expected: str) -> None:
    assert search.resolve(reg, name).id == expected


def test_resolve_unknown(reg: Registry) -> None:
    with pytest.raises(NotFoundError):
        search.resolve(reg, "Liisa Virtanen")


def test_resolve_ambiguous(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text(
        '[people.a]\nname = "Matti Virtanen"\n[people.b]\nname = "Matti Virtanen"\n',
        encoding="utf-8",
    )
    with pytest.raises(AmbiguousNameError) as info:
        search.resolve(registry.load(path), "Matti Virtanen")
    assert info.value.candidates == ["a", "b"]


def test_no_special_cases_in_code() -> None:
    """Organisation facts live in the registry: the search code's strings name none of them."""
    facts = {
        "fedarene",
        "wfeo",
        "errin",
        "koponen",
        "pirinen",
        "partanen",
        "creadis",
        "kauppakamari",
    }
    for module in (search, search.text):
        with open(module.__file__ or "", "rb") as fh:
            strings = [
                tok.string.lower()
                for tok in tokenize.tokenize(fh.readline)
                if tok.type in (tokenize.STRING, tokenize.NAME)
            ]
        assert not [s for s in strings for f in facts if f in s], module.__name__


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("federation of agencies and regions for energy", "fedarene"),
        ("bioeconomy panel", "bioeconomy-panel"),
        ("luovan talouden CREADIS3-hanke", "creadis3"),
    ],
)
def test_the_item_that_explains_more_of_the_query_ranks_first(
    reg: Registry, query: str, first: str
) -> None:
    matches = search.search(reg, query)
    assert matches[0].id == first
    assert len(matches) >= 2  # the partial reading is still offered, below it


def test_two_things_named_are_both_answered(reg: Registry) -> None:
    assert {m.id for m in search.search(reg, "FEDARENE ja ERRIN")} == {"fedarene", "errin"}
