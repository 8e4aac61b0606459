"""Command line: parse arguments, call the core, hand results to render, map errors to exit codes."""

# No `from __future__ import annotations` here: Typer reads every command's annotations at
# start-up, and evaluating strings then costs more than evaluating them once at import.

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from kvlookup import __version__, i18n
from kvlookup.errors import ExitCode, KvlookupError, RegistryError, UsageError
from kvlookup.i18n import Lang, t
from kvlookup.models import ENTRY_TABLES, EntryKind, Registry

if TYPE_CHECKING:
    from kvlookup.edit import RegistryEdit
    from kvlookup.index import Vocabulary
    from kvlookup.store import Change

HELP_EPILOG = i18n.EPILOG["en"]


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


class ExportFormat(StrEnum):
    """Formats of 'kvlookup export'."""

    csv = "csv"
    tsv = "tsv"
    json = "json"
    vcard = "vcard"
    toml = "toml"
    mutt = "mutt"
    markdown = "markdown"


class PhoneStyle(StrEnum):
    """How exported phone numbers are written."""

    e164 = "e164"
    international = "international"
    national = "national"


class VcardVersion(StrEnum):
    """vCard versions kvlookup writes."""

    v3 = "3.0"
    v4 = "4.0"


class KindChoice(StrEnum):
    """Kinds of registry items."""

    topic = "topic"
    project = "project"
    network = "network"
    person = "person"


@dataclass(frozen=True)
class State:
    """Options of the top-level command, shared by every subcommand."""

    registry_path: Path | None
    lang: Lang

    def load(self) -> Registry:
        """The validated registry these options point at."""
        return self.open()[0]

    def open(self) -> "tuple[Registry, Vocabulary]":
        """The validated registry and its search index, from the cache when it is fresh."""
        from kvlookup import loader

        return loader.open_registry(self.path, os.environ)

    @cached_property
    def path(self) -> Path:
        """The registry file these options point at (located once per run)."""
        from kvlookup import registry

        return registry.locate(self.registry_path, os.environ)


class KvGroup(TyperGroup):
    """Localises help before parsing and turns KvlookupError into one line and an exit code."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        """Pick the language from --lang or the locale, then translate help texts."""
        lang = i18n.detect(args, os.environ)
        if lang == "fi":
            _localise(self, "")
        self.epilog = i18n.EPILOG[lang]
        return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        """Run the command; report a KvlookupError once, on stderr, with its exit code."""
        try:
            return super().invoke(ctx)
        except KvlookupError as exc:
            state = ctx.obj if isinstance(ctx.obj, State) else None
            lang = state.lang if state else i18n.detect(sys.argv, os.environ)
            _report(exc, lang)
            raise typer.Exit(int(exc.exit_code)) from None


class ExportCommand(TyperCommand):
    """A command whose --fields may be given bare, to list the field names."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Read a bare --fields (last, or followed by another option) as --fields=''."""
        args = [
            "--fields="
            if arg == "--fields" and (i + 1 == len(args) or args[i + 1].startswith("-"))
            else arg
            for i, arg in enumerate(args)
        ]
        return list(super().parse_args(ctx, args))


def _localise(command: Any, name: str) -> None:
    """Replace English help with Finnish (HELP_FI) throughout the command tree.

    Keys are command paths: "" for the app, "who", "add person", then "add person.phone".
    """
    if name in i18n.HELP_FI:
        command.help = i18n.HELP_FI[name]
    for param in getattr(command, "params", []):
        key = f"{name}.{param.name}" if name else param.name
        text = i18n.HELP_FI.get(key) or i18n.HELP_FI.get(param.name or "")
        if text and getattr(param, "help", None) is not None:
            param.help = text
    for sub_name, sub in getattr(command, "commands", {}).items():
        _localise(sub, f"{name} {sub_name}".strip())


def _report(exc: KvlookupError, lang: Lang) -> None:
    if isinstance(exc, RegistryError):
        for problem in exc.problems:
            message = t(lang, problem.key, **problem.params)
            _err(f"{problem.location}: {message}")
        # "N problems found" adds nothing after one problem; "not written" always does.
        if len(exc.problems) > 1 or exc.key != "check.failed":
            _err(t(lang, exc.key, **exc.params))
        return
    _err(t(lang, exc.key, **exc.params))


