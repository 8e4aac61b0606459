"""What every command shares: the run's State, common options, output and error lines.

The commands themselves live in lookup.py, export.py and edit.py beside this file; the
CLI imports only the module of the command it runs (see cli.COMMANDS).
"""

# No `from __future__ import annotations`: Typer reads the annotations of the options
# defined here at start-up, and evaluating strings then costs more than evaluating them once.

import os
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kvlookup.errors import ExitCode, KvlookupError, NotFoundError, ProblemsError, UsageError
from kvlookup.i18n import Lang, t
from kvlookup.record import Record

if TYPE_CHECKING:
    from collections.abc import Mapping

    from kvlookup.models import Kind, Registry
    from kvlookup.output.views import RenderOptions, View
    from kvlookup.search.index import Vocabulary


CONFIG_ENV = "KVLOOKUP_CONFIG"


def user_config_dir(environ: "Mapping[str, str]") -> Path:
    """platformdirs.user_config_dir("kvlookup"), cheaply (userdirs.user_dir)."""
    from kvlookup.userdirs import user_dir

    return user_dir("config", environ)


class Format(StrEnum):
    """Output formats of the lookup commands."""

    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    plain = "plain"
    markdown = "markdown"
    vcard = "vcard"
    mutt = "mutt"


class KindChoice(StrEnum):
    """Kinds of registry items."""

    topic = "topic"
    project = "project"
    network = "network"
    person = "person"


class State:
    """Options of the top-level command, shared by every subcommand.

    A plain class: a dataclass would cost more to create at start-up than it saves here.
    """

    __slots__ = ("_path", "config_path", "lang", "registry_path")

    def __init__(
        self, registry_path: Path | None, lang: Lang, config_path: Path | None = None
    ) -> None:
        self.registry_path = registry_path
        self.lang = lang
        self.config_path = config_path
        self._path: Path | None = None

    def load(self) -> "Registry":
        """The validated registry these options point at."""
        return self.open()[0]

    def open(self) -> "tuple[Registry, Vocabulary]":
        """The validated registry and its search index, from the cache when it is fresh.

        With a config file that names a directory, the synced copy is merged in (and how
        old it is said on stderr); without one, no module of the directory is imported.
        """
        config = self.config_file()
        if config is None:
            from kvlookup.sources import opening

            return opening.open_registry(self.path, os.environ)
        from kvlookup.sources import directory

        opened = directory.open_registry(self.path, config, os.environ)
        for key, params in opened.notices:
            err(t(self.lang, key, **params))
        return opened.registry, opened.vocabulary

    def config_file(self) -> Path | None:
        """The config file: --config, else $KVLOOKUP_CONFIG, else the user's if it exists."""
        explicit = self.config_path or os.environ.get(CONFIG_ENV) or None
        if explicit is not None:
            return Path(explicit)  # must exist: reading it says so if it does not
        found = user_config_dir(os.environ) / "config.toml"
        return found if found.is_file() else None

    @property
    def path(self) -> Path:
        """The registry file these options point at (located once per run)."""
        if self._path is None:
            from kvlookup.sources import location

            self._path = location.locate(self.registry_path, os.environ)
        return self._path


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format (default: table on a terminal, tab-separated lines in a pipe).",
        case_sensitive=False,
    ),
]


RawOption = Annotated[
    bool,
    typer.Option(
        "--raw",
        help="CSV/TSV: leave cells that start with = + - @ as they are (no guard against "
        "spreadsheet formulas).",
    ),
]


# A message for stderr: an i18n key and its parameters, said in the run's language.
Message = tuple[str, "Mapping[str, object]"]


class Outcome(Record):
    """What a command produced: a diff and a view for stdout, messages for stderr, an exit
    code. Commands return one; render_outcome alone writes it (as pipx's result.py)."""

    __slots__ = ("code", "data", "diff", "fmt", "messages", "options", "view")

    def __init__(
        self,
        view: "View | None" = None,
        fmt: "Format | str | None" = None,  # None: table on a terminal, plain in a pipe
        options: "RenderOptions | None" = None,
        messages: tuple[Message, ...] = (),
        code: ExitCode = ExitCode.OK,
        diff: str = "",  # an edit's unified diff, written before the messages
        data: bytes = b"",  # bytes already rendered (export), written as they are
    ) -> None:
        self.view = view
        self.fmt = fmt
        self.options = options
        self.messages = messages
        self.code = code
        self.diff = diff
        self.data = data


