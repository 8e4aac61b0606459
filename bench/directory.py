"""Sync 10,000 people and 2,000 groups from a local slapd, then time warm lookups on the result.

    python bench/directory.py             # about a minute on 2 cores
    python bench/directory.py --people 2000 --groups 400 --runs 5

Needs slapd, ldap-utils and openssl (`apt-get install slapd ldap-utils openssl`). The
directory is generated (deterministic), loaded with slapadd before slapd starts, and served
on a free localhost port over StartTLS with a CA made for the run (tests/slapd.py). Each
`kvlookup sync` is a whole process: its wall time and peak RSS (wait4) are reported. Then
`who FEDARENE --format json` on the merged registry, warm, is timed interleaved with
`python -c "import typer"`, the baseline of issue 5's start-up targets.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402  (bench/run.py: the process timer and the table rows)

from tests import slapd  # noqa: E402

FIRST = "Aino Antti Eero Elina Hanna Heikki Ilkka Jaana Juha Kaisa Lauri Liisa Markku Minna Olli Päivi Sanna Timo Tuula Ville".split()
LAST = "Aalto Heikkinen Hämäläinen Järvinen Korhonen Koskinen Laine Lehtonen Mäkinen Nieminen Ojala Rantanen Salminen Virtanen".split()
TITLES = "suunnittelija erityisasiantuntija kehittämispäällikkö aluekehitysjohtaja hallintosihteeri".split()
WORDS = "liikenne maankäyttö kulttuuri matkailu energia ilmasto osaaminen rahoitus hankinnat viestintä tietohallinto talous".split()


def _value(attr: str, text: str) -> str:
    """An LDIF line; base64 when the value is not plain ASCII (RFC 2849)."""
    if text.isascii() and not text.startswith((" ", ":", "<")):
        return f"{attr}: {text}"
    return f"{attr}:: {base64.b64encode(text.encode()).decode()}"


def generate(path: Path, people: int, groups: int) -> None:
    """A deterministic LDIF: the test fixture's people and groups, then synthetic ones."""
    rng = random.Random(5)
    suffix = slapd.SUFFIX
    lines = [(ROOT / "tests" / "data" / "ldap" / "directory.ldif").read_text(encoding="utf-8")]
    uids = []
    for i in range(people):
        given, family = rng.choice(FIRST), rng.choice(LAST)
        uid = f"p{i:05d}"
        uids.append(uid)
        lines += [
            f"dn: uid={uid},ou=people,{suffix}",
            "objectClass: inetOrgPerson",
            f"uid: {uid}",
            _value("cn", f"{given} {family} {i}"),
            _value("sn", family),
            _value("title", rng.choice(TITLES)),
            f"telephoneNumber: +358 40 {1000000 + i:07d}",
            f"mail: {uid}@bench.keskisuomi.fi",
            "",
        ]
    for g in range(groups):
        members = rng.sample(uids, 5)
        lines += [
            f"dn: cn=Ryhma {g:04d},ou=groups,{suffix}",
            "objectClass: groupOfNames",
            f"cn: Ryhma {g:04d}",
            _value("description", f"{rng.choice(WORDS)} {rng.choice(WORDS)} {g}"),
            *(f"member: uid={m},ou=people,{suffix}" for m in members),
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    """Start slapd on a generated directory, sync it, time warm lookups, print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--groups", type=int, default=2000)
    parser.add_argument("--syncs", type=int, default=3)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--generate", type=Path, help="only write the LDIF to this file")
    args = parser.parse_args()
    if args.generate:
        generate(args.generate, args.people, args.groups)
        return
    if reason := slapd.missing():
        raise SystemExit(f"cannot run: {reason}")
    bench.compile_bytecode()
    work = Path(tempfile.mkdtemp(prefix="kvlookup-bench-directory-"))
    server = slapd.Slapd(work / "slapd")
    try:
        ldif = work / "directory.ldif"
        # In a process of its own: Linux counts the parent's memory at fork into each
        # child's peak RSS, so the timing process must stay small.
        subprocess.run(
            [sys.executable, __file__, "--generate", str(ldif), "--people", str(args.people),
             "--groups", str(args.groups)],
            check=True,
        )  # fmt: skip
        conf = server.write_config()
        slapadd = slapd.find_binary("slapadd") or "slapadd"
        subprocess.run([slapadd, "-q", "-f", str(conf), "-l", str(ldif)], check=True)
        server.start()

        registry = work / "contacts.toml"
        shutil.copyfile(ROOT / "data" / "contacts.toml", registry)
        config = work / "config.toml"
        config.write_text(
            "[directory]\n"
            f'url = "{server.url}"\nstarttls = true\nca_file = "{server.ca}"\n'
            f'base_dn = "{slapd.SUFFIX}"\nbind_dn = "{slapd.READER_DN}"\n\n'
            f'[directory.people]\nbase = "ou=people,{slapd.SUFFIX}"\n\n'
            f'[directory.groups]\nbase = "ou=groups,{slapd.SUFFIX}"\n',
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("KVLOOKUP_")}
        env |= {
            "KVLOOKUP_REGISTRY": str(registry),
            "KVLOOKUP_CONFIG": str(config),
            "KVLOOKUP_LDAP_PASSWORD": slapd.READER_PASSWORD,
            "XDG_CACHE_HOME": str(work / "xdg-cache"),
        }
        print(f"sync of {args.people:,} people and {args.groups:,} groups:", file=sys.stderr)
        syncs = [bench.run_once([*bench.KV, "sync"], env) for _ in range(args.syncs)]
        times = [s[0] for s in syncs]
        rss = [s[1] / 1024 for s in syncs]
        copy = next((work / "xdg-cache" / "kvlookup").glob("directory-*.json"))
        first = bench.run_once([*bench.KV, "who", "FEDARENE", "--format", "json"], env)
        base, plain, warm, plain_table, table = bench.measure(
            [
                bench.Case('python -c "import typer" (baseline)', [bench.PY, "-c", "import typer"]),
                # The same registry with no config (env execs in place: same process).
                bench.Case(
                    "who FEDARENE --format json, warm, no config (registry alone)",
                    [
                        "env",
                        "-u",
                        "KVLOOKUP_CONFIG",
                        *bench.KV,
                        "who",
                        "FEDARENE",
                        "--format",
                        "json",
                    ],
                ),
                bench.Case(
                    "who FEDARENE --format json, warm, merged directory",
                    [*bench.KV, "who", "FEDARENE", "--format", "json"],
                ),
                bench.Case(
                    "who FEDARENE --format table, warm, no config (registry alone)",
                    [
                        "env",
                        "-u",
                        "KVLOOKUP_CONFIG",
                        *bench.KV,
                        "who",
                        "FEDARENE",
                        "--format",
                        "table",
                    ],
                ),
                bench.Case(
                    "who FEDARENE --format table, warm, merged directory",
                    [*bench.KV, "who", "FEDARENE", "--format", "table"],
                ),
            ],
            env,
            args.runs,
        )
        print("| case | median ms | spread ms | ratio | peak MB | memory ratio |")
        print("|---|---:|---:|---:|---:|---:|")
        spread = f"{min(times) * 1000:.0f}–{max(times) * 1000:.0f}"
        print(
            f"| kvlookup sync ({args.people:,} people, {args.groups:,} groups; {args.syncs} runs) "
            f"| {statistics.median(times) * 1000:.0f} | {spread} | | {statistics.median(rss):.0f} | |"
        )
        print(
            f"| who FEDARENE, first run after the sync "
            f"| {first[0] * 1000:.0f} | | | {first[1] / 1024:.0f} | |"
        )
        for result in (base, plain, warm, plain_table, table):
            print(bench.row(result, base))
        print(f"\nsynced copy: {copy.stat().st_size / 1e6:.1f} MB")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
