"""Generate a deterministic, realistic registry of N entries for benchmarks.

The bundled registry comes first (so real queries such as "FEDARENE" keep their answers),
then synthetic topics, projects and networks with Finnish and English names and aliases,
and one person per ten entries.

    python bench/gen.py 100000 -o bench/out/registry-100000.toml
    python bench/gen.py 100000 --shape long -o bench/out/registry-long-100000.toml

The long shape (issue 11, item 22) gives every entry 5 aliases and 29 name words in all
(name and aliases), and a description in both languages: long official names, as some
organisations keep them, which make the vocabulary and the first run much larger.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Finnish topic words with an English gloss; compounds of two make realistic topic names.
WORDS = [
    ("liikenne", "transport"),
    ("energia", "energy"),
    ("ympäristö", "environment"),
    ("matkailu", "tourism"),
    ("kulttuuri", "culture"),
    ("maaseutu", "rural"),
    ("elinkeino", "business"),
    ("terveys", "health"),
    ("hyvinvointi", "wellbeing"),
    ("turvallisuus", "safety"),
    ("digitalisaatio", "digitalisation"),
    ("innovaatio", "innovation"),
    ("tutkimus", "research"),
    ("yrittäjyys", "entrepreneurship"),
    ("nuoriso", "youth"),
    ("vesi", "water"),
    ("metsä", "forest"),
    ("kiertotalous", "circular economy"),
    ("ilmasto", "climate"),
    ("aluekehitys", "regional development"),
    ("kaavoitus", "zoning"),
    ("rakentaminen", "construction"),
    ("työllisyys", "employment"),
    ("osaaminen", "skills"),
    ("viestintä", "communications"),
    ("rahoitus", "funding"),
    ("liikunta", "sports"),
    ("asuminen", "housing"),
    ("maatalous", "agriculture"),
    ("kalatalous", "fisheries"),
    ("luonto", "nature"),
    ("logistiikka", "logistics"),
    ("koulutus", "education"),
    ("teollisuus", "industry"),
    ("kauppa", "trade"),
    ("media", "media"),
    ("musiikki", "music"),
    ("ruoka", "food"),
    ("vanhus", "elderly care"),
    ("saavutettavuus", "accessibility"),
]
SUFFIXES = [
    ("neuvonta", "advice"),
    ("ohjelma", "programme"),
    ("strategia", "strategy"),
    ("yhteistyö", "cooperation"),
    ("verkosto", "network"),
    ("suunnittelu", "planning"),
    ("kehittäminen", "development"),
    ("edunvalvonta", "advocacy"),
    ("rahoitus", "funding"),
    ("seuranta", "monitoring"),
    ("palvelut", "services"),
    ("hankkeet", "projects"),
]
PLACES = [
    "Jyväskylä",
    "Äänekoski",
    "Jämsä",
    "Keuruu",
    "Laukaa",
    "Muurame",
    "Saarijärvi",
    "Viitasaari",
    "Hankasalmi",
    "Joutsa",
    "Kannonkoski",
    "Karstula",
    "Kinnula",
    "Kivijärvi",
    "Konnevesi",
    "Kuhmoinen",
    "Kyyjärvi",
    "Luhanka",
    "Multia",
    "Petäjävesi",
    "Pihtipudas",
    "Toivakka",
    "Uurainen",
    "Tampere",
    "Oulu",
    "Kuopio",
    "Turku",
    "Vaasa",
    "Pori",
    "Seinäjoki",
]
PROGRAMMES = [
    "Interreg Europe",
    "Interreg Baltic Sea Region",
    "Horizon Europe",
    "Erasmus+",
    "LIFE",
    "Creative Europe",
    "Interreg Aurora",
    "EAKR",
    "ESR+",
    "Leader",
]
EN_WORDS = [
    "Smart",
    "Green",
    "Regions",
    "Rural",
    "Urban",
    "Nordic",
    "Baltic",
    "Arctic",
    "Digital",
    "Circular",
    "Innovation",
    "Transition",
    "Ecosystems",
    "Clusters",
    "Skills",
    "Mobility",
    "Energy",
    "Forest",
    "Water",
    "Heritage",
    "Youth",
    "Health",
    "Food",
    "Tourism",
    "Culture",
]
FIRST = """Aino Anna Antti Ari Eero Eeva Elina Emilia Esa Harri Heikki Helena Henna Ilkka Jaana
Jari Johanna Jouni Juha Jukka Jussi Kaisa Kalle Katja Kirsi Laura Leena Liisa Marja Markku
Matti Mervi Mika Mikko Minna Niina Olli Outi Paula Pekka Petri Pirjo Riikka Risto Sanna
Sari Seppo Suvi Tapio Teemu Tiina Timo Tuomas Ulla Veikko Ville""".split()
LAST = """Virtanen Korhonen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen
Järvinen Lehtonen Lehtinen Saarinen Salminen Heinonen Niemi Heikkilä Kinnunen Salonen
Turunen Salo Laitinen Tuominen Rantanen Karjalainen Jokinen Mattila Savolainen Lahtinen
Ahonen Leinonen Hiltunen Kallio Miettinen Aaltonen Pitkänen Manninen Väisänen Lindholm
Honkanen Hirvonen Kauppinen Peltonen Anttila Toivonen Räsänen Leppänen Seppälä Laaksonen""".split()
TITLES = [
    ("kehittämispäällikkö", "Development Manager"),
    ("suunnittelija", "Planner"),
    ("erityisasiantuntija", "Senior Specialist"),
    ("aluekehitysjohtaja", "Director of Regional Development"),
    ("projektipäällikkö", "Project Manager"),
    ("asiantuntija", "Specialist"),
]
ASCII = str.maketrans("äöåÄÖÅ", "aoaAOA")


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _slug(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.translate(ASCII).lower())
    return "-".join(p for p in out.split("-") if p)


def generate(n_entries: int, seed: int = 1, shape: str = "short") -> str:
    """TOML text of a registry with the bundled entries plus n_entries synthetic ones."""
    if shape == "long":
        return _generate_long(n_entries, seed)
    rnd = random.Random(seed)
    out = [(ROOT / "data" / "contacts.toml").read_text(encoding="utf-8"), "\n# --- generated ---\n"]
    n_people = max(4, n_entries // 10)
    people = _people(rnd, n_people, out)
    used: set[str] = set()
    kinds = ["topics", "projects", "networks"]
    i = 0
    while i < n_entries:
        kind = kinds[i % 3] if i % 5 else "topics"
        if kind == "topics":
            (w1, e1), (w2, e2), (w3, e3) = (
                rnd.choice(WORDS),
                rnd.choice(WORDS),
                rnd.choice(SUFFIXES),
            )
            place = rnd.choice(PLACES)
            name = f"{w1.capitalize()}{w2}{w3} {place}"
            aliases = [f"{e1} {e2} {e3} {place}", f"{w1}-{w2}{w3} {place}"]
        elif kind == "projects":
            acronym = "".join(
                rnd.choice("ABCDEFGHIJKLMNOPRSTUVWXYZ") for _ in range(rnd.randint(4, 6))
            )
            acronym += rnd.choice(["", "2", "3", "4"])
            name = acronym
            words = rnd.sample(EN_WORDS, 3)
            aliases = [f"{acronym}-hanke", f"{' '.join(words)} {rnd.choice(PROGRAMMES)} {acronym}"]
        else:
            (w1, e1) = rnd.choice(WORDS)
            place = rnd.choice(PLACES)
            acronym = "".join(rnd.choice("ABCDEFGHIJKLMNOPRSTUVWXYZ") for _ in range(5))
            name = f"{acronym} {place}"
            aliases = [f"European {e1} network {acronym}", f"Euroopan {w1}verkosto {acronym}"]
        description = f"description = {_q('Generoitu kohde ' + name + '.')}\n"
        i += _entry(rnd, out, used, people, (kind, i, name, aliases, description))
    return "".join(out)


def _people(rnd: random.Random, n_people: int, out: list[str]) -> list[str]:
    """Write n_people people into out; their ids."""
    people: list[str] = []
    used_emails: set[str] = set()
    for i in range(n_people):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        pid = f"p{i}-{_slug(first)}-{_slug(last)}"
        email = f"{_slug(first)}.{_slug(last)}@keskisuomi.fi".replace("-", "")
        if email in used_emails:
            email = email.replace("@", f"{i}@")
        used_emails.add(email)
        title = rnd.choice(TITLES)
        phone = f"+358 40 {rnd.randrange(1000000, 9999999)}"
        out.append(
            f"[people.{pid}]\nname = {_q(first + ' ' + last)}\ntitle = {_q(title[0])}\n"
            f"title_en = {_q(title[1])}\nphone = {_q(phone)}\nemail = {_q(email)}\n\n"
        )
        people.append(pid)
    return people


def _long_labels(rnd: random.Random) -> tuple[str, list[str], str, str]:
    """Name, 5 aliases (29 words with the name), Finnish and English description."""
    (w1, e1), (w2, e2), (w3, e3) = rnd.sample(WORDS, 3)
    (s1, f1), (s2, f2) = rnd.sample(SUFFIXES, 2)
    place, other = rnd.sample(PLACES, 2)
    programme = rnd.choice(PROGRAMMES)
    acronym = "".join(rnd.choice("ABCDEFGHIJKLMNOPRSTUVWXYZ") for _ in range(5))
    en = rnd.sample(EN_WORDS, 2)
    name = f"{place}n seudun {w1}- ja {w2}{s1} {other} {acronym}"  # 7 words
    aliases = [
        f"{e1} and {e2} {f1} {place} {acronym}",  # 6 (or 7: a two-word gloss)
        f"{w1}{s1} {w2}{s2} {place} {acronym}",  # 4
        f"{' '.join(en)} {programme} {acronym}",  # 4 or more
        f"{acronym}-{w3}{s2} {other}",  # 3
        f"{w1}{w2}{s1} {e3} {f2} {other} {acronym}",  # 5 or more
    ]
    fi = (
        f"{place}n seudun {w1}- ja {w2}asioiden {s1} sekä {w3}{s2} yhteistyössä "
        f"{other}n kanssa, rahoittajana {programme}."
    )
    en_text = (
        f"{e1.capitalize()} and {e2} {f1} for the {place} region, with {e3} {f2} "
        f"in cooperation with {other}, funded by {programme}."
    )
    return name, aliases, fi, en_text


def _entry(
    rnd: random.Random,
    out: list[str],
    used: set[str],
    people: list[str],
    entry: tuple[str, int, str, list[str], str],
) -> int:
    """Write one entry (kind, number, name, aliases, description lines); 0 if a name is taken."""
    kind, i, name, aliases, description = entry
    keys = {
        " ".join(a.translate(ASCII).lower().replace("-", " ").split()) for a in [name, *aliases]
    }
    if keys & used:
        return 0  # a registry refuses a repeated name or alias: draw another
    used |= keys
    contacts = rnd.sample(people, k=rnd.choice([1, 1, 1, 2]))
    out.append(
        f"[{kind}.{_slug(name)}-{i}]\nname = {_q(name)}\n"
        f"aliases = [{', '.join(_q(a) for a in aliases)}]\n{description}"
        f"contacts = [{', '.join(_q(c) for c in contacts)}]\n\n"
    )
    return 1


def _generate_long(n_entries: int, seed: int) -> str:
    """The long shape: every entry has 5 aliases, 29 name words and two descriptions."""
    rnd = random.Random(seed)
    out = [(ROOT / "data" / "contacts.toml").read_text(encoding="utf-8"), "\n# --- generated ---\n"]
    people = _people(rnd, max(4, n_entries // 10), out)
    used: set[str] = set()
    kinds = ["topics", "projects", "networks"]
    i = 0
    while i < n_entries:
        kind = kinds[i % 3]
        name, aliases, fi, en_text = _long_labels(rnd)
        description = f"description = {_q(fi)}\ndescription_en = {_q(en_text)}\n"
        i += _entry(rnd, out, used, people, (kind, i, name, aliases, description))
    return "".join(out)


def main() -> None:
    """Command line: size and output path."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("entries", type=int)
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--shape",
        choices=["short", "long"],
        default="short",
        help="long: 5 aliases and 29 name words per entry, descriptions in both languages",
    )
    args = parser.parse_args()
    text = generate(args.entries, args.seed, args.shape)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
