"""The interactive picker: fzf, as the iterfzf package bundles it, over entries and people."""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from kvlookup.errors import UsageError
from kvlookup.i18n import Lang, pick, t
from kvlookup.models import Entry, Person, Registry
from kvlookup.output.escape import printable

# fzf shows each line from its second tab-separated field on and prints the whole line
# back, so the id in the first field names the choice whatever the label says.
FZF_OPTIONS = (
    "--delimiter=\t",
    "--with-nth=2..",
    # A name typed is found at the start of its own line before the entries that list the
    # same person as a contact: "koponen" puts Hannu Koponen first, not BEA-APP.
    "--tiebreak=begin,length",
    "--height=80%",
    "--layout=reverse",
    "--preview-window=right,50%,wrap",
)


def on_terminal() -> bool:
    """True when someone can answer a picker: standard input is a terminal."""
    return sys.stdin is not None and sys.stdin.isatty()


def _clean(value: str) -> str:
    """A registry value on one line of a picker: tabs, newlines and controls escaped."""
    return printable(value).replace("\t", "\\t")


def label(registry: Registry, item: Entry | Person, lang: Lang) -> str:
    """What the picker shows of an item: name, kind, contacts or title, aliases."""
    if isinstance(item, Person):
        parts = [item.name, t(lang, "kind.person"), pick(lang, item.title, item.title_en)]
        parts.append(item.email)
        parts.extend(item.aliases)
    else:
        people, _ = registry.contacts_of(item)
        parts = [item.name, t(lang, f"kind.{item.kind}"), ", ".join(p.name for p in people)]
        parts.extend(item.aliases)
    return " · ".join(_clean(p) for p in parts if p)


def lines(registry: Registry, items: Iterable[Entry | Person], lang: Lang) -> list[str]:
    """The picker's candidate lines: 'id<TAB>label', one per item, in the given order."""
    return [f"{_clean(item.id)}\t{label(registry, item, lang)}" for item in items]


def chosen_id(line: str) -> str:
    """The id of a candidate line fzf printed back."""
    return line.split("\t", 1)[0]


def preview_command(registry: Path, lang: Lang, config: Path | None) -> str:
    """The shell command fzf runs to preview a line: this kvlookup's `show` of its id.

    The same interpreter and registry as this run, so the preview never finds another
    kvlookup on PATH; quoted for cmd.exe on Windows (fzf's shell there), else for sh.
    """
    argv = [sys.executable, "-m", "kvlookup", "--registry", str(registry), "--lang", lang]
    if config is not None:
        argv += ["--config", str(config)]
    argv += ["show", "--format", "table", "--"]
    quoted = subprocess.list2cmdline(argv) if sys.platform == "win32" else shlex.join(argv)
    return f"{quoted} {{1}}"  # fzf quotes the id for the shell itself


def choose(
    candidates: Sequence[str],
    *,
    lang: Lang,
    preview: str | None = None,
    query: str = "",
    ranked: bool = False,
) -> str | None:
    """Let the user pick one candidate line on the terminal; its id, or None if cancelled.

    ranked: the lines are already in the best order (who's matches), so fzf keeps it
    instead of sorting by its own score.
    """
    if not candidates:
        return None
    try:
        # Here and nowhere else: the picker costs nothing to a run that does not pick.
        from iterfzf import iterfzf  # type: ignore[import-untyped]
    except ImportError:
        raise UsageError("pick.unavailable", reason="pip install iterfzf") from None
    try:
        line = iterfzf(
            candidates,
            sort=not ranked,
            prompt="> ",
            header=t(lang, "pick.header"),
            preview=preview,
            query=query,
            encoding="utf-8",  # fzf reads UTF-8 on every platform, whatever the locale
            __extra__=FZF_OPTIONS,
        )
    except KeyboardInterrupt:  # Esc or Ctrl-C in fzf
        return None
    except OSError as exc:  # the bundled fzf is missing or cannot run here
        raise UsageError("pick.unavailable", reason=str(exc)) from None
    return _id_of(line, candidates) if isinstance(line, str) and line else None


def _id_of(line: str, candidates: Sequence[str]) -> str | None:
    """The id of the line fzf printed: the whole line as given, or (fzf 0.67 prints it so
    under --no-sort --filter) only the part it showed."""
    if line in candidates:
        return chosen_id(line)
    shown = {c.split("\t", 1)[-1]: chosen_id(c) for c in reversed(candidates)}
    return shown.get(line)
