"""Grade search quality in-process on every query set, as ../shared/eval/grade.py does.

    python bench/quality.py                 # summary per set
    python bench/quality.py --verbose       # and every failing case
    python bench/quality.py --set org3      # one set

A case passes when the first match's contacts include `expect`, or when there is no match
for a `none` case. Runs in-process (a few seconds for all sets), for tuning; the tests run
the same sets through the CLI's JSON.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
sys.path.insert(0, str(ROOT / "src"))

from kvlookup.search import ranking  # noqa: E402
from kvlookup.sources import registry  # noqa: E402

# (name, registry, query files)
SETS = [
    (
        "bundled",
        ROOT / "data" / "contacts.toml",
        [DATA / "queries.toml", DATA / "more_queries.toml"],
    ),
    ("org3", DATA / "org3" / "contacts.toml", [DATA / "org3" / "queries.toml"]),
    (
        "org4",
        DATA / "heldout" / "org4" / "contacts.toml",
        [DATA / "heldout" / "org4" / "queries.toml"],
    ),
    (
        "org5",
        DATA / "heldout" / "org5" / "contacts.toml",
        [DATA / "heldout" / "org5" / "queries.toml"],
    ),
]


def grade(
    reg: Any, cases: list[dict[str, Any]], weights: ranking.Weights, verbose: bool
) -> dict[str, list[int]]:
    """Counts [passed, total] per kind of case: answer, none, soft."""
    from kvlookup.search.index import MemoryIndex

    index = MemoryIndex.build(reg)
    out = {"answer": [0, 0], "none": [0, 0], "soft": [0, 0]}
    for case in cases:
        ranked = ranking.confident(ranking.rank(index, case["query"], weights))
        kind = "none" if case.get("none") else "soft" if case.get("soft") else "answer"
        if kind == "none":
            ok = not ranked
        elif ranked:
            match = ranking.to_match(reg, ranked[0])
            ok = case["expect"] in [c.person.name for c in match.contacts]
        else:
            ok = False
        out[kind][0] += ok
        out[kind][1] += 1
        if verbose and not ok:
            got = [(c.item_id, c.score, c.field) for c in ranked[:2]]
            near = [
                (c.item_id, c.score, c.field)
                for c in ranking.rank(index, case["query"], weights)[:2]
            ]
            print(
                f"  FAIL {kind:6} {case['query']!r}: want {case.get('expect', 'none')}; got {got or near}"
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--set", action="append")
    args = parser.parse_args()
    for name, path, files in SETS:
        if (args.set and name not in args.set) or not path.exists():
            continue
        reg = registry.load(path)
        cases = [c for f in files for c in tomllib.loads(f.read_text("utf-8"))["case"]]
        print(name)
        counts = grade(reg, cases, ranking.WEIGHTS, args.verbose)
        print("  " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in counts.items() if b))


if __name__ == "__main__":
    main()
