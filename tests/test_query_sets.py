"""Every query set through the 'who' JSON contract, as ../shared/eval/grade.py grades it.

Each set runs against its own registry; the test fails when a set answers fewer cases
than its floor. docs/search.md gives the figures and how the weights were tuned: fitted
on the bundled registry and org3, checked on the held-out org4 and org5.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from .conftest import BUNDLED, DATA, Invoke


class QuerySet(NamedTuple):
    """A registry, its query files, and the least it must answer."""

    registry: Path
    files: tuple[str, ...]
    answers: int  # of the strict (not soft) answerable cases
    none: int  # no-match cases answered with no match
    soft: int  # description-only cases


SETS = {
    "bundled": QuerySet(BUNDLED, ("queries.toml", "more_queries.toml"), 72, 23, 0),
    # The bar: 75 of 79 answers, all 21 no-match cases, 7 of 10 soft cases.
    "org3": QuerySet(DATA / "org3" / "contacts.toml", ("org3/queries.toml",), 75, 21, 7),
    # Held out from tuning (tests/data/heldout/README.md): floors at the measured figures,
    # so that a change which helps the tuning sets at their expense shows up here.
    "org4": QuerySet(
        DATA / "heldout" / "org4" / "contacts.toml", ("heldout/org4/queries.toml",), 77, 20, 5
    ),
    "org5": QuerySet(
        DATA / "heldout" / "org5" / "contacts.toml", ("heldout/org5/queries.toml",), 79, 20, 9
    ),
}


def _grade(run: Invoke, query_set: QuerySet) -> tuple[dict[str, list[int]], list[str]]:
    counts = {"answer": [0, 0], "none": [0, 0], "soft": [0, 0]}
    failures = []
    for name in query_set.files:
        cases: list[dict[str, Any]] = tomllib.loads((DATA / name).read_text("utf-8"))["case"]
        for case in cases:
            result = run("--registry", str(query_set.registry), "who", case["query"], "-f", "json")
            assert "Traceback" not in result.stderr
            matches = json.loads(result.stdout)["matches"]
            kind = "none" if case.get("none") else "soft" if case.get("soft") else "answer"
            if kind == "none":
                ok = result.exit_code == 1 and matches == []
            else:
                first = [c["name"] for c in matches[0]["contacts"]] if matches else []
                ok = result.exit_code == 0 and case["expect"] in first
            counts[kind][0] += ok
            counts[kind][1] += 1
            if not ok:
                failures.append(case["query"])
    return counts, failures


@pytest.mark.parametrize("name", sorted(SETS))
def test_query_set_meets_its_floor(run: Invoke, name: str) -> None:
    query_set = SETS[name]
    counts, failures = _grade(run, query_set)
    assert counts["none"][0] >= query_set.none, failures
    assert counts["soft"][0] >= query_set.soft, failures
    assert counts["answer"][0] >= query_set.answers, failures


def test_bundled_sets_answer_every_case(run: Invoke) -> None:
    counts, failures = _grade(run, SETS["bundled"])
    assert failures == []
    assert counts["answer"] == [72, 72] and counts["none"] == [23, 23]
