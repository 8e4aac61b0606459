"""Search quality: the shared query set, the team's own unseen-style queries, and edge cases."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path
from typing import Any

import pytest

from kvlookup.errors import AmbiguousNameError, NotFoundError
from kvlookup.models import Match, Registry
from kvlookup.search import ranking
from kvlookup.search.index import MemoryIndex
from kvlookup.sources import registry

from .conftest import BUNDLED, DATA, Invoke


def _cases(name: str) -> list[Any]:
    with (DATA / name).open("rb") as fh:
        cases = tomllib.load(fh)["case"]
    return [pytest.param(c, id=c["query"]) for c in cases]


@pytest.fixture(scope="module")
def reg() -> Registry:
    return registry.load(BUNDLED)


def _check(reg: Registry, case: dict[str, Any]) -> None:
    matches = ranking.search(reg, case["query"])
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
    outcome = ranking.lookup(reg, "office")
    assert outcome.matches == ()
    assert [m.id for m in outcome.suggestions] == ["wfeo"]


def test_entry_reached_through_another_carries_via_and_its_contacts(reg: Registry) -> None:
    [match] = ranking.search(reg, "ERRIN")
    assert match.via == "wfeo"
    assert [c.person.id for c in match.contacts] == ["hannu-koponen"]


def test_bioeconomy_policy_names_no_contact(reg: Registry) -> None:
    match = ranking.search(reg, "biotalouspolitiikka")[0]
    assert match.id == "bioeconomy-policy"
    assert match.via == "bioeconomy-panel"
    assert match.contacts == ()


def test_person_match_contacts_the_person(reg: Registry) -> None:
    [match] = ranking.search(reg, "Koposelta")
    assert (match.kind, match.id) == ("person", "hannu-koponen")
    assert [c.person.id for c in match.contacts] == ["hannu-koponen"]


def test_scores_are_ranked_and_bounded(reg: Registry) -> None:
    ranked = ranking.rank(MemoryIndex.build(reg), "FEDARENE office")
    assert ranked[0].item_id == "fedarene"
    assert all(0 < c.score <= 1 for c in ranked)
    assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)


@pytest.mark.parametrize("query", ["", "   ", "kuka hoitaa", "who is the contact for", "?!"])
def test_queries_of_only_wrapper_words_match_nothing(reg: Registry, query: str) -> None:
    assert ranking.search(reg, query) == []


def test_repeated_words_do_not_change_the_answer(reg: Registry) -> None:
    once = ranking.search(reg, "FEDARENE")
    many = ranking.search(reg, "FEDARENE " * 50)
    assert [(m.id, m.score) for m in many] == [(m.id, m.score) for m in once]


def test_limit(reg: Registry) -> None:
    assert len(ranking.search(reg, "FEDARENE ERRIN WFEO", limit=2)) == 2


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
    assert ranking.resolve(reg, name).id == expected


def test_resolve_unknown(reg: Registry) -> None:
    with pytest.raises(NotFoundError):
        ranking.resolve(reg, "Liisa Virtanen")


def test_resolve_ambiguous(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text(
        '[people.a]\nname = "Matti Virtanen"\n[people.b]\nname = "Matti Virtanen"\n',
        encoding="utf-8",
    )
    with pytest.raises(AmbiguousNameError) as info:
        ranking.resolve(registry.load(path), "Matti Virtanen")
    assert info.value.candidates == ["a", "b"]


def _code_strings(path: str) -> list[str]:
    """Names and string constants of a module's code, docstrings left out."""
    tree = ast.parse(Path(path).read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        str(node.value if isinstance(node, ast.Constant) else node.id).lower()
        for node in ast.walk(tree)
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        )
        or isinstance(node, ast.Name)
    ]


def test_no_special_cases_in_code() -> None:
    """Organisation facts live in the registry: the search code's strings name none of them."""
    facts = {
        # the bundled registry
        "fedarene",
        "wfeo",
        "errin",
        "koponen",
        "pirinen",
        "partanen",
        "creadis",
        "kauppakamari",
        # org3
        "heikkinen",
        "kokko",
        "sarin",
        "akerblom",
        "eakr",
        "permaflux",
        "circubatt",
        "keksint",
        "tutkimuspalvelu",
        "rakennerahasto",
    }
    from kvlookup.search import index, lexicon

    for module in (ranking, ranking.text, index, lexicon):
        strings = _code_strings(module.__file__ or "")
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
    matches = ranking.search(reg, query)
    assert matches[0].id == first
    assert len(matches) >= 2  # the partial reading is still offered, below it