def _err(message: str) -> None:
    """One message line on stderr; registry values and queries in it are shown, not obeyed."""
    from kvlookup.render import printable

    sys.stderr.write(printable(message) + "\n")


APP_SETTINGS: dict[str, Any] = {
    "cls": KvGroup,
    "name": "kvlookup",
    "help": "Who handles this? Contact and responsibility lookup for the Regional Council "
    "of Central Finland.",
    "epilog": HELP_EPILOG,
    "rich_markup_mode": None,
    "pretty_exceptions_enable": False,
    "add_completion": False,
    "no_args_is_help": True,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**APP_SETTINGS)
# Top-level options that take a value, so the command name can be found after them.
_VALUE_OPTIONS = frozenset({"--registry", "-r", "--lang"})

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


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"kvlookup {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    registry: Annotated[
        Path | None,
        typer.Option(
            "--registry",
            "-r",
            help="Registry file (default: $KVLOOKUP_REGISTRY, else the bundled one).",
            dir_okay=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language of messages: en or fi (default: from LANG/LC_ALL)."),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Who handles this? Contact and responsibility lookup."""
    if lang is not None and lang not in i18n.LANGS:
        raise typer.BadParameter(f"{lang!r}: use en or fi", param_hint="--lang")
    chosen: Lang = i18n.as_lang(lang) or i18n.from_locale(os.environ)
    ctx.obj = State(registry, chosen)


def _state(ctx: typer.Context) -> State:
    state = ctx.obj
    assert isinstance(state, State)  # set by main_options, which always runs first
    return state


def _emit(view: Any, fmt: Format | None, lang: Lang, raw: bool = False) -> None:
    from kvlookup import render

    chosen = render.choose(fmt.value if fmt else None, sys.stdout.isatty())
    render.render(view, chosen, sys.stdout, lang, render.RenderOptions(raw=raw))


def _parse_date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError("usage.bad_date", value=value) from None


@app.command()
def who(
    ctx: typer.Context,
    query: Annotated[
        list[str], typer.Argument(help="Query words, Finnish or English.", metavar="QUERY...")
    ],
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most N matches.", min=1)] = 5,
    on: Annotated[
        str | None,
        typer.Option("--date", help="Day whose absences apply (YYYY-MM-DD, default today)."),
    ] = None,
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> None:
    """Who handles a topic, project or network (e.g. kvlookup who handles FEDARENE)."""
    from kvlookup import search, views

    state = _state(ctx)
    text = " ".join(query)
    day = _parse_date(on)
    if not text.strip():
        raise UsageError("who.empty_query")
    registry, index = state.open()
    outcome = search.lookup(registry, text, limit=limit, today=day, index=index)
    _emit(views.who(text, outcome.matches, registry, state.lang), fmt, state.lang, raw)
    for match in outcome.matches:
        if not match.contacts:
            _err(t(state.lang, "who.no_contact", name=match.name))
    if not outcome.matches:
        _err(t(state.lang, "who.no_match", query=text))
        if outcome.suggestions:
            names = ", ".join(
                m.name if m.matched == m.name else f"{m.name} ({m.matched})"
                for m in outcome.suggestions
            )
            _err(t(state.lang, "who.did_you_mean", names=names))
        raise typer.Exit(int(ExitCode.NO_MATCH))


@app.command()
def show(
    ctx: typer.Context,
    name: Annotated[list[str], typer.Argument(help="Id or name.", metavar="NAME...")],
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> None:
    """Show everything about one entry or person."""
    from kvlookup import search, views

    state = _state(ctx)
    registry, index = state.open()
    item = search.resolve(registry, " ".join(name), index=index)
    _emit(views.detail(registry, item, state.lang), fmt, state.lang, raw)


@app.command()
def whois(
    ctx: typer.Context,
    person: Annotated[list[str], typer.Argument(help="Person id or name.", metavar="PERSON...")],
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> None:
    """What does a person handle? (reverse lookup)"""
    from kvlookup import search, views
    from kvlookup.models import Person

    state = _state(ctx)
    registry, index = state.open()
    wanted = " ".join(person)
    item = search.resolve(registry, wanted, index=index)
    if not isinstance(item, Person):
        raise UsageError("name.not_person", name=wanted)
    _emit(views.whois(registry, item), fmt, state.lang, raw)


@app.command("list")
def list_items(
    ctx: typer.Context,
    kind: Annotated[KindChoice | None, typer.Option("--kind", "-k", help="Only this kind.")] = None,
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> None:
    """List entries and people."""
    from kvlookup import views

    state = _state(ctx)
    registry = state.load()
    items = registry.listed(kind.value if kind else None)
    _emit(views.listing(registry, items), fmt, state.lang, raw)


@app.command(cls=ExportCommand)
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = ExportFormat.csv,
    kind: Annotated[KindChoice | None, typer.Option("--kind", "-k", help="Only this kind.")] = None,
    person: Annotated[
        str | None,
        typer.Option("--person", "-p", help="Only what this person handles (id or name)."),
    ] = None,
    query: Annotated[
        str | None,
        typer.Option("--query", "-q", help="Only the entries 'who' would answer for this query."),
    ] = None,
    fields: Annotated[
        str | None,
        typer.Option(
            "--fields",
            help="Columns, comma-separated, in order (csv, tsv, json, markdown). A bare "
            "--fields lists them. Default: id, kind, name, via, contact_id, contact, title, "
            "title_en, phone, email. Also: organisation, via_name, aliases, description, "
            "description_en.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (atomically) instead of stdout; an existing file is "
            "only replaced with --force.",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing -o file.")] = False,
    raw: RawOption = False,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel",
            help="csv for Finnish-locale Excel: UTF-8 with BOM, ';' between fields, phone "
            "numbers as text (a leading '). Other formats ignore it.",
        ),
    ] = False,
    phone_format: Annotated[
        PhoneStyle,
        typer.Option("--phone-format", help="How to write phone numbers.", case_sensitive=False),
    ] = PhoneStyle.international,
    vcard_version: Annotated[
        VcardVersion,
        typer.Option("--vcard-version", help="vCard 3.0 (Outlook, Google, iOS) or 4.0."),
    ] = VcardVersion.v3,
    no_header: Annotated[
        bool,
        typer.Option(
            "--no-header",
            help="No header row (csv, tsv) and no first message line (mutt; for aerc).",
        ),
    ] = False,
) -> None:
    """Export contacts for other tools: CSV (Excel), TSV, JSON, vCard, TOML, mutt or Markdown."""
    from kvlookup import export as core
    from kvlookup import render

    state = _state(ctx)
    if fields == "":
        sys.stdout.write("\n".join(core.FIELDS) + "\n")
        return
    options = render.RenderOptions(
        raw=raw,
        excel=excel,
        header=not no_header,
        vcard_version=vcard_version.value,
        phone_format=phone_format.value,
        fields=core.parse_fields(fields),
    )
    registry, index = state.open()
    rows = core.select(
        registry, core.Filters(kind.value if kind else None, person, query), index=index
    )
    view = core.build(registry, rows, options)
    data = render.to_bytes(view, fmt.value, state.lang, options)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        core.save(output, data, force=force)
    if render.is_empty(view, fmt.value):
        if not render.states_outcome(fmt.value):
            _err(t(state.lang, "export.empty"))
        raise typer.Exit(int(ExitCode.NO_MATCH))


@app.command()
def check(ctx: typer.Context) -> None:
    """Validate the registry; exit 0 when it is clean."""
    from kvlookup import registry as reg

    state = _state(ctx)
    loaded = reg.check_text(reg.read_text(state.path), state.path)
    _err(
        t(
            state.lang,
            "check.ok",
            path=state.path,
            people=len(loaded.people),
            entries=len(loaded.entries),
        )
    )


# --- Editing -------------------------------------------------------------------------
# Every edit goes through edit.apply: read, change and write under the registry's lock,
# with the result validated first. The commands only collect arguments.

DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Show the change as a unified diff; write nothing.")
]
EntryArgument = Annotated[str, typer.Argument(help="Topic, project or network: id or name.")]
PersonArgument = Annotated[str, typer.Argument(help="Person: id or name.")]
AliasOption = Annotated[
    list[str] | None, typer.Option("--alias", "-a", help="Another name (repeatable).")
]


def _edit(ctx: typer.Context, dry_run: bool, change: "Callable[[RegistryEdit], None]") -> None:
    from kvlookup import edit

    state = _state(ctx)
    _report_change(edit.apply(state.path, change, dry_run=dry_run), dry_run, state.lang)


def _report_change(change: "Change", dry_run: bool, lang: Lang) -> None:
    from kvlookup import render

    if not change.changed:
        _err(t(lang, "edit.no_change", path=change.path))
    elif dry_run:
        render.render_diff(change.diff(), sys.stdout)
        _err(t(lang, "edit.dry_run", path=change.path))
    elif change.backup is None:
        _err(t(lang, "edit.created", path=change.path))
    else:
        _err(t(lang, "edit.saved", path=change.path, backup=change.backup))


add_app = typer.Typer(
    cls=TyperGroup,
    help="Add a person, topic, project or network.",
    rich_markup_mode=None,
    no_args_is_help=True,
)
app.add_typer(add_app, name="add")


@add_app.command("person")
def add_person(
    ctx: typer.Context,
    *,
    item_id: Annotated[str, typer.Argument(help="New id, e.g. anna-aalto.", metavar="ID")],
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    title: Annotated[str, typer.Option("--title", help="Title in Finnish.")] = "",
    title_en: Annotated[str, typer.Option("--title-en", help="Title in English.")] = "",
    phone: Annotated[str, typer.Option("--phone", help="Phone, e.g. 040 123 4567.")] = "",
    email: Annotated[str, typer.Option("--email", help="Email address.")] = "",
    alias: AliasOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Add a person."""
    _edit(
        ctx,
        dry_run,
        lambda doc: doc.add_person(
            item_id,
            name=name,
            title=title,
            title_en=title_en,
            phone_number=phone,
            email_address=email,
            aliases=alias or (),
        ),
    )


def _add_entry_command(kind: EntryKind) -> None:
    def command(
        ctx: typer.Context,
        *,
        item_id: Annotated[str, typer.Argument(help="New id, e.g. eu-advocacy.", metavar="ID")],
        name: Annotated[str, typer.Option("--name", help="Official or usual name.")],
        alias: AliasOption = None,
        contact: Annotated[
            list[str] | None,
            typer.Option("--contact", "-c", help="Contact person, primary first (repeatable)."),
        ] = None,
        via: Annotated[
            str | None, typer.Option("--via", help="Entry this one is reached through.")
        ] = None,
        description: Annotated[
            str, typer.Option("--description", help="Description in Finnish.")
        ] = "",
        dry_run: DryRunOption = False,
    ) -> None:
        _edit(
            ctx,
            dry_run,
            lambda doc: doc.add_entry(
                kind,
                item_id,
                name=name,
                aliases=alias or (),
                contacts=contact or (),
                via=via,
                description=description,
            ),
        )

    add_app.command(kind, help=f"Add a {kind}.")(command)


for _kind in ENTRY_TABLES:
    _add_entry_command(_kind)


@app.command()
def assign(
    ctx: typer.Context,
    entry: EntryArgument,
    person: PersonArgument,
    primary: Annotated[
        bool, typer.Option("--primary", help="Make this person the primary contact.")
    ] = False,
    dry_run: DryRunOption = False,
) -> None:
    """Make a person a contact of a topic, project or network."""
    _edit(ctx, dry_run, lambda doc: doc.assign(entry, person, primary=primary))


@app.command()
def unassign(
    ctx: typer.Context,
    entry: EntryArgument,
    person: PersonArgument,
    dry_run: DryRunOption = False,
) -> None:
    """Remove a person from the contacts of a topic, project or network."""
    _edit(ctx, dry_run, lambda doc: doc.unassign(entry, person))


@app.command()
def remove(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(help="Id or name.", metavar="ID")],
    cascade: Annotated[
        bool, typer.Option("--cascade", help="Also remove every reference to it.")
    ] = False,
    dry_run: DryRunOption = False,
) -> None:
    """Remove an entry or person (refused while others refer to it, unless --cascade)."""
    _edit(ctx, dry_run, lambda doc: doc.remove(item, cascade=cascade))


@app.command()
def rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="Current id or name.")],
    new: Annotated[str, typer.Argument(help="New id.")],
    dry_run: DryRunOption = False,
) -> None:
    """Give an entry or person a new id and update every reference to it."""
    _edit(ctx, dry_run, lambda doc: doc.rename(old, new))


@app.command("set")
def set_field(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(help="Id or name.", metavar="ID")],
    field: Annotated[str, typer.Argument(help="Field, e.g. phone, title, deputy, aliases.")],
    value: Annotated[
        list[str],
        typer.Argument(help='New value ("" removes an optional field).', metavar="VALUE..."),
    ],
    dry_run: DryRunOption = False,
) -> None:
    """Set one field of an entry or person (aliases take several values)."""
    _edit(ctx, dry_run, lambda doc: doc.set_field(item, field, value))


@app.command()
def away(
    ctx: typer.Context,
    *,
    person: PersonArgument,
    start: Annotated[str, typer.Option("--from", help="First day away (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last day away (YYYY-MM-DD).")],
    reason: Annotated[str, typer.Option("--reason", help="Why, e.g. loma.")] = "",
    deputy: Annotated[
        str | None, typer.Option("--deputy", help="Who stands in (sets the person's deputy).")
    ] = None,
    dry_run: DryRunOption = False,
) -> None:
    """Record an absence; 'who' then shows the deputy first on those days."""
    first, last = _parse_date(start), _parse_date(end)
    _edit(
        ctx,
        dry_run,
        lambda doc: doc.add_absence(person, first, last, reason=reason, deputy=deputy),
    )


def _ask(question: str) -> bool:
    """Ask yes/no on stderr; no answer (end of input, no terminal) means no."""
    try:
        return typer.confirm(question, default=False, err=True)
    except typer.Abort:
        return False


@app.command("import")
def import_contacts(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="Web page text, CSV with a header row, or vCard.", dir_okay=False)
    ],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Write without asking (scripts).")
    ] = False,
    dry_run: DryRunOption = False,
) -> None:
    """Merge contacts from the web page (as text), a CSV or a vCard file into the registry."""
    from kvlookup import importer, render, store

    state = _state(ctx)
    snapshot, after = importer.prepare(state.path, importer.read(file))
    pending = store.Change(state.path, snapshot.data, after, written=False)
    if dry_run or not pending.changed:
        _report_change(pending, dry_run, state.lang)
        return
    render.render_diff(pending.diff(), sys.stdout)
    if not yes and not _ask(t(state.lang, "import.confirm", path=state.path)):
        _err(t(state.lang, "import.declined"))
        raise typer.Exit(int(ExitCode.NO_MATCH))
    _report_change(store.commit(snapshot, after), False, state.lang)


@app.command("edit")
def edit_registry(ctx: typer.Context) -> None:
    """Open the registry in $VISUAL/$EDITOR; it is checked before it replaces the file."""
    from kvlookup import editsession

    state = _state(ctx)

    def reopen(problems: RegistryError) -> bool:
        _report(problems, state.lang)
        return _ask(t(state.lang, "editor.reopen"))

    editor = editsession.editor_command(os.environ)
    _report_change(editsession.edit(state.path, editor, reopen), False, state.lang)


def _command_name(args: Sequence[str]) -> str | None:
    """The subcommand args name, skipping top-level options (None when there is none)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-h", "--help"):
            return None  # help for the whole app, listing every command
        if arg in _VALUE_OPTIONS:
            i += 2
        elif arg.startswith("-"):
            i += 1
        else:
            return arg
    return None


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app with only the command args name, or the whole app for help and unknown names.

    Typer builds every command's options at start-up; building one instead saves about a
    tenth of a 'who' run (bench/README.md).
    """
    name = _command_name(args)
    commands = [
        c
        for c in app.registered_commands
        if name == (c.name or (c.callback.__name__ if c.callback else "").replace("_", "-"))
    ]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    small = typer.Typer(**APP_SETTINGS)
    small.registered_callback = app.registered_callback
    small.registered_commands = commands
    small.registered_groups = groups
    return small


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    app_for(args)(args=args, prog_name="kvlookup")


def run() -> None:
    """Console-script entry: main(), then exit without the interpreter's teardown."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):
            sys.stderr.write(exc.code + "\n")
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader left early (kvlookup list | head)
        code = code or 1
    # Freeing a large registry object by object costs a quarter of a second at exit on a
    # 100k-entry registry (bench/README.md); the operating system reclaims it at once.
    # Everything that must reach disk was closed or committed by the command itself.
    os._exit(code)
