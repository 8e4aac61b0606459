"""Time whole-process runs of kvlookup against baselines measured in the same run.

    python bench/run.py            # all sizes, both shapes at 100k; about 15 minutes on 2 cores
    python bench/run.py --quick    # bundled registry, 1k/10k, the long shape at 10k
    python bench/run.py --startup --against OTHER/bin/kvlookup --runs 60
                                   # start-up only, beside another install, paired by round

Prints a Markdown table: median wall time, spread (min-max), peak memory (max RSS), and
each figure as a ratio to its baseline (`python -c "import typer"` for start-up, a
`tomllib.load` of the same file with the garbage collector off for first runs, as kvlookup
loads, and `kvlookup list` on the same file for edits and exports).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PY = sys.executable
# The console script users type, installed beside this Python; `python -m` as a fallback.
_SCRIPT = Path(PY).with_name("kvlookup")
KV = [str(_SCRIPT)] if _SCRIPT.exists() else [PY, "-m", "kvlookup"]
LONG_QUERY = (
    "hei kuka hoitaa ja kenelle voin soittaa tai keneltä kysyn kuka on vastuuhenkilö "
    "ja yhteyshenkilö puhelinnumero sähköposti who handles who is the contact person for "
    "FEDARENE FEDARENE FEDARENE FEDARENE kiitos"
)


@dataclass
class Result:
    """Timings of one case."""

    name: str
    times: list[float]
    rss_kb: list[int]

    @property
    def median(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(self.times)

    @property
    def peak_mb(self) -> float:
        """Median of the runs' peak resident memory, in MB."""
        return statistics.median(self.rss_kb) / 1024


def run_once(
    cmd: list[str], env: dict[str, str], before: list[str] | None = None
) -> tuple[float, int]:
    """Wall time and max RSS (KB) of one process."""
    if before:
        subprocess.run(before, check=True)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd} exited {proc.returncode}")
    return elapsed, usage.ru_maxrss


@dataclass
class Case:
    """A command to time, and one to run untimed before each run (touch, to make it cold)."""

    name: str
    cmd: list[str]
    before: list[str] | None = None
    env: dict[str, str] | None = None  # instead of the group's


def measure(cases: list[Case], env: dict[str, str], runs: int) -> list[Result]:
    """Run the cases in turn, one warm-up round and then `runs` timed rounds.

    Interleaving puts every case of a round under the same machine load, so a ratio to a
    baseline is not skewed by load that changes between cases (a shared 2-core machine
    drifts by 10% from minute to minute).
    """
    for case in cases:
        run_once(case.cmd, case.env or env, case.before)
    samples: list[list[tuple[float, int]]] = [[] for _ in cases]
    for _ in range(runs):
        for case, out in zip(cases, samples, strict=True):
            out.append(run_once(case.cmd, case.env or env, case.before))
    results = []
    for case, out in zip(cases, samples, strict=True):
        result = Result(case.name, [s[0] for s in out], [s[1] for s in out])
        print(
            f"  {case.name}: {result.median * 1000:.0f} ms, {result.peak_mb:.0f} MB",
            file=sys.stderr,
        )
        results.append(result)
    return results


def row(r: Result, base: Result | None) -> str:
    """One Markdown table row."""
    ratio = f"{r.median / base.median:.2f}×" if base else ""
    mem = f"{r.peak_mb / base.peak_mb:.2f}×" if base else ""
    spread = f"{min(r.times) * 1000:.0f}–{max(r.times) * 1000:.0f}"
    return f"| {r.name} | {r.median * 1000:.0f} | {spread} | {ratio} | {r.peak_mb:.0f} | {mem} |"


def against_table(ours: list[Result], theirs: list[Result]) -> list[str]:
    """This install's start-up over the other's: of the medians, and paired by round."""
    lines = [
        "| case | this / against, medians | paired by round: median | p25–p75 |",
        "|---|---:|---:|---:|",
    ]
    for mine, other in zip(ours, theirs, strict=True):
        # A round ran both back to back, so the machine's drift cancels out of each ratio.
        paired = sorted(a / b for a, b in zip(mine.times, other.times, strict=True))
        quarter = len(paired) // 4
        lines.append(
            f"| {mine.name} | {mine.median / other.median:.3f}× | "
            f"{statistics.median(paired):.3f}× | "
            f"{paired[quarter]:.3f}–{paired[-1 - quarter]:.3f}× |"
        )
    return lines


