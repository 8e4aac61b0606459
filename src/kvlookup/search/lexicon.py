"""How common a word is in Finnish or English, read in place from the shipped word list."""

from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import mmap

# lexicon.tsv (tools/build_lexicon.py): sorted lines "folded-word<TAB>zipf*10". It is
# searched in place, by halving byte ranges, so a lookup reads a few lines instead of
# parsing 160,000 of them at every start.
_FILE = Path(__file__).with_name("lexicon.tsv")  # no resolve(): a link opens as well
# A word missing from the list occurs less than 2.5 times per 10^8 words (the list's cut).
RARE = 2.0
# The Zipf scale stops at about 8 ("the" in English is 7.7); above 9 a word would be certain.
CEILING = 9.0


@cache
def _data() -> "bytes | mmap.mmap":
    # Mapped, not read: a lookup touches a few pages of the 2 MB file.
    import mmap

    try:
        with _FILE.open("rb") as fh:
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # a broken install: every word counts as rare
        return b""


@lru_cache(maxsize=4096)
def zipf(word: str) -> float:
    """Zipf frequency of a folded word (log10 per billion words); RARE when not listed."""
    data = _data()
    key = word.encode("ascii", "replace") + b"\t"
    lo, hi = 0, len(data)
    # Invariant: the line holding key, if any, starts in [lo, hi).
    while lo < hi:
        mid = (lo + hi) // 2
        start = data.rfind(b"\n", 0, mid) + 1
        end = data.find(b"\n", start)
        if end < 0:
            end = len(data)
        line = data[start:end]
        if line.startswith(key):
            return int(line[len(key) :]) / 10
        if line < key:
            lo = end + 1
        else:
            hi = start
    return RARE
