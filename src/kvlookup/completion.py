"""Shell completion: the words a TAB offers, read from the search cache, never from the TOML.

Click runs completion when `_KVLOOKUP_COMPLETE` is set (Typer's scripts set it to
`complete_bash`, `complete_zsh` or `complete_fish`); cli.main asks `words` which command
the line names, so that only that command is built, as for any other run.
"""

# No `from __future__ import annotations`: Typer reads the callbacks' annotations to know
# which argument is the context and which the incomplete word.

import os
import re
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    import sqlite3

VAR = "_KVLOOKUP_COMPLETE"
# At most this many names per TAB: a shell asks before listing more than about a hundred,
# and at 100k entries listing them all would cost a second.
LIMIT = 100
# Without a warm cache, a registry up to this size is parsed (which warms the cache for
# the next TAB); a larger one offers no names until a lookup has warmed it.
COLD_LIMIT = 2 << 20
_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
# What bash would split or expand in an inserted name. A pattern, not compiled here: every
# command with a name argument imports this module for its callbacks, and only a TAB uses it.
_BASH_SPECIAL = r"""([\s'"\\$`!&|;<>(){}\[\]*?#~])"""


def words(environ: MutableMapping[str, str]) -> list[str]:
    """The words on the line before the one being completed, program name left out.

    Click's own order of the instruction (`bash_complete`) is accepted too, and rewritten
    to Typer's (`complete_bash`), which the vendored Click reads.
    """
    from typer._click.shell_completion import split_arg_string

    instruction = environ.get(VAR, "")
    first, _, second = instruction.partition("_")
    if first in _SHELLS and second in ("complete", "source"):
        instruction = environ[VAR] = f"{second}_{first}"
    shell = instruction.partition("_")[2]
    if shell == "bash":
        cwords = split_arg_string(environ.get("COMP_WORDS", ""))
        try:
            cword = int(environ.get("COMP_CWORD", ""))
        except ValueError:
            cword = len(cwords)
        return cwords[1:cword]
    line = environ.get("_TYPER_COMPLETE_ARGS", "")
    cwords = split_arg_string(line)[1:]
    return cwords if line.endswith(" ") else cwords[:-1]


def run(app: typer.Typer) -> None:
    """Answer one TAB with app's command; exits, as Click's completion does."""
    from typer._click.shell_completion import CompletionItem, add_completion_class
    from typer._completion_classes import FishComplete, ZshComplete

    class Zsh(ZshComplete):
        """Typer's zsh answer, with help as plain text."""

        def format_completion(self, item: CompletionItem) -> str:
            """'"value":"help"', escaped for zsh's _arguments."""
            value = _zsh_escape(str(item.value))
            return f'"{value}":"{_zsh_escape(_plain(item.help))}"' if item.help else f'"{value}"'

    class Fish(FishComplete):
        """Typer's fish answer, with help as plain text."""

        def format_completion(self, item: CompletionItem) -> str:
            """'value<TAB>help'."""
            return f"{item.value}\t{_plain(item.help)}" if item.help else str(item.value)

    command = typer.main.get_command(app)  # registers Typer's shell classes
    # Typer renders each help text through Rich, which costs a TAB 20 ms of imports and
    # wraps a long help into a second line that fish takes for one more candidate.
    add_completion_class(Zsh, "zsh")
    add_completion_class(Fish, "fish")
    command(args=[], prog_name="kvlookup")


def _plain(text: str | None) -> str:
    """Help text on one line."""
    return " ".join((text or "").split())


def _zsh_escape(text: str) -> str:
    """As Typer escapes a value for zsh's _arguments."""
    for old, new in (('"', '""'), ("'", "''"), ("$", "\\$"), ("`", "\\`"), (":", r"\\:")):
        text = text.replace(old, new)
    return text


def _shell() -> str:
    return os.environ.get(VAR, "").partition("_")[2]


def _registry_path(ctx: typer.Context) -> Path:
    explicit = ctx.find_root().params.get("registry")
    from kvlookup.sources import location

    # Click's Path type leaves the parsed value a str; Typer makes it a Path only later.
    chosen = Path(explicit) if isinstance(explicit, (str, Path)) and str(explicit) else None
    return location.locate(chosen, os.environ)


