"""Time one shell-completion TAB, warm cache, against `python -c "import typer"` in the same run.

    python bench/tab.py                      # bundled registry, and 100k entries
    python bench/tab.py --registry FILE      # another registry as the large one

Each TAB is one process, as bash starts it: `_KVLOOKUP_COMPLETE=complete_bash` with
COMP_WORDS/COMP_CWORD. Cases run interleaved (bench/run.py's `measure`); medians in ms.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from run import KV, OUT, PY, Case, compile_bytecode, measure, row

LARGE = OUT / "registry-100000.toml"


def tab(name: str, words: str, env: dict[str, str], shell: str = "bash") -> Case:
    """A case completing the last word of words."""
    line = f"kvlookup {words}"
    if shell == "bash":
        extra = {"COMP_WORDS": line, "COMP_CWORD": str(len(line.split(" ")) - 1)}
    else:
        extra = {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    cmd = ["env", f"_KVLOOKUP_COMPLETE=complete_{shell}", *(f"{k}={v}" for k, v in extra.items())]
    return Case(name, [*cmd, *KV])


def main() -> None:
    """Warm the caches, time the cases, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--registry", default=str(LARGE), help="the large registry")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    compile_bytecode()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KVLOOKUP_")}
    env["XDG_CACHE_HOME"] = str(OUT / "xdg-cache")
    if not os.path.exists(args.registry):
        subprocess.run([PY, str(OUT.parent / "gen.py"), "100000", "-o", args.registry], check=True)
    big = f"-r {args.registry}"
    # Warm: one lookup on each registry writes its cache.
    for registry in ([], ["-r", args.registry]):
        subprocess.run(
            [*KV, *registry, "who", "FEDARENE"], env=env, capture_output=True, check=False
        )
    cases = [
        Case('python -c "import typer" (baseline)', [PY, "-c", "import typer"]),
        tab("TAB: command name (kvlookup sh)", "sh", env),
        tab("TAB: option (kvlookup who --)", "who --", env),
        tab("TAB: name, bundled (kvlookup show FED)", "show FED", env),
        tab("TAB: person, bundled, zsh (kvlookup whois H)", "whois H", env, "zsh"),
        tab("TAB: name, fish, bundled (kvlookup show FED)", "show FED", env, "fish"),
        tab("TAB: id, 100k (kvlookup show fed)", f"{big} show fed", env),
        tab("TAB: name, 100k (kvlookup show FED)", f"{big} show FED", env),
        tab("TAB: person, 100k (kvlookup whois A)", f"{big} whois A", env),
        tab("TAB: empty word, 100k (kvlookup show )", f"{big} show ", env),
    ]
    results = measure(cases, env, args.runs)
    print("| case | median ms | spread ms | ratio | peak MB | memory ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for result in results:
        print(row(result, results[0]))


if __name__ == "__main__":
    sys.path.insert(0, str(OUT.parent))
    main()
