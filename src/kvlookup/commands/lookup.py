"""Lookup commands: who, show, whois, list and check. They read the registry, never write it."""

from typing import TYPE_CHECKING, Annotated

import typer

from kvlookup import completion
from kvlookup.commands import (
    FormatOption,
    KindOption,
    Message,
    Outcome,
    RawOption,
    parse_date,
    parse_kind,
    state_of,
)
from kvlookup.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from kvlookup.index import Vocabulary
    from kvlookup.models import Entry, Person, Registry
    from kvlookup.views import RenderOptions

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
) -> Outcome:
    """Who handles a topic, project or network (e.g. kvlookup who handles FEDARENE)."""
    from kvlookup import search, views

    state = state_of(ctx)
    text = " ".join(query)
    day = parse_date(on)
    if not text.strip():
        raise UsageError("who.empty_query")
    registry, index = state.open()
    found = search.lookup(registry, text, limit=limit, today=day, index=index)
    view = views.who(text, found.matches, registry, state.lang)
    messages: list[Message] = [
        ("who.no_contact", {"name": m.name}) for m in found.matches if not m.contacts
    ]
    if found.matches:
        return Outcome(view, fmt, _raw(raw), tuple(messages))
    messages.append(("who.no_match", {"query": text}))
    if found.suggestions:
        names = ", ".join(
            m.name if m.matched == m.name else f"{m.name} ({m.matched})" for m in found.suggestions
        )
        messages.append(("who.did_you_mean", {"names": names}))
    return Outcome(view, fmt, _raw(raw), tuple(messages), ExitCode.NO_MATCH)


def _raw(raw: bool) -> "RenderOptions":
    """The render options of --raw."""
    from kvlookup.views import RenderOptions

    return RenderOptions(raw=raw)


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
) -> Outcome:
    """Show everything about one entry or person."""
    from kvlookup import views

    state = state_of(ctx)
    registry, index = state.open()
    item = _resolve(registry, index, " ".join(name))
    return Outcome(views.detail(registry, item, state.lang), fmt, _raw(raw))


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
) -> Outcome:
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
    # An answer, not a failed search: the person exists and handles nothing (exit 0).
    nothing: tuple[Message, ...] = () if view.records else (("whois.nothing", {"name": item.name}),)
    return Outcome(view, fmt, _raw(raw), nothing)


@commands.command("list")
def list_items(
    ctx: typer.Context,
    kind: KindOption = None,
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> Outcome:
    """List entries and people."""
    from kvlookup import views

    state = state_of(ctx)
    registry = state.load()
    items = registry.listed(parse_kind(kind))
    empty: tuple[Message, ...] = () if items else (("list.empty", {}),)
    return Outcome(views.listing(registry, items, state.lang), fmt, _raw(raw), empty)


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
) -> Outcome:
    """Validate the registry; exit 0 when it is clean."""
    from kvlookup import registry as reg

    state = state_of(ctx)
    loaded = reg.check_text(reg.read_text(state.path), state.path)
    messages: list[Message] = []
    if directory or state.config_file() is not None:
        from kvlookup.commands import directory as directory_commands

        if directory:
            messages += directory_commands.check_directory(state)
        else:
            directory_commands.check_clashes(state)
    ok = {"path": state.path, "people": len(loaded.people), "entries": len(loaded.entries)}
    return Outcome(messages=(*messages, ("check.ok", ok)))
