"""Write src/kvlookup/search/lexicon.tsv: how common each Finnish and English word is, from wordfreq.

    pip install wordfreq && python tools/build_lexicon.py

Search uses the list to tell ordinary words ("aikataulu", "deadline") from the subject of
a question (docs/search.md). Each line is a folded word (kvlookup.search.text.fold), a
tab, and its Zipf frequency times ten (the larger of Finnish and English): 10 * log10 of
how often the word occurs per billion words. Words under Zipf 2.5 are left out; search treats a word
it cannot find as rare. The file is sorted by byte value, so it can be searched in place.

The data is wordfreq's (Robyn Speer and contributors), licensed CC BY-SA 4.0; so is this
derived list (src/kvlookup/search/LEXICON-LICENSE).
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kvlookup.search.text import fold  # noqa: E402

LANGUAGES = ("fi", "en")
CUTOFF = 2.5  # Zipf
WORD = re.compile(r"^[0-9a-z]{2,40}$")


def main() -> None:
    """Build the list and write it."""
    import wordfreq

    best: dict[str, int] = {}
    for lang in LANGUAGES:
        for word, freq in wordfreq.get_frequency_dict(lang, wordlist="best").items():
            zipf = math.log10(freq) + 9
            if zipf < CUTOFF:
                continue
            folded = fold(word)
            if not WORD.match(folded):
                continue
            value = round(zipf * 10)
            if value > best.get(folded, 0):
                best[folded] = value
    lines = sorted(f"{w}\t{v}\n".encode() for w, v in best.items())
    out = ROOT / "src" / "kvlookup" / "search" / "lexicon.tsv"
    out.write_bytes(b"".join(lines))
    from importlib.metadata import version

    print(f"{out.relative_to(ROOT)}: {len(lines)} words, wordfreq {version('wordfreq')}")


if __name__ == "__main__":
    main()