def test_two_things_named_are_both_answered(reg: Registry) -> None:
    assert {m.id for m in ranking.search(reg, "FEDARENE ja ERRIN")} == {"fedarene", "errin"}


# --- search v2: evidence, fields, people, compounds, typos ------------------------------


@pytest.fixture(scope="module")
def org3() -> Registry:
    return registry.load(DATA / "org3" / "contacts.toml")


def _first(reg: Registry, query: str) -> Match | None:
    matches = ranking.search(reg, query)
    return matches[0] if matches else None


@pytest.mark.parametrize(
    ("query", "item", "field"),
    [
        ("FEDARENE", "fedarene", "name"),
        ("Brussels office", "wfeo", "alias"),
        ("hannu.koponen@keskisuomi.fi", "hannu-koponen", "email"),
        ("HANNU.KOPONEN@keskisuomi.fi", "hannu-koponen", "email"),
        ("040 595 0009", "hannu-koponen", "phone"),
        ("+358405950009", "hannu-koponen", "phone"),
        ("0405950009", "hannu-koponen", "phone"),
        ("kuka soitti numerosta 040-595 0009", "hannu-koponen", "phone"),
    ],
)
def test_matched_field_says_where_the_answer_was_found(
    reg: Registry, query: str, item: str, field: str
) -> None:
    first = _first(reg, query)
    assert first is not None
    assert (first.id, first.matched_field) == (item, field)


@pytest.mark.parametrize(
    ("query", "item", "field"),
    [
        ("innovaatiopäällikkö", "juha-kokko", "title"),
        ("research ethics coordinator", "marjut-kivekas", "title"),
        ("tutkimuspalvelujen johtaja", "anna-kaisa-heikkinen", "title"),
        ("maksatushakemukset", "project-finance", "description"),
        ("Suomen Akatemian hakemus", "research-funding", "description"),
    ],
)
def test_titles_and_descriptions_are_searched(
    org3: Registry, query: str, item: str, field: str
) -> None:
    first = _first(org3, query)
    assert first is not None
    assert (first.id, first.matched_field) == (item, field)


def test_a_title_several_people_share_answers_with_all_of_them(reg: Registry) -> None:
    matches = ranking.search(reg, "Development Manager")
    assert {m.id for m in matches} == set(reg.people)
    assert {m.matched_field for m in matches} == {"title"}


def test_a_name_in_a_description_does_not_add_a_second_answer(reg: Registry) -> None:
    # The energy topic's description mentions FEDARENE; the federation is the answer.
    assert [m.id for m in ranking.search(reg, "FEDARENE")] == ["fedarene"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("CREADIS3-hankkeen raportti", "raija-partanen"),
        ("FEDARENEn aikataulu", "hannu-koponen"),
        ("kenelle soitan kauppakamarista", "veli-pekka-paivanen"),
        ("kenen puoleen käännyn ERRIN-asioissa", "hannu-koponen"),
        ("mistä saan tietoa koulutusviennistä", "kari-pirinen"),
        ("I need help with the creative economy", "raija-partanen"),
        ("who do I talk to about FEDARENE", "hannu-koponen"),
    ],
)
def test_a_subject_with_ordinary_words_around_it_is_answered(
    reg: Registry, query: str, expected: str
) -> None:
    first = _first(reg, query)
    assert first is not None
    assert expected in [c.person.id for c in first.contacts]


@pytest.mark.parametrize(
    "query",
    [
        "research ethics board meeting room booking",
        "password reset for the research data server",
        "mihin vien käytetyt akut ja paristot",
        "työehtosopimuksen lomarahat",
    ],
)
def test_an_unexplained_subject_is_no_match(org3: Registry, query: str) -> None:
    assert ranking.search(org3, query) == []