def labels(path: Path, prefix: str, kinds: str = "all") -> list[tuple[str, str, str]]:
    """(id, kind, name) of items whose id or name starts with prefix; kinds: all, person, entry.

    Read from the cache when it is warm; else from the registry when it is small.
    """
    import sqlite3  # only here: every command module imports this one for its callbacks

    from kvlookup.sources import cache

    conn = cache.peek(path, os.environ)
    if conn is not None:
        try:
            return _from_cache(conn, prefix, kinds)
        except (sqlite3.Error, ValueError, TypeError, IndexError):
            pass  # damaged: the command itself will say so and rebuild it
        finally:
            conn.close()
    return _from_registry(path, prefix, kinds)


def _from_cache(conn: "sqlite3.Connection", prefix: str, kinds: str) -> list[tuple[str, str, str]]:
    # Imported here: every command module imports this one for its callbacks, and a table
    # or a --help never needs json.
    import json

    where = {"person": "kind = 'person'", "entry": "kind != 'person'"}.get(kinds, "1")
    # Ids by a range scan of their index; names by the start of the stored body, which is
    # the name as JSON ('["FEDARENE",...'), so no row is decoded that does not match.
    rows = conn.execute(
        f"SELECT id, kind, body FROM items WHERE id >= ? AND id < ? AND {where} "
        "ORDER BY id LIMIT ?",
        (prefix, prefix + "\U0010ffff", LIMIT),
    ).fetchall()
    if prefix:
        needle = '["' + json.dumps(prefix, ensure_ascii=False)[1:-1]
        rows += conn.execute(
            f"SELECT id, kind, body FROM items WHERE substr(body, 1, ?) = ? AND {where} "
            "ORDER BY seq LIMIT ?",
            (len(needle), needle, LIMIT),
        ).fetchall()
    return [(item_id, kind, str(json.loads(body)[0])) for item_id, kind, body in rows]


def _from_registry(path: Path, prefix: str, kinds: str) -> list[tuple[str, str, str]]:
    from kvlookup.errors import KvlookupError
    from kvlookup.sources import opening

    try:
        if not path.is_file() or path.stat().st_size > COLD_LIMIT:
            return []
        loaded = opening.open_registry(path, os.environ)[0]
    except (KvlookupError, OSError):
        return []  # a broken registry offers nothing; the command says what is wrong
    items: list[tuple[str, str, str]] = []
    if kinds != "entry":
        items += [(p.id, "person", p.name) for p in loaded.people.values()]
    if kinds != "person":
        items += [(e.id, e.kind, e.name) for e in loaded.entries.values()]
    return [i for i in items if i[0].startswith(prefix) or i[2].startswith(prefix)]


def _offers(found: Iterable[tuple[str, str, str]], prefix: str) -> Iterator[tuple[str, str]]:
    """(value, help) pairs: each id and each name that starts with prefix, once."""
    bash = _shell() == "bash"
    seen: set[str] = set()
    for item_id, kind, name in found:
        for value, other in ((item_id, name), (name, item_id)):
            if value.startswith(prefix) and value not in seen:
                seen.add(value)
                # bash inserts a word as it is given: a name with a space must come quoted.
                shown = re.sub(_BASH_SPECIAL, r"\\\1", value) if bash else value
                yield shown, f"{kind}: {other}"
            if len(seen) >= LIMIT:
                return


def _complete(ctx: typer.Context, incomplete: str, kinds: str) -> list[tuple[str, str]]:
    try:
        return list(_offers(labels(_registry_path(ctx), incomplete, kinds), incomplete))
    except Exception:  # a TAB must never print a traceback into the prompt
        return []


def items(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Ids and names of entries and people that start with the word being typed."""
    return _complete(ctx, incomplete, "all")


def people(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Ids and names of people that start with the word being typed."""
    return _complete(ctx, incomplete, "person")


def entries(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Ids and names of topics, projects and networks that start with the word being typed."""
    return _complete(ctx, incomplete, "entry")


def kinds(incomplete: str) -> list[str]:
    """The --kind words, English and Finnish."""
    from kvlookup.models import KIND_WORDS
    from kvlookup.search.text import fold

    matching = [w for w in KIND_WORDS if w.startswith(incomplete)]
    # "henkilo" is how "henkilö" is typed without ä/ö: offer the word once, spelt right.
    return [w for w in matching if not any(o != w and fold(o) == w for o in matching)]
