"""Line diffs in time that grows with the file, not with its square: anchored on unique lines.

difflib's SequenceMatcher compares every line with every equal line (autojunk off, as
unchanged lines must match): a 100,000-entry registry, whose lines repeat by the
thousand ('title_en = "Planner"', blank lines), took minutes. Lines that occur once in both
versions (table headers) are matched first, in order (patience diff), and SequenceMatcher
only aligns the short stretches between them.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from itertools import compress, groupby, repeat
from operator import itemgetter, lt, mul, sub

Opcode = tuple[str, int, int, int, int]


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """What difflib's get_opcodes gives: equal, replace, delete and insert runs."""
    out: list[Opcode] = []
    _align(a, b, 0, len(a), 0, len(b), out)
    merged: list[Opcode] = []
    for op in out:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if merged and merged[-1][0] == op[0] == "equal":
            last = merged[-1]
            merged[-1] = ("equal", last[1], op[2], last[3], op[4])
        else:
            merged.append(op)
    return merged


def _align(
    a: Sequence[str],
    b: Sequence[str],
    a0: int,
    a1: int,
    b0: int,
    b1: int,
    out: list[Opcode],
    *,
    anchored: bool = True,
) -> None:
    # Common head and tail first: most of an edited file.
    head = _shared(a, b, a0, b0, min(a1 - a0, b1 - b0), 1)
    tail = _shared(a, b, a1 - 1, b1 - 1, min(a1 - a0, b1 - b0) - head, -1)
    out.append(("equal", a0, a0 + head, b0, b0 + head))
    # One level of anchors: between two table headers lies one table, a few lines.
    anchors = _anchors(a, b, a0 + head, a1 - tail, b0 + head, b1 - tail) if anchored else []
    i, j = a0 + head, b0 + head
    if anchors:
        # Anchors in a run at one offset (b's line number less a's) with nothing changed
        # between them are one equal stretch, compared in one step: an import into a
        # 100k-entry registry shifts the 600,000 lines below its first change, no more.
        # Grouped by offsets worked out in one C loop, not a key function called per anchor.
        offsets = map(sub, map(itemgetter(1), anchors), map(itemgetter(0), anchors))
        for _, group in groupby(zip(offsets, anchors, strict=True), key=itemgetter(0)):
            run = list(map(itemgetter(1), group))
            last_a, last_b = run[-1]
            # The run's first anchor may follow a change; from there on the offset is one.
            whole = 0 if run[0][0] - i == run[0][1] - j else 1
            for k, (ai, bj) in enumerate(run):
                if k == whole and a[i : last_a + 1] == b[j : last_b + 1]:
                    out.append(("equal", i, last_a + 1, j, last_b + 1))
                    i, j = last_a + 1, last_b + 1
                    break
                if ai - i == bj - j and a[i:ai] == b[j:bj]:
                    out.append(("equal", i, ai, j, bj))  # most tables: compared in one step
                else:
                    _align(a, b, i, ai, j, bj, out, anchored=False)
                out.append(("equal", ai, ai + 1, bj, bj + 1))
                i, j = ai + 1, bj + 1
        _align(a, b, i, a1 - tail, j, b1 - tail, out, anchored=False)
    else:
        matcher = difflib.SequenceMatcher(None, a[i : a1 - tail], b[j : b1 - tail], autojunk=False)
        out += [(tag, i + p, i + q, j + r, j + s) for tag, p, q, r, s in matcher.get_opcodes()]
    out.append(("equal", a1 - tail, a1, b1 - tail, b1))


def _anchors(
    a: Sequence[str], b: Sequence[str], a0: int, a1: int, b0: int, b1: int
) -> list[tuple[int, int]]:
    """Lines found exactly once in each range, in an order both agree on (the longest)."""
    # Counted, picked and placed by C loops (Counter, map, compress, dict(zip)): a Python
    # loop per line of two 670,000-line versions took 2 s, and a comprehension testing
    # each line's counts still 0.8 s.
    in_a, in_b = a[a0:a1], b[b0:b1]
    count_a, count_b = Counter(in_a), Counter(in_b)
    where_b = dict(zip(in_b, range(b0, b1), strict=True))  # the last place: the only one
    # Counts are never negative, so a product of 1 means once in each.
    once = list(
        map((1).__eq__, map(mul, map(count_a.__getitem__, in_a), map(count_b.get, in_a, repeat(0))))
    )
    later = list(map(where_b.__getitem__, compress(in_a, once)))
    pairs = list(zip(compress(range(a0, a1), once), later, strict=True))
    if all(map(lt, later, later[1:])):
        return pairs  # in the same order in both: all of them are the longest run
    # Longest increasing run of b positions (patience sorting), kept with back links.
    tops: list[int] = []
    top_index: list[int] = []
    back: list[int] = []
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tops, j)
        if pos == len(tops):
            tops.append(j)
            top_index.append(k)
        else:
            tops[pos] = j
            top_index[pos] = k
        back.append(top_index[pos - 1] if pos else -1)
    chain: list[tuple[int, int]] = []
    k = top_index[-1] if top_index else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


def _shared(a: Sequence[str], b: Sequence[str], i: int, j: int, most: int, step: int) -> int:
    """How many lines a and b share from a[i] and b[j] on, forward (step 1) or back (-1).

    By halving, each step one slice comparison (a C loop): a Python loop per line over the
    unchanged start and end of a 100k-entry registry took half a second.
    """
    same, limit = 0, most  # the first `same` lines are equal; no more than `limit` are
    while same < limit:
        mid = (same + limit + 1) // 2
        if step > 0:
            equal = a[i + same : i + mid] == b[j + same : j + mid]
        else:
            equal = a[i - mid + 1 : i - same + 1] == b[j - mid + 1 : j - same + 1]
        if equal:
            same = mid
        else:
            limit = mid - 1
    return same


def grouped(ops: Sequence[Opcode], context: int = 3) -> list[list[Opcode]]:
    """Hunks of changes with context lines around them, as difflib groups its opcodes."""
    codes = list(ops) or [("equal", 0, 1, 0, 1)]
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)
    width = context + context
    groups: list[list[Opcode]] = []
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        start_a, start_b = i1, j1
        if tag == "equal" and i2 - i1 > width:
            group.append((tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            groups.append(group)
            group = []
            start_a, start_b = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, start_a, i2, start_b, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return groups