@pytest.mark.parametrize(
    ("query", "suggested"),
    [
        ("Sari Heikkinen", "anna-kaisa-heikkinen"),
        ("Mikko Kokko", "juha-kokko"),
        ("Päivi Virtanen", "paivi-makela"),
    ],
)
def test_an_unknown_first_name_or_surname_is_another_person(
    org3: Registry, query: str, suggested: str
) -> None:
    outcome = ranking.lookup(org3, query)
    assert outcome.matches == ()
    assert suggested in [m.id for m in outcome.suggestions]


def test_a_name_of_another_entry_next_to_a_surname_is_not_another_person(reg: Registry) -> None:
    assert {m.id for m in ranking.search(reg, "FEDARENE Koponen")} >= {"hannu-koponen"}


@pytest.mark.parametrize(
    ("query", "item"),
    [
        ("tutkimus etiikka", "ethics-review"),  # written apart
        ("aineiston-hallinta", "research-data"),  # hyphenated
        ("rakennerahastoasiantuntija", "tapio-lahteenmaki"),  # joined, the registry has both
        ("akkumateriaalien kiertotalous", "circubatt2030"),  # base form of an inflected name
    ],
)
def test_compounds_are_found_together_apart_or_hyphenated(
    org3: Registry, query: str, item: str
) -> None:
    first = _first(org3, query)
    assert first is not None
    assert item in {first.id, *(c.person.id for c in first.contacts)}


@pytest.mark.parametrize(
    ("reg_name", "query", "item"),
    [
        ("bundled", "edarene", "fedarene"),  # first letter missing
        ("bundled", "kreadis", "creadis3"),  # first letter wrong
        ("org3", "Vusiness Finland", "business-finland"),
        ("org3", "jaupallistaminen", "commercialisation"),
    ],
)
def test_a_typo_in_the_first_letter_of_a_long_word_is_forgiven(
    reg: Registry, org3: Registry, reg_name: str, query: str, item: str
) -> None:
    first = _first(reg if reg_name == "bundled" else org3, query)
    assert first is not None and first.id == item


@pytest.mark.parametrize(
    ("reg_name", "query", "item"),
    [
        ("bundled", "eurooppatoimsto", "wfeo"),  # the registry writes "Eurooppa-toimisto"
        ("bundled", "brysselintoimsto", "wfeo"),  # ... and "Brysselin toimisto"
        ("org3", "businessfinlnd", "business-finland"),  # ... and "Business Finland"
    ],
)
def test_a_compound_written_together_may_have_a_typo_in_its_last_part(
    reg: Registry, org3: Registry, reg_name: str, query: str, item: str
) -> None:
    first = _first(reg if reg_name == "bundled" else org3, query)
    assert first is not None and first.id == item


def test_a_common_word_is_not_taken_for_a_typo(org3: Registry) -> None:
    # "sari" is a first name in its own right, not "Sarin" mistyped.
    assert ranking.lookup_word(MemoryIndex.build(org3), "sari") == {}


@pytest.mark.parametrize(
    ("query", "words", "exact"),
    [
        ("who is hannu.koponen@keskisuomi.fi?", (), ("@hannu.koponen@keskisuomi.fi",)),
        ("040 595 0009", (), ("+358405950009",)),
        ("+358 40 595 0009 soitti", ("soitti",), ("+358405950009",)),
        ("kuka hoitaa FEDARENE", ("fedarene",), ()),
        ("BEA-APP 2", ("bea", "app", "2"), ()),
    ],
)
def test_parse_query_takes_emails_and_phones_whole(
    query: str, words: tuple[str, ...], exact: tuple[str, ...]
) -> None:
    parsed = ranking.parse_query(query)
    assert (parsed.words, parsed.exact) == (words, exact)


def test_names_in_other_scripts_are_found(tmp_path: Path, run: Invoke) -> None:
    path = tmp_path / "r.toml"
    path.write_text(
        '[people.ivan]\nname = "Иван Петров"\naliases = ["Ваня"]\n'
        '[topics.japan]\nname = "日本"\ncontacts = ["ivan"]\n',
        encoding="utf-8",
    )
    assert run("--registry", str(path), "check").exit_code == 0  # the alias is not "empty"
    reg = registry.load(path)
    assert [m.id for m in ranking.search(reg, "Иван Петров")] == ["ivan"]
    assert ranking.resolve(reg, "Иван Петров").id == "ivan"
    assert [m.id for m in ranking.search(reg, "日本")] == ["japan"]
