"""Time whole-process runs of kvlookup against baselines measured in the same run.

    python bench/run.py            # all sizes; about five minutes on 2 cores
    python bench/run.py --quick    # bundled registry and 1k/10k only

Prints a Markdown table: median wall time, spread (min-max), peak memory (max RSS), and
each figure as a ratio to its baseline (`python -c "import typer"` for start-up, a bare
`tomllib.load` of the same file for cold runs).
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


def measure(cases: list[Case], env: dict[str, str], runs: int) -> list[Result]:
    """Run the cases in turn, one warm-up round and then `runs` timed rounds.

    Interleaving puts every case of a round under the same machine load, so a ratio to a
    baseline is not skewed by load that changes between cases (a shared 2-core machine
    drifts by 10% from minute to minute).
    """
    for case in cases:
        run_once(case.cmd, env, case.before)
    samples: list[list[tuple[float, int]]] = [[] for _ in cases]
    for _ in range(runs):
        for case, out in zip(cases, samples, strict=True):
            out.append(run_once(case.cmd, env, case.before))
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
    args = parser.parse_args()
    sizes = [1000, 10000] if args.quick else [1000, 10000, 100000]
    compile_bytecode()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KVLOOKUP_")}
    # The default cache location, as on a user's machine (the user cache folder), kept
    # inside bench/out through XDG_CACHE_HOME.
    env["XDG_CACHE_HOME"] = str(OUT / "xdg-cache")
    OUT.mkdir(exist_ok=True)
    for n in sizes:
        path = OUT / f"registry-{n}.toml"
        if not path.exists():
            subprocess.run([PY, str(HERE / "gen.py"), str(n), "-o", str(path)], check=True)

    scratch = OUT / "contacts.toml"  # edits are measured on a copy, never on the real file
    scratch.write_bytes((HERE.parent / "data" / "contacts.toml").read_bytes())
    lines = [
        "| case | median ms | spread ms | ratio | peak MB | memory ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    print("start-up, bundled registry (warm cache):", file=sys.stderr)
    base, *startup = measure(
        [
            Case('python -c "import typer" (baseline)', [PY, "-c", "import typer"]),
            Case("python -c pass", [PY, "-c", "pass"]),
            Case(
                'python -c "import typer, rich.console, rich.table"',
                [PY, "-c", "import typer, rich.console, rich.table"],
            ),
            Case("who FEDARENE --format json", [*KV, "who", "FEDARENE", "--format", "json"]),
            Case("who FEDARENE --format table", [*KV, "who", "FEDARENE", "--format", "table"]),
            Case("who (38-word query) --format json", [*KV, "who", LONG_QUERY, "--format", "json"]),
            Case("who fedarnee (typo) --format json", [*KV, "who", "fedarnee", "--format", "json"]),
            Case("--help", [*KV, "--help"]),
            Case("export --format csv", [*KV, "export", "--format", "csv"]),
            Case(
                "add topic --dry-run",
                [
                    *KV,
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
        ],
        env,
        args.runs,
    )
    lines.append(row(base, base))
    lines += [row(r, base) for r in startup]

    for n in sizes:
        path = OUT / f"registry-{n}.toml"
        reg = ["--registry", str(path)]
        runs = max(3, args.runs // (3 if n >= 100000 else 1))
        print(f"{n} entries:", file=sys.stderr)
        lines.append(f"| **{n:,} entries** | | | | | |")
        floor, cold = measure(
            [
                Case(
                    f"tomllib.load, bare ({n:,}) (cold baseline)",
                    [PY, "-c", f"import tomllib; tomllib.load(open({str(path)!r}, 'rb'))"],
                ),
                Case(
                    f"who FEDARENE, first run after a change ({n:,})",
                    KV + reg + ["who", "FEDARENE", "--format", "json"],
                    before=["touch", str(path)],
                ),
            ],
            env,
            runs,
        )
        lines += [row(floor, floor), row(cold, floor)]
        # The baseline runs again inside the group, interleaved with the cases it divides.
        group_base, *warm = measure(
            [
                Case(
                    f'python -c "import typer" (baseline, {n:,} group)', [PY, "-c", "import typer"]
                ),
                *(
                    Case(f"{name} ({n:,})", KV + reg + extra)
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
            runs,
        )
        lines += [row(group_base, group_base), *(row(r, group_base) for r in warm)]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
