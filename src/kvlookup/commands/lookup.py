"""Lookup commands: who, show, whois, list and check. They read the registry, never write it."""

from typing import TYPE_CHECKING, Annotated

import typer

from kvlookup import completion
from kvlookup.commands import (
    FormatOption,
    KindOption,
    RawOption,
    emit,
    err,
    parse_date,
    parse_kind,
    state_of,
)
from kvlookup.errors import ExitCode, UsageError
from kvlookup.i18n import t

if TYPE_CHECKING:
    from kvlookup.index import Vocabulary
    from kvlookup.models import Entry, Person, Registry

commands = typer.Typer()


@commands.command()
def who(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(
            help="Query words, Finnish or English.",
            metavar="QUERY...",
            autocompletion=completion.items,
        ),
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="Show at most N matches.", min=1, metavar="N")
    ] = 5,
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Day whose absences apply (YYYY-MM-DD or 1.12.2026, default today).",
            metavar="YYYY-MM-DD",
        ),
    ] = None,
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> None:
    """Who handles a topic, project or network (e.g. kvlookup who handles FEDARENE)."""
    from kvlookup import search, views

    state = state_of(ctx)
    text = " ".join(query)
    day = parse_date(on)
    if not text.strip():
        raise UsageError("who.empty_query")
    registry, index = state.open()
    outcome = search.lookup(registry, text, limit=limit, today=day, index=index)
    emit(views.who(text, outcome.matches, registry, state.lang), fmt, state.lang, raw)
    for match in outcome.matches:
        if not match.contacts:
            err(t(state.lang, "who.no_contact", name=match.name))
    if not outcome.matches:
        err(t(state.lang, "who.no_match", query=text))
        if outcome.suggestions:
            names = ", ".join(
                m.name if m.matched == m.name else f"{m.name} ({m.matched})"
                for m in outcome.suggestions
            )
            err(t(state.lang, "who.did_you_mean", names=names))
        raise typer.Exit(int(ExitCode.NO_MATCH))


def _resolve(registry: "Registry", index: "Vocabulary", name: str) -> "Entry | Person":
    """The item name means; when none, the error carries who's "did you mean" names."""
    from kvlookup import search
    from kvlookup.errors import NotFoundError

    try:
        return search.resolve(registry, name, index=index)
    except NotFoundError as exc:
        outcome = search.lookup(registry, name, index=index)
        found = outcome.matches or outcome.suggestions
        raise NotFoundError(name, tuple(dict.fromkeys(m.name for m in found))) from exc


@commands.command()
def show(
    ctx: typer.Context,
    name: Annotated[
        list[str],
        typer.Argument(help="Id or name.", metavar="NAME...", autocompletion=completion.items),
    ],
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> None:
    """Show everything about one entry or person."""
    from kvlookup import views

    state = state_of(ctx)
    registry, index = state.open()
    item = _resolve(registry, index, " ".join(name))
    emit(views.detail(registry, item, state.lang), fmt, state.lang, raw)


@commands.command()
def whois(
    ctx: typer.Context,
    person: Annotated[
        list[str],
        typer.Argument(
            help="Person id or name.", metavar="PERSON...", autocompletion=completion.people
        ),
    ],
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> None:
    """What does a person handle? (reverse lookup)"""
    from kvlookup import views
    from kvlookup.models import Person

    state = state_of(ctx)
    registry, index = state.open()
    wanted = " ".join(person)
    item = _resolve(registry, index, wanted)
    if not isinstance(item, Person):
        raise UsageError("name.not_person", name=wanted)
    view = views.whois(registry, item, state.lang)
    emit(view, fmt, state.lang, raw)
    if not view.records:
        # An answer, not a failed search: the person exists and handles nothing (exit 0).
        err(t(state.lang, "whois.nothing", name=item.name))


@commands.command("list")
def list_items(
    ctx: typer.Context,
    kind: KindOption = None,
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> None:
    """List entries and people."""
    from kvlookup import views

    state = state_of(ctx)
    registry = state.load()
    items = registry.listed(parse_kind(kind))
    emit(views.listing(registry, items, state.lang), fmt, state.lang, raw)
    if not items:
        err(t(state.lang, "list.empty"))


@commands.command()
def check(
    ctx: typer.Context,
    directory: Annotated[
        bool,
        typer.Option(
            "--directory",
            help="Also compare contacts with the synced directory: missing, disabled, "
            "differing phone/email/title, entries with no contact left.",
        ),
    ] = False,
) -> None:
    """Validate the registry; exit 0 when it is clean."""
    from kvlookup import registry as reg

    state = state_of(ctx)
    loaded = reg.check_text(reg.read_text(state.path), state.path)
    if directory or state.config_file() is not None:
        from kvlookup.commands import directory as directory_commands

        if directory:
            directory_commands.check_directory(state)
        else:
            directory_commands.check_clashes(state)
    err(
        t(
            state.lang,
            "check.ok",
            path=state.path,
            people=len(loaded.people),
            entries=len(loaded.entries),
        )
    )
