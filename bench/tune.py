"""Fit ranking.Weights on some registries' query sets and check them on the others.

    python bench/tune.py                      # fit on bundled+org3, check on org4+org5
    python bench/tune.py --fit org4 org5      # the other way round
    python bench/tune.py --grid small         # a quicker grid

A grid search: every combination of the values in GRID is scored on the fit sets, the
best one (and the shipped defaults) are then graded on every set. The score counts an
answered case 1, a wrong answer to a no-match case -2 (a confident wrong answer is worse
than no answer) and a description-only case 0.5. Query-word lookups do not depend on the
weights, so they are computed once per registry.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
import tomllib
from functools import lru_cache
from typing import Any

from quality import SETS

from kvlookup.search import ranking
from kvlookup.search.index import MemoryIndex
from kvlookup.sources import registry

GRID: dict[str, dict[str, tuple[float, ...]]] = {
    "full": {
        "bar": (6.0, 7.0, 8.0, 9.0),
        "description": (0.6, 0.7, 0.8),
        "title": (0.8, 0.9),
        "ordinary": (0.25, 0.35, 0.5),
        "rare": (2.5, 3.0),
        "common": (3.5, 4.0, 4.5),
        "known": (1.0, 1.5, 2.0),
        "unknown": (2.0, 2.5, 3.0),
    },
    "small": {
        "bar": (7.0, 8.0, 9.0),
        "description": (0.7, 0.8),
        "ordinary": (0.35,),
        "common": (4.0, 4.5),
        "known": (1.5,),
        "unknown": (2.5, 3.0),
    },
}


def _memoise() -> None:
    """Query-word lookups depend on the index and the word, not on the weights."""
    ranking.lookup_word = lru_cache(maxsize=None)(ranking.lookup_word)  # type: ignore[assignment]
    ranking._inflected = lru_cache(maxsize=None)(ranking._inflected)  # type: ignore[assignment]


def load_sets(names: list[str] | None) -> dict[str, tuple[Any, MemoryIndex, list[dict[str, Any]]]]:
    """Each named set's registry, its index and its cases."""
    out = {}
    for name, path, files in SETS:
        if (names and name not in names) or not path.exists():
            continue
        reg = registry.load(path)
        cases = [c for f in files for c in tomllib.loads(f.read_text("utf-8"))["case"]]
        out[name] = (reg, MemoryIndex.build(reg), cases)
    return out


def grade(
    reg: Any, index: MemoryIndex, cases: list[dict[str, Any]], weights: ranking.Weights
) -> dict[str, list[int]]:
    """[passed, total] for answers, no-match and soft cases; "margin" is [sum, 0] (below)."""
    out = {"answer": [0, 0], "none": [0, 0], "soft": [0, 0], "margin": [0, 0]}
    for case in cases:
        candidates = ranking.rank(index, case["query"], weights)
        ranked = ranking.confident(candidates)
        top = candidates[0].score if candidates else 0.0
        kind = "none" if case.get("none") else "soft" if case.get("soft") else "answer"
        if kind == "none":
            ok = not ranked
            margin = ranking.THRESHOLD - top
        else:
            ok = bool(ranked) and case["expect"] in [
                c.person.name for c in ranking.to_match(reg, ranked[0]).contacts
            ]
            margin = top - ranking.THRESHOLD if ok else 0.0
        out[kind][0] += ok
        out[kind][1] += 1
        # How far each rightly decided case is from the threshold, up to 0.2, in thousandths:
        # among weights that decide the same cases right, prefer those that decide them
        # with room to spare.
        out["margin"][0] += round(1000 * min(max(margin, 0.0), 0.2))
    return out


def score(counts: dict[str, list[int]]) -> float:
    """Answers count 1, wrong answers to no-match cases -2, soft answers 0.5."""
    answers, nones, soft = counts["answer"], counts["none"], counts["soft"]
    return answers[0] - 2 * (nones[1] - nones[0]) + 0.5 * soft[0]


def summary(counts: dict[str, list[int]]) -> str:
    """'answers 79/79, no-match 21/21, soft 7/10'."""
    names = {"answer": "answers", "none": "no-match", "soft": "soft"}
    return ", ".join(f"{names[k]} {a}/{b}" for k, (a, b) in counts.items() if b and k in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fit", nargs="+", default=["bundled", "org3"])
    parser.add_argument("--grid", choices=sorted(GRID), default="full")
    args = parser.parse_args()
    _memoise()
    sets = load_sets(None)
    grid = GRID[args.grid]
    keys = list(grid)
    started = time.perf_counter()
    results = []
    for values in itertools.product(*(grid[k] for k in keys)):
        weights = ranking.WEIGHTS._replace(**dict(zip(keys, values, strict=True)))
        graded = [grade(*sets[name], weights) for name in args.fit]
        total = sum(score(g) for g in graded)
        margin = sum(g["margin"][0] for g in graded)
        results.append((total, margin, weights))
    results.sort(key=lambda r: (-r[0], -r[1]))
    best_total, best_margin, best = results[0]
    ties = [w for t, _, w in results if t == best_total]
    elapsed = time.perf_counter() - started
    print(f"{len(results)} combinations fitted on {', '.join(args.fit)} in {elapsed:.0f} s")
    print(f"{len(ties)} share the best fit score {best_total}; the widest margin ({best_margin}):")
    print("  " + ", ".join(f"{k}={getattr(best, k)}" for k in keys))
    for label, weights in (("best fit", best), ("shipped", ranking.WEIGHTS)):
        print(f"{label}:")
        for name, data in sets.items():
            role = "fit" if name in args.fit else "held out"
            print(f"  {name:8} ({role:8}) {summary(grade(*data, weights))}")


if __name__ == "__main__":
    sys.exit(main())
