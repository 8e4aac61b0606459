"""Find the vocabulary words a mistyped query word may have meant, by OSA edit distance."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from kvlookup.search import text

# Words left after the letter bounds from which rapidfuzz's C scan is worth its import
# (7-9 ms, most of a typo lookup): scoring fewer in Python costs less (5 us a word).
RAPIDFUZZ_FROM = 500
# Words kept by the bounds after which their share of the words seen foretells the total.
_FORETELLS = 50


def near(head: str, pool: Sequence[str], allowed: int) -> Iterator[tuple[str, int]]:
    """Words of pool with a stem within `allowed` edits of head, each with that distance.

    A word must also be within allowed + STEM_CHANGE edits of head itself: a stem differs
    from its word in at most that many letters, and the bound keeps the scan short.
    """
    foreign = dict.fromkeys(map(ord, head))  # str.translate deletes head's letters
    candidates, many = _bounded(head, pool, allowed, foreign)
    if many:
        yield from _near_rapidfuzz(head, candidates, allowed, foreign)
        return
    masks = _masks(head)
    # Stems are only worth computing for the few words near head as a whole.
    for word in candidates:
        if osa(head, word, masks) <= allowed + text.STEM_CHANGE:
            distance = _stem_distance(head, word, allowed, foreign, lambda s: osa(head, s, masks))
            if distance <= allowed:
                yield word, distance


def _near_rapidfuzz(
    head: str, words: list[str], allowed: int, foreign: dict[int, None]
) -> Iterator[tuple[str, int]]:
    """near() for many candidates: rapidfuzz's scan, then its distance to each stem."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    found = process.extract(
        head, words, scorer=OSA.distance, score_cutoff=allowed + text.STEM_CHANGE, limit=None
    )
    for word, _, _ in found:
        distance = _stem_distance(head, word, allowed, foreign, lambda s: OSA.distance(head, s))
        if distance <= allowed:
            yield word, distance


def _bounded(
    head: str, pool: Sequence[str], allowed: int, foreign: dict[int, None]
) -> tuple[list[str], bool]:
    """The words of pool that no lower bound on their distance rules out, and whether there
    are so many that the rest of pool came unchecked, for rapidfuzz to score all."""
    m = len(head)
    slack = allowed + text.STEM_CHANGE
    out: list[str] = []
    words = iter(pool)
    for seen, word in enumerate(words, 1):
        n = len(word)
        if n - m > slack or m - n > slack:
            continue
        # Each letter of one word that the other lacks costs an edit of its own, and the
        # length difference costs edits that cannot also fix those letters.
        if len(word.translate(foreign)) + m - n > slack:
            continue
        if sum(c not in word for c in head) + n - m > slack:
            continue
        # The same for the start every stem keeps, against the allowance: a stem too long
        # or with too many letters foreign to head cannot be within it.
        floor = text.stem_floor(word)
        if len(floor) > m + allowed or len(floor.translate(foreign)) > allowed:
            continue
        out.append(word)
        # Once the words so far foretell RAPIDFUZZ_FROM or more in all, the rest go
        # unchecked: the check would cost more than it saves rapidfuzz.
        if len(out) >= _FORETELLS and len(out) * len(pool) >= RAPIDFUZZ_FROM * seen:
            out.extend(words)
            return out, True
    return out, False


def _stem_distance(
    head: str, word: str, allowed: int, foreign: dict[int, None], distance: Callable[[str], int]
) -> int:
    """The least distance from head to a stem of word, or allowed + 1 when none is near."""
    m = len(head)
    best = allowed + 1
    for stem in text.stems(word):
        n = len(stem)
        # The letter bound of _bounded: most stems are ruled out without a distance.
        if n - m > allowed or m - n > allowed or len(stem.translate(foreign)) + m - n > allowed:
            continue
        best = min(best, distance(stem))
    return best


def _masks(pattern: str) -> dict[str, int]:
    """For each letter of pattern, the bits of the positions it occupies."""
    masks: dict[str, int] = {}
    for i, letter in enumerate(pattern):
        masks[letter] = masks.get(letter, 0) | 1 << i
    return masks


def osa(pattern: str, word: str, masks: dict[str, int] | None = None) -> int:
    """Optimal string alignment distance (edits, with adjacent swaps) from pattern to word."""
    # Hyyrö's bit-parallel algorithm (2003), as rapidfuzz computes it: one pass over word
    # with a bit per letter of pattern, several times faster than filling the table.
    m = len(pattern)
    if not m:
        return len(word)
    if masks is None:
        masks = _masks(pattern)
    full = (1 << m) - 1
    last = 1 << (m - 1)
    vp, vn, d0, previous, distance = full, 0, 0, 0, m
    for letter in word:
        match = masks.get(letter, 0)
        swap = ((~d0 & match) << 1) & previous
        d0 = (((match & vp) + vp) ^ vp) | match | vn | swap
        hp = vn | (~(d0 | vp) & full)
        hn = d0 & vp
        if hp & last:
            distance += 1
        elif hn & last:
            distance -= 1
        hp = ((hp << 1) | 1) & full
        hn = (hn << 1) & full
        vp = hn | (~(d0 | hp) & full)
        vn = hp & d0
        previous = match
    return distance