def compile_bytecode() -> None:
    """Write kvlookup's bytecode, as pip does when it installs the package.

    An editable install never gets any when PYTHONDONTWRITEBYTECODE is set, and every run
    would then time the compiler: 18 ms of a 70 ms 'who' (bench/README.md).
    """
    where = subprocess.run(
        [PY, "-c", "import kvlookup, os; print(os.path.dirname(kvlookup.__file__))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    subprocess.run([PY, "-m", "compileall", "-q", where], check=True)


def main() -> None:
    """Generate the registries if needed, run every case, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip the 100k registry")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--startup", action="store_true", help="only the start-up group")
    parser.add_argument(
        "--against",
        metavar="KVLOOKUP",
        help="another install's kvlookup script: its start-up cases run beside these, "
        "in the same rounds, and a second table gives this one's time over its",
    )
    args = parser.parse_args()
    # (shape, entries): the long shape has 5 aliases and 29 name words per entry (gen.py).
    registries = [("short", 1000), ("short", 10000)]
    registries += [("long", 10000)] if args.quick else [("short", 100000), ("long", 100000)]
    edit_size = 10000 if args.quick else 100000
    compile_bytecode()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KVLOOKUP_")}
    # The default cache location, as on a user's machine (the user cache folder), kept
    # inside bench/out through XDG_CACHE_HOME.
    env["XDG_CACHE_HOME"] = str(OUT / "xdg-cache")
    OUT.mkdir(exist_ok=True)
    for shape, n in registries:
        path = registry_file(shape, n)
        if not path.exists():
            subprocess.run(
                [PY, str(HERE / "gen.py"), str(n), "--shape", shape, "-o", str(path)], check=True
            )

    scratch = OUT / "contacts.toml"  # edits are measured on a copy, never on the real file
    scratch.write_bytes((HERE.parent / "data" / "contacts.toml").read_bytes())
    lines = [
        "| case | median ms | spread ms | ratio | peak MB | memory ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    print("start-up, bundled registry (warm cache):", file=sys.stderr)
    kv_cases = [
        ("who FEDARENE --format json", ["who", "FEDARENE", "--format", "json"]),
        ("who FEDARENE --format table", ["who", "FEDARENE", "--format", "table"]),
        ("who (38-word query) --format json", ["who", LONG_QUERY, "--format", "json"]),
        ("who fedarnee (typo) --format json", ["who", "fedarnee", "--format", "json"]),
        ("--help", ["--help"]),
        ("export --format csv", ["export", "--format", "csv"]),
        (
            "add topic --dry-run",
            [
                "--registry",
                str(scratch),
                "add",
                "topic",
                "bench-x",
                "--name",
                "Bench X",
                "--dry-run",
            ],
        ),
    ]
    other: list[Case] = []
    against: list[str] = []
    if args.against:
        # Its own cache folder: two versions sharing one would rebuild each other's cache.
        other_env = env | {"XDG_CACHE_HOME": str(OUT / "xdg-cache-against")}
        other = [
            Case(f"{name} (against)", [args.against, *argv], env=other_env)
            for name, argv in kv_cases
        ]
    base, *startup = measure(
        [
            Case('python -c "import typer" (baseline)', [PY, "-c", "import typer"]),
            Case("python -c pass", [PY, "-c", "pass"]),
            Case(
                'python -c "import typer, rich.console, rich.table"',
                [PY, "-c", "import typer, rich.console, rich.table"],
            ),
            *(Case(name, [*KV, *argv]) for name, argv in kv_cases),
            *other,
        ],
        env,
        args.runs,
    )
    lines.append(row(base, base))
    lines += [row(r, base) for r in startup]
    if other:
        ours, theirs = startup[2 : 2 + len(kv_cases)], startup[2 + len(kv_cases) :]
        against = against_table(ours, theirs)
    if args.startup:
        print("\n".join(lines))
        if other:
            print("\n" + "\n".join(against))
        return

    for shape, n in registries:
        path = registry_file(shape, n)
        reg = ["--registry", str(path)]
        runs = max(3, args.runs // (3 if n >= 100000 else 1))
        label = f"{n:,}" if shape == "short" else f"{n:,}, long"
        print(f"{label} entries:", file=sys.stderr)
        lines.append(f"| **{label} entries** | | | | | |")
        load = f"tomllib.load(open({str(path)!r}, 'rb'))"
        # kvlookup loads with the cyclic collector off (bench/README.md, finding 2), so the
        # honest yardstick is a parse with it off too; the bare parse is shown beside it.
        floor, bare, parser, cold = measure(
            [
                Case(
                    f"tomllib.load, GC off ({label}) (cold baseline)",
                    [PY, "-c", f"import gc, tomllib; gc.disable(); {load}"],
                ),
                Case(f"tomllib.load, bare ({label})", [PY, "-c", f"import tomllib; {load}"]),
                # kvlookup's own parser (kvlookup.sources.tomlread: rtoml, and tomli for
                # what rtoml refuses): how much of a first run is parsing, and how much is
                # kvlookup's work on top.
                Case(
                    f"tomlread.loads, GC off, kvlookup's parser ({label})",
                    [
                        PY,
                        "-c",
                        "import gc; gc.disable(); from kvlookup.sources import tomlread; "
                        f"tomlread.loads(open({str(path)!r}, encoding='utf-8').read())",
                    ],
                ),
                Case(
                    f"who FEDARENE, first run after a change ({label})",
                    KV + reg + ["who", "FEDARENE", "--format", "json"],
                    before=["touch", str(path)],
                ),
            ],
            env,
            runs,
        )
        lines += [row(floor, floor), row(bare, floor), row(parser, floor), row(cold, floor)]
        same = Result(
            f"the same first runs, against the bare parse ({label})", cold.times, cold.rss_kb
        )
        lines.append(row(same, bare))
        # The baseline runs again inside the group, interleaved with the cases it divides.
        group_base, *warm = measure(
            [
                Case(
                    f'python -c "import typer" (baseline, {label} group)',
                    [PY, "-c", "import typer"],
                ),
                *(
                    Case(f"{name} ({label})", KV + reg + extra)
                    for name, extra in [
                        ("who FEDARENE, warm", ["who", "FEDARENE", "--format", "json"]),
                        (
                            "who kuka hoitaa koulutusvientiä, warm",
                            ["who", "kuka hoitaa koulutusvientiä", "--format", "json"],
                        ),
                        ("who fedarnee (typo), warm", ["who", "fedarnee", "--format", "json"]),
                        (
                            "who soittaa FEDARENE (one unknown word), warm",
                            ["who", "soittaa FEDARENE", "--format", "json"],
                        ),
                        ("who (38-word query), warm", ["who", LONG_QUERY, "--format", "json"]),
                    ]
                ),
            ],
            env,
            # All the rounds asked for: a warm run takes a tenth of a second, and the six
            # rounds of a 100k first run left these ratios moving by 0.2 between runs.
            args.runs,
        )
        lines += [row(group_base, group_base), *(row(r, group_base) for r in warm)]
    lines += edits(edit_size, env, max(3, args.runs // (3 if edit_size >= 100000 else 1)))
    print("\n".join(lines))
    if other:
        print("\n" + "\n".join(against))


def registry_file(shape: str, n: int) -> Path:
    """Where gen.py's registry of this shape and size is kept."""
    return OUT / (f"registry-{n}.toml" if shape == "short" else f"registry-{shape}-{n}.toml")


def edits(n: int, env: dict[str, str], runs: int) -> list[str]:
    """Rows for set, import (300 CSV rows) and export, against a warm `list` of the file."""
    path = registry_file("short", n)
    # Edits change their file, so each run edits a fresh copy made before it (untimed).
    scratch = OUT / f"edit-{n}.toml"
    fresh = ["cp", str(path), str(scratch)]
    person = next(
        line[len("[people.") : -1]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("[people.p0-")
    )
    rows = OUT / "import-300.csv"
    rows.write_text(
        "name,phone,email,handles\n"
        + "".join(
            f"Uusi{i} Henkilö,040 {2000000 + i},uusi{i}@example.fi,Aihe{i};Teema{i}\n"
            for i in range(300)
        ),
        encoding="utf-8",
    )
    reg = ["--registry", str(path)]
    print(f"edits and exports, {n:,} entries:", file=sys.stderr)
    base, *timed = measure(
        [
            Case(f"list (baseline, {n:,})", KV + reg + ["list", "--format", "tsv"]),
            Case(f"export --format csv ({n:,})", KV + reg + ["export", "--format", "csv"]),
            Case(f"export --format json ({n:,})", KV + reg + ["export", "--format", "json"]),
            Case(
                f"set PERSON title X ({n:,})",
                [*KV, "--registry", str(scratch), "set", person, "title", "Bench Planner"],
                before=fresh,
            ),
            Case(
                f"import 300 CSV rows --yes ({n:,})",
                [*KV, "--registry", str(scratch), "import", str(rows), "--yes"],
                before=fresh,
            ),
        ],
        env,
        runs,
    )
    return [f"| **edits and exports, {n:,} entries** | | | | | |", row(base, base)] + [
        row(r, base) for r in timed
    ]


if __name__ == "__main__":
    main()