def render_outcome(outcome: Outcome, lang: Lang) -> None:
    """Write an Outcome: the diff and the view to stdout, then the messages to stderr; then
    exit with its code (typer.Exit) when it is not 0."""
    if outcome.diff:
        from kvlookup.output import render

        render.render_diff(outcome.diff, sys.stdout)
    if outcome.data:
        sys.stdout.flush()
        sys.stdout.buffer.write(outcome.data)
        sys.stdout.buffer.flush()
    if outcome.view is not None:
        emit(outcome.view, outcome.fmt, lang, options=outcome.options)
    for key, params in outcome.messages:
        err(t(lang, key, **params))
    if outcome.code != ExitCode.OK:
        raise typer.Exit(int(outcome.code))


def state_of(ctx: typer.Context) -> State:
    """The State the top-level options left on the context."""
    state = ctx.obj
    assert isinstance(state, State)  # set by main_options, which always runs first
    return state


def report(exc: KvlookupError, lang: Lang) -> None:
    """Write a KvlookupError to stderr: each registry problem on its own line, then the error."""
    if isinstance(exc, ProblemsError):
        for problem in exc.problems:
            message = t(lang, problem.key, **problem.params)
            err(f"{problem.location}: {message}")
        # "N problems found" adds nothing after one problem; "not written" always does.
        if len(exc.problems) > 1 or exc.key != "check.failed":
            err(t(lang, exc.key, **exc.params))
        return
    err(t(lang, exc.key, **exc.params))
    if isinstance(exc, NotFoundError) and exc.suggestions:
        err(t(lang, "who.did_you_mean", names=", ".join(exc.suggestions)))


def err(message: str) -> None:
    """One message line on stderr; registry values and queries in it are shown, not obeyed."""
    from kvlookup.output.escape import printable, undecoded_as_escapes

    sys.stderr.write(undecoded_as_escapes(printable(message)) + "\n")


def emit(
    view: "View",
    fmt: "Format | str | None",
    lang: Lang,
    raw: bool = False,
    options: "RenderOptions | None" = None,
) -> None:
    """Render a View to stdout in the chosen format (table on a terminal, else plain)."""
    from kvlookup.output import render
    from kvlookup.output.views import RenderOptions

    chosen = render.choose(
        str(fmt.value if isinstance(fmt, Format) else fmt) if fmt else None, sys.stdout.isatty()
    )
    render.render(view, chosen, sys.stdout, lang, options or RenderOptions(raw=raw))


def parse_date(value: str | None) -> date:
    """A date option: YYYY-MM-DD, or Finnish 1.12.2026 and 1.12. (this year); today if None."""
    today = date.today()
    if value is None:
        return today
    try:
        if "." not in value:
            return date.fromisoformat(value)
        day, month, year = [*value.strip().split("."), ""][:3]
        return date(int(year) if year else today.year, int(month), int(day))
    except ValueError:
        raise UsageError("usage.bad_date", value=value) from None


# Completion callbacks that import completion.py on the first TAB: every command that
# takes a name declares one, and a run that is not a TAB never calls it.
def _complete_kind(incomplete: str) -> list[str]:
    """The --kind words, for a TAB."""
    from kvlookup import completion

    return completion.kinds(incomplete)


def complete_items(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Ids and names of entries and people, for a TAB."""
    from kvlookup import completion

    return completion.items(ctx, incomplete)


def complete_entries(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Ids and names of entries, for a TAB."""
    from kvlookup import completion

    return completion.entries(ctx, incomplete)


def complete_people(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Ids and names of people, for a TAB."""
    from kvlookup import completion

    return completion.people(ctx, incomplete)


KindOption = Annotated[
    str | None,
    typer.Option(
        "--kind",
        "-k",
        help="Only this kind.",
        metavar="topic|project|network|person",
        autocompletion=_complete_kind,
    ),
]


def parse_kind(value: str | None) -> "Kind | None":
    """A --kind value as a kind, in either language; UsageError for anything else."""
    if value is None:
        return None
    from kvlookup.models import KIND_WORDS

    kind = KIND_WORDS.get(value.strip().casefold())
    if kind is None:
        raise UsageError("usage.bad_kind", value=value)
    return kind
