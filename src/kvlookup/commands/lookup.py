"""Lookup commands: who, show, whois, list and check. They read the registry, never write it."""

from typing import TYPE_CHECKING, Annotated

import typer

from kvlookup.commands import (
    FormatOption,
    KindOption,
    Message,
    Outcome,
    RawOption,
    complete_items,
    complete_people,
    parse_date,
    parse_kind,
    state_of,
)
from kvlookup.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from kvlookup.commands import State
    from kvlookup.models import Entry, Match, Person, Registry
    from kvlookup.output.views import RenderOptions
    from kvlookup.search.index import Vocabulary

commands = typer.Typer()

# --date of who and pick: the day whose absences decide who stands in.
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="Day whose absences apply (YYYY-MM-DD or 1.12.2026, default today).",
        metavar="YYYY-MM-DD",
    ),
]
CopyEmailOption = Annotated[
    bool,
    typer.Option(
        "--copy-email",
        help="Copy the email of the answer's first contact to the clipboard instead of "
        "printing the answer.",
    ),
]


@commands.command()
def who(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(
            help="Query words, Finnish or English.",
            metavar="QUERY...",
            autocompletion=complete_items,
        ),
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="Show at most N matches.", min=1, metavar="N")
    ] = 5,
    on: DateOption = None,
    pick: Annotated[
        bool,
        typer.Option("--pick", help="With several matches, choose one in an interactive picker."),
    ] = False,
    copy_email: CopyEmailOption = False,
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> Outcome:
    """Who handles a topic, project or network (e.g. kvlookup who handles FEDARENE)."""
    from kvlookup.output import views
    from kvlookup.search import ranking

    state = state_of(ctx)
    text = " ".join(query)
    day = parse_date(on)
    if not text.strip():
        raise UsageError("who.empty_query")
    if pick:
        _need_terminal()  # before the search: a script gets the same error on any answer
    registry, index = state.open()
    found = ranking.lookup(registry, text, limit=limit, today=day, index=index)
    if pick and len(found.matches) > 1:
        from kvlookup import picker

        items = [item for m in found.matches if (item := registry.get(m.id)) is not None]
        picked = picker.choose(
            picker.lines(registry, items, state.lang),
            lang=state.lang,
            preview=_preview(state),
            ranked=True,
        )
        if picked is None:
            return Outcome(messages=(("pick.cancelled", {}),), code=ExitCode.NO_MATCH)
        found = found._replace(matches=tuple(m for m in found.matches if m.id == picked))
    if copy_email and found.matches:
        return _copy_email(found.matches[0])
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


def _need_terminal() -> None:
    """A picker needs someone at a terminal; anything else is a usage error (exit 2)."""
    from kvlookup import picker

    if not picker.on_terminal():
        raise UsageError("pick.no_terminal")


def _preview(state: "State") -> str:
    """The command fzf runs to show the `show` of the highlighted line."""
    from kvlookup import picker

    return picker.preview_command(state.path, state.lang, state.config_file())


def _copy_email(match: "Match") -> Outcome:
    """Copy the email of a match's first contact (a stand-in first), or print it and say so."""
    from kvlookup import clipboard
    from kvlookup.output.views import Column, View

    email = next((c.person.email for c in match.contacts if c.person.email), "")
    if not email:
        return Outcome(messages=(("pick.no_email", {"name": match.name}),), code=ExitCode.NO_MATCH)
    tool = clipboard.copy(email)
    if tool is not None:
        return Outcome(messages=(("pick.copied", {"email": email, "tool": tool}),))
    # No clipboard here (a server, an SSH session): the address itself is the answer.
    view = View((Column("email", "col.email"),), ({"email": email},), {"email": email})
    return Outcome(view, "plain", messages=(("pick.no_clipboard", {}),))


def _raw(raw: bool) -> "RenderOptions":
    """The render options of --raw."""
    from kvlookup.output.views import RenderOptions

    return RenderOptions(raw=raw)


def _resolve(registry: "Registry", index: "Vocabulary", name: str) -> "Entry | Person":
    """The item name means; when none, the error carries who's "did you mean" names."""
    from kvlookup.errors import NotFoundError
    from kvlookup.search import ranking

    try:
        return ranking.resolve(registry, name, index=index)
    except NotFoundError as exc:
        outcome = ranking.lookup(registry, name, index=index)
        found = outcome.matches or outcome.suggestions
        raise NotFoundError(name, tuple(dict.fromkeys(m.name for m in found))) from exc


@commands.command()
def show(
    ctx: typer.Context,
    name: Annotated[
        list[str],
        typer.Argument(help="Id or name.", metavar="NAME...", autocompletion=complete_items),
    ],
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> Outcome:
    """Show everything about one entry or person."""
    from kvlookup.output import views

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
            help="Person id or name.", metavar="PERSON...", autocompletion=complete_people
        ),
    ],
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> Outcome:
    """What does a person handle? (reverse lookup)"""
    from kvlookup.models import Person
    from kvlookup.output import views

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


@commands.command()
def pick(
    ctx: typer.Context,
    query: Annotated[
        list[str] | None,
        typer.Argument(help="Words to start the search with.", metavar="[QUERY]..."),
    ] = None,
    kind: KindOption = None,
    on: DateOption = None,
    copy_email: CopyEmailOption = False,
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> Outcome:
    """Choose an entry or person in an interactive fuzzy picker, with a preview of show."""
    from kvlookup import picker
    from kvlookup.output import views
    from kvlookup.search import ranking

    state = state_of(ctx)
    day = parse_date(on)
    wanted = parse_kind(kind)
    _need_terminal()
    registry = state.load()
    items = registry.listed(wanted)
    picked = picker.choose(
        picker.lines(registry, items, state.lang),
        lang=state.lang,
        preview=_preview(state),
        query=" ".join(query or ()),
    )
    if picked is None:
        return Outcome(messages=(("pick.cancelled", {}),), code=ExitCode.NO_MATCH)
    item = registry.get(picked)
    assert item is not None  # the lines were made from this registry
    match = ranking.to_match(registry, ranking.Candidate(item.id, 1.0, item.name), day)
    if copy_email:
        return _copy_email(match)
    return Outcome(views.who(item.name, [match], registry, state.lang), fmt, _raw(raw))


@commands.command("list")
def list_items(
    ctx: typer.Context,
    kind: KindOption = None,
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> Outcome:
    """List entries and people."""
    from kvlookup.output import views

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
    from kvlookup.sources import registry as reg

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
