"""Text normalisation and the Finnish and English word rules the search relies on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

# Invisible characters that users paste from web pages and chat; they must not split or
# change a word.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"),
    None,
) | dict.fromkeys(range(0x2066, 0x206A), None)

# A case ending written after a colon ("ERRIN:n", "WFEO:lle") belongs to the word before it.
# Patterns, compiled by re on first use: few texts hold either, and compiling both at
# import would cost every start 0.2 ms.
_COLON_ENDING = r"(?<=[0-9a-z]):[a-z]{1,6}\b"
_APOSTROPHE_S = r"(?<=[0-9a-z])['’]s\b"
# Letters and digits of any script: a name in Cyrillic or Chinese is as findable as one in
# Latin letters (Latin ones are folded to ASCII first).
_WORD = re.compile(r"[^\W_]+")
# The same for folded text that is all ASCII, the common case: a fifth faster.
_ASCII_WORD = re.compile(r"[0-9a-z]+")
_VOWEL_LETTERS = "aeiouy"
_VOWELS = frozenset(_VOWEL_LETTERS)


# Letters Unicode does not decompose into a base letter and a mark; without these "Søren"
# would split into "s" and "ren".
_UNDECOMPOSED = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "Ð": "D",
        "ß": "ss",
    }
)


def _slow_fold(text: str) -> str:
    # Imported here: the quick paths of fold, all a Finnish or English query needs, never use it.
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.translate(_INVISIBLE).translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _FoldTable(dict[int, str | None]):
    """str.translate table: each character's quick fold, worked out the first time it is seen.

    Latin letters with diacritics fold to ASCII ("Ä" -> "a"), so that the common case is one
    str.translate instead of a per-character loop (100k-entry registries fold hundreds of
    thousands of names). Filled on demand: working out all 400 letters at import cost most
    of a millisecond of every start.
    """

    def __missing__(self, code: int) -> str:
        folded = _slow_fold(chr(code)) if 0xC0 <= code < 0x250 else ""
        self[code] = found = folded if folded and folded.isascii() else chr(code)
        return found


_FAST_FOLD = _FoldTable(_INVISIBLE)


def fold(text: str) -> str:
    """Casefold and strip diacritics and invisible characters ("Ä" -> "a")."""
    # Three quick paths, each taken only when its result is all ASCII, where every path
    # agrees: plain ASCII; Finnish and Swedish letters (half the labels of a Finnish
    # registry), three replaces three times faster than a translate of every character;
    # then the per-character table. The first run at 100k entries folds 870,000 labels.
    if text.isascii():
        return text.lower()
    quick = text.lower().replace("ä", "a").replace("ö", "o").replace("å", "a")
    if quick.isascii():
        return quick
    quick = text.translate(_FAST_FOLD)
    return quick.lower() if quick.isascii() else _slow_fold(text)


def tokens(text: str) -> tuple[str, ...]:
    """Folded words of text, hyphenated compounds split ("EU-vaikuttaminen" -> eu, ...)."""
    folded = fold(text)
    # The substitutions are rare; testing for their trigger first halves tokenising time.
    if ":" in folded:
        folded = re.sub(_COLON_ENDING, "", folded)
    if "'" in folded or "’" in folded:
        folded = re.sub(_APOSTROPHE_S, "", folded)
    return tuple((_ASCII_WORD if folded.isascii() else _WORD).findall(folded))


# Finnish case endings, possessive suffixes and clitics, written without diacritics because
# matching happens on folded text. English plural endings ride along: both languages meet
# in the same query.
_CASE_ENDINGS = frozenset(
    """
    n a ta tta na ksi ssa sta lla lta lle ne t en in an on un yn seen siin han hen hin hon hun
    hyn ta den tten iden itten jen ten ita ia ja issa ista ihin illa ilta ille iksi ina ine
    ineen isiin itse ai ei oi ui
    s es
    """.split()
)
_POSSESSIVES = frozenset("ni si mme nne nsa an en in on un".split())
_CLITICS = frozenset("kin kaan kaan han pa ko".split())
MAX_ENDING = 9


@lru_cache(maxsize=4096)
def is_ending(tail: str) -> bool:
    """True when tail is empty or a case ending followed by an optional possessive and clitic."""
    if not tail:
        return True
    if len(tail) > MAX_ENDING:
        return False
    return any(_ending_rest(tail[len(e) :], 1) for e in _CASE_ENDINGS if tail.startswith(e)) or (
        _ending_rest(tail, 1)
    )


def _ending_rest(tail: str, stage: int) -> bool:
    # Stage 1 may still take a possessive suffix, stage 2 only a clitic.
    if not tail:
        return True
    if stage <= 1 and any(
        tail.startswith(p) and _ending_rest(tail[len(p) :], 2) for p in _POSSESSIVES
    ):
        return True
    return tail in _CLITICS


# Consonant gradation: the strong grade of a stem's last consonant cluster and its weak
# counterpart. "vienti" -> "vienni-" (viennistä), "kauppa" -> "kaupa-" (kaupan),
# "hanke" -> "hankke-" (hankkeen).
_STRONG_TO_WEAK = (
    ("kk", "k"),
    ("pp", "p"),
    ("tt", "t"),
    ("nt", "nn"),
    ("nk", "ng"),
    ("mp", "mm"),
    ("lt", "ll"),
    ("rt", "rr"),
    ("ht", "hd"),
    ("t", "d"),
    ("p", "v"),
)
_WEAK_TO_STRONG = (*tuple((weak, strong) for strong, weak in _STRONG_TO_WEAK), ("k", "kk"))
# A single k between vowels (or after h, l, r) may drop in the weak grade: mäki -> mäe(ltä),
# Lähteenmäki -> Lähteenmäe(ltä), jalka -> jala(n).
_K_DROPS = frozenset("aeiouyhlr")


def _regrade(word: str, table: tuple[tuple[str, str], ...]) -> Iterator[str]:
    """Yield word with its last consonant cluster before the final vowel(s) regraded."""
    end = len(word)
    while end and word[end - 1] in _VOWELS:
        end -= 1
    # The first letter never changes: search scans the vocabulary by it (STEM_CHANGE).
    if end == len(word) or end < 2:
        return
    if table is _WEAK_TO_STRONG and word[end - 1] == word[end - 2]:
        return  # already the strong grade (hankkee-, not hankkkee-)
    for old, new in table:
        if word[:end].endswith(old):
            yield word[: end - len(old)] + new + word[end:]
            return
    if table is _STRONG_TO_WEAK and word[end - 1] == "k" and word[end - 2] in _K_DROPS:
        yield word[: end - 1] + word[end:]


@lru_cache(maxsize=65536)
def stems(word: str) -> frozenset[str]:
    """Stems that inflected forms of a base-form word begin with (Finnish and English rules)."""
    out = {word}
    if len(word) < 3 or word.isdigit():
        return frozenset(out)
    last = word[-1]
    if last in _VOWELS:
        grades = {word, *_regrade(word, _STRONG_TO_WEAK)}
        if last == "e":
            # hanke -> hankke(ita), hankkee(n), hanket(ta); osoite -> osoittee(n)
            grades.update(_regrade(word, _WEAK_TO_STRONG))
            out.update(g + "e" for g in grades)
            out.add(word + "t")
        if last == "i":
            # Old i-words take an e-stem: suomi -> suome(n), lehti -> lehde(n), vienti -> vienne(istä).
            grades.update({word[:-1] + "e", *_regrade(word[:-1] + "e", _STRONG_TO_WEAK)})
        if last == "a":
            # Plural stems: luova -> luovi(en), ala -> alo(ja), kauppa -> kaupo(issa).
            grades.update(g[:-1] + v for g in list(grades) for v in "io")
        if last == "y":
            out.add(word[:-1] + "i")  # English: agency -> agenci(es)
        out.update(grades)
    else:
        out.add(word + "i")  # loanwords and acronyms: Bryssel -> Brysseli(ssä), ERRIN -> ERRINi
        out.add(word + "e")
        if word.endswith("nen"):
            out.update({word[:-3] + "se", word[:-3] + "s"})  # Koponen -> Kopose(lta), Kopos(ta)
        elif word.endswith(("us", "ys", "os", "is")):
            base = word[:-1]
            out.update(
                {base + "kse", base + "de", base + "t", base + "ks"}
            )  # koulutukse-, taloude-
        elif word.endswith("in"):
            out.add(word[:-2] + "ime")  # puhelin -> puhelime(n)
        elif word.endswith(("as", "es")) and len(word) >= 5 and word[-3] not in _VOWELS:
            # Kivekäs -> kivekkää(lle), rikas -> rikkaa(n), vieras -> vieraa(n)
            base = word[:-1]
            out.update(g + base[-1] for g in (base, *_regrade(base, _WEAK_TO_STRONG)))
        elif word[-1] == "t" and word[-2] in _VOWELS and len(word) >= 4:
            out.update(stems(word[:-1]))  # plural base forms: "luovat alat" -> ala, alo(jen)
    return frozenset(s for s in out if len(s) >= 3)


# Letters at the end of a word that inflection may change (koponen -> kopos-ta): a stem
# keeps all of its word but these, and is within this many edits of it.
STEM_CHANGE = 3


def stem_floor(word: str) -> str:
    """The start of word that every one of its stems keeps (a prefix of each of stems(word))."""
    # stems() rewrites at most the two consonants before a word's final vowels, after
    # taking off a plural t; an -as or -es word also loses its s. A test holds the two
    # in step; typo search relies on it to rule out words without stemming them.
    core = word[:-1] if word.endswith("t") else word
    return word[: max(0, min(len(word) - 4, len(core.rstrip(_VOWEL_LETTERS)) - 2))]


MIN_STEM = 3


def splits(token: str) -> Iterator[tuple[str, str]]:
    """Yield (head, tail) cuts of a token where tail is a valid ending, whole token first."""
    yield token, ""
    # A head shorter than MIN_STEM is too short to carry meaning once an ending is cut off.
    for cut in range(len(token) - 1, max(MIN_STEM, len(token) - MAX_ENDING) - 1, -1):
        tail = token[cut:]
        if is_ending(tail):
            yield token[:cut], tail


def typo_allowance(length: int) -> int:
    """Edits tolerated in a word of this length: none for short words, more for long ones."""
    if length <= 3:
        return 0
    if length <= 8:
        return 1
    return 2


# Words that carry no topic: question wrappers ("who handles", "kuka hoitaa", "ketä kysyn"),
# function words, and generic nouns ("hanke", "project") that every entry of a kind shares.
# They are dropped from queries and aliases alike, in base form; inflected forms are found
# through the same ending rules as registry words. Verb forms are listed as they are typed.
# Written already folded (no ä, ö), so that building the set costs nothing at start-up;
# a test checks that each is its own fold.
NOISE_WORDS = frozenset(
    """
    who whom whose what which where when how why is are was were be been the a an of for to in
    on at about with and or by from into this that these those it its there here me my i we our
    us you your they their he she his her someone somebody anyone anybody person people
    handles handle handling handled handler manages manage managing deals deal dealing
    looks look after takes charge responsible responsibility responsibilities
    in-charge contact contacts contacting reach reaching call email mail e-mail phone telephone
    tel number numbers address details info information please pls can could should would will
    do does did tell show find give get need want know ask asking question questions regarding
    re concerning related relating matters matter affairs issues issue topic topics project
    projects network networks programme program thing things help hi hello thanks thank
    talk talking speak speaking ring send sending write writing turn go ask talked whom's
    point own
    kuka ketka kenen kenelle kenelta keneen kehen kenesta keta kenet kuka mika mitka mita mista
    missa mihin milloin miten miksi onko oliko on ovat oli olisi ole ei en et se ne tama tuo nama
    nuo mina minulle minun mulle mun ma me meidan meille meilla sina sinun sa te he han joku
    jonkun kukaan hoitaa hoitaisi hoitelee hoidetaan hoitanut hoitava hoitaja hoitajat hoidan
    hoidat hoitavat vastaa vastaisi vastaavat vastaava vastaavan vastuu vastuuhenkilo
    vastuuhenkilot vastuullinen yhteyshenkilo yhteyshenkilot yhteystieto yhteystiedot yhteys
    puhelinnumero puhelin numero sahkoposti sahkopostiosoite osoite s-posti email kysyn kysya
    kysyisin kysytaan kysy kysymys kysymykset kysymyksia voin voisin voisi voiko saan saisin
    saako tietaa tietaisi tiedatko tiedotko osaa osaisi osaako loytyy loydan etsin haen
    tarvitsen tarvitaan haluan haluaisin ja tai seka etta kanssa liittyen liittyva liittyvat
    liittyy koskien koskeva koskevat osalta
    kautta asia asiat asioissa asiassa hanke projekti verkosto ohjelma hei moi moikka terve
    kiitos kiitti apua auta auttaa neuvoa neuvoo nyt taas viela myos
    soitan soitanko soitat soittaa soittaisin soittaisi soitto soittamaan kaannyn kaantya
    kaannyn kaantyisin puoleen puoleensa ilmoitan ilmoittaa ilmoittaisin lahetan lahettaa
    lahettaisin otan ottaa yhteytta yhteydessa juttelen jutella puhun puhua keskustella
    kerro kertoa kertoisitko kertoisit voisitko voitko tiedat tieto tietoa tiedot tietoja
    meilla taalla talossa minne kenen kenella olla kuuluu kuuluvat aihe
    """.split()
)
