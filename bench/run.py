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


def measure(
    name: str, cmd: list[str], env: dict[str, str], runs: int, before: list[str] | None = None
) -> Result:
    """Run a case several times after one warm-up run."""
    run_once(cmd, env, before)
    samples = [run_once(cmd, env, before) for _ in range(runs)]
    result = Result(name, [s[0] for s in samples], [s[1] for s in samples])
    print(f"  {name}: {result.median * 1000:.0f} ms, {result.peak_mb:.0f} MB", file=sys.stderr)
    return result


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
    # The default cache location, found through platformdirs as on a user's machine, but
    # inside bench/out: platformdirs honours XDG_CACHE_HOME.
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
    base = measure(
        'python -c "import typer" (baseline)', [PY, "-c", "import typer"], env, args.runs
    )
    lines.append(row(measure("python -c pass", [PY, "-c", "pass"], env, args.runs), base))
    lines.append(row(base, base))
    for name, extra in [
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
    ]:
        lines.append(row(measure(name, KV + extra, env, args.runs), base))

    for n in sizes:
        path = OUT / f"registry-{n}.toml"
        reg = ["--registry", str(path)]
        runs = max(3, args.runs // (3 if n >= 100000 else 1))
        print(f"{n} entries:", file=sys.stderr)
        lines.append(f"| **{n:,} entries** | | | | | |")
        floor = measure(
            f"tomllib.load, bare ({n:,}) (cold baseline)",
            [PY, "-c", f"import tomllib; tomllib.load(open({str(path)!r}, 'rb'))"],
            env,
            runs,
        )
        lines.append(row(floor, floor))
        cold = measure(
            f"who FEDARENE, first run after a change ({n:,})",
            KV + reg + ["who", "FEDARENE", "--format", "json"],
            env,
            runs,
            before=["touch", str(path)],
        )
        lines.append(row(cold, floor))
        for name, extra in [
            ("who FEDARENE, warm", ["who", "FEDARENE", "--format", "json"]),
            (
                "who kuka hoitaa koulutusvientiä, warm",
                ["who", "kuka hoitaa koulutusvientiä", "--format", "json"],
            ),
            ("who fedarnee (typo), warm", ["who", "fedarnee", "--format", "json"]),
            ("who (38-word query), warm", ["who", LONG_QUERY, "--format", "json"]),
        ]:
            lines.append(row(measure(f"{name} ({n:,})", KV + reg + extra, env, runs), base))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
