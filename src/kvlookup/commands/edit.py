"""Editing commands: add, assign, unassign, remove, rename, set, away, import and edit.

Every edit goes through edits.apply: read, change and write under the registry's lock,
with the result validated first. The commands only collect arguments.
"""

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from kvlookup.commands import (
    Outcome,
    complete_entries,
    complete_items,
    complete_people,
    parse_date,
    report,
    state_of,
)
from kvlookup.errors import ExitCode, RegistryError, UsageError
from kvlookup.i18n import t
from kvlookup.models import ENTRY_TABLES, EntryKind

if TYPE_CHECKING:
    from kvlookup.editing.edits import RegistryEdit
    from kvlookup.editing.store import Change

commands = typer.Typer()

DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Show the change as a unified diff; write nothing.")
]
EntryArgument = Annotated[
    str,
    typer.Argument(
        help="Topic, project or network: id or name.",
        metavar="ENTRY",
        autocompletion=complete_entries,
    ),
]
PersonArgument = Annotated[
    str,
    typer.Argument(help="Person: id or name.", metavar="PERSON", autocompletion=complete_people),
]
AliasOption = Annotated[
    list[str] | None, typer.Option("--alias", "-a", help="Another name (repeatable).")
]


def _edit(ctx: typer.Context, dry_run: bool, change: "Callable[[RegistryEdit], None]") -> Outcome:
    from kvlookup.editing import edits

    state = state_of(ctx)
    return _changed(edits.apply(state.path, change, dry_run=dry_run), dry_run)


def _changed(change: "Change", dry_run: bool) -> Outcome:
    """What an edit says: its diff on a dry run, and what became of the file."""
    where = {"path": change.path}
    if not change.changed:
        return Outcome(messages=(("edit.no_change", where),))
    if dry_run:
        return Outcome(diff=change.diff(), messages=(("edit.dry_run", where),))
    if change.backup is None:
        return Outcome(messages=(("edit.created", where),))
    return Outcome(messages=(("edit.saved", where | {"backup": change.backup}),))


add_app = typer.Typer(
    cls=TyperGroup,
    help="Add a person, topic, project or network.",
    rich_markup_mode=None,
    no_args_is_help=True,
)
commands.add_typer(add_app, name="add")


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
) -> Outcome:
    """Add a person."""
    return _edit(
        ctx,
        dry_run,
        lambda doc: doc.add_person(
            item_id,
            {
                "name": name,
                "title": title,
                "title_en": title_en,
                "phone": phone,
                "email": email,
                "aliases": alias or (),
            },
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
            typer.Option(
                "--contact",
                "-c",
                help="Contact person, primary first (repeatable).",
                autocompletion=complete_people,
            ),
        ] = None,
        via: Annotated[
            str | None,
            typer.Option(
                "--via",
                help="Entry this one is reached through.",
                autocompletion=complete_entries,
            ),
        ] = None,
        description: Annotated[
            str, typer.Option("--description", help="Description in Finnish.")
        ] = "",
        dry_run: DryRunOption = False,
    ) -> Outcome:
        return _edit(
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


@commands.command()
def assign(
    ctx: typer.Context,
    entry: EntryArgument,
    person: PersonArgument,
    primary: Annotated[
        bool, typer.Option("--primary", help="Make this person the primary contact.")
    ] = False,
    dry_run: DryRunOption = False,
) -> Outcome:
    """Make a person a contact of a topic, project or network."""
    return _edit(ctx, dry_run, lambda doc: doc.assign(entry, person, primary=primary))


@commands.command()
def unassign(
    ctx: typer.Context,
    entry: EntryArgument,
    person: PersonArgument,
    dry_run: DryRunOption = False,
) -> Outcome:
    """Remove a person from the contacts of a topic, project or network."""
    return _edit(ctx, dry_run, lambda doc: doc.unassign(entry, person))


@commands.command()
def remove(
    ctx: typer.Context,
    item: Annotated[
        str, typer.Argument(help="Id or name.", metavar="ID", autocompletion=complete_items)
    ],
    cascade: Annotated[
        bool, typer.Option("--cascade", help="Also remove every reference to it.")
    ] = False,
    dry_run: DryRunOption = False,
) -> Outcome:
    """Remove an entry or person (refused while others refer to it, unless --cascade)."""
    return _edit(ctx, dry_run, lambda doc: doc.remove(item, cascade=cascade))


@commands.command()
def rename(
    ctx: typer.Context,
    old: Annotated[
        str,
        typer.Argument(help="Current id or name.", metavar="OLD", autocompletion=complete_items),
    ],
    new: Annotated[str, typer.Argument(help="New id.", metavar="NEW")],
    dry_run: DryRunOption = False,
) -> Outcome:
    """Give an entry or person a new id and update every reference to it."""
    return _edit(ctx, dry_run, lambda doc: doc.rename(old, new))


@commands.command("set")
def set_field(
    ctx: typer.Context,
    item: Annotated[
        str, typer.Argument(help="Id or name.", metavar="ID", autocompletion=complete_items)
    ],
    field: Annotated[
        str, typer.Argument(help="Field, e.g. phone, title, deputy, aliases.", metavar="FIELD")
    ],
    value: Annotated[
        list[str] | None,
        typer.Argument(help='New value ("" removes an optional field).', metavar="VALUE..."),
    ] = None,
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add",
            help="Add one item to a list field (aliases, contacts); repeatable.",
            metavar="VALUE",
        ),
    ] = None,
    remove: Annotated[
        list[str] | None,
        typer.Option(
            "--remove", help="Remove one item from a list field; repeatable.", metavar="VALUE"
        ),
    ] = None,
    dry_run: DryRunOption = False,
) -> Outcome:
    """Set one field of an entry or person; --add and --remove change one item of a list."""
    if add or remove:
        if value:
            raise UsageError("edit.list_and_value")
        return _edit(ctx, dry_run, lambda doc: doc.edit_list(item, field, add or (), remove or ()))
    if not value:
        raise UsageError("edit.missing_value")
    return _edit(ctx, dry_run, lambda doc: doc.set_field(item, field, value))


@commands.command()
def away(
    ctx: typer.Context,
    *,
    person: PersonArgument,
    start: Annotated[
        str, typer.Option("--from", help="First day away (YYYY-MM-DD).", metavar="YYYY-MM-DD")
    ],
    end: Annotated[
        str, typer.Option("--to", help="Last day away (YYYY-MM-DD).", metavar="YYYY-MM-DD")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why, e.g. loma.", metavar="REASON")] = "",
    deputy: Annotated[
        str | None,
        typer.Option(
            "--deputy",
            help="Who stands in (sets the person's deputy).",
            metavar="PERSON",
            autocompletion=complete_people,
        ),
    ] = None,
    dry_run: DryRunOption = False,
) -> Outcome:
    """Record an absence; 'who' then shows the deputy first on those days."""
    first, last = parse_date(start), parse_date(end)
    return _edit(
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


@commands.command("import")
def import_contacts(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="Web page text, CSV with a header row, or vCard.", dir_okay=False, metavar="FILE"
        ),
    ],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Write without asking (scripts).")
    ] = False,
    dry_run: DryRunOption = False,
) -> Outcome:
    """Merge contacts from the web page (as text), a CSV or a vCard file into the registry."""
    from kvlookup.editing import importer, store
    from kvlookup.output import render

    state = state_of(ctx)
    snapshot, after = importer.prepare(state.path, importer.read(file))
    pending = store.Change(state.path, snapshot.data, after, written=False)
    if dry_run or not pending.changed:
        return _changed(pending, dry_run)
    if not yes:
        # The one print of a command: the diff must be read before the question is asked.
        render.render_diff(pending.diff(), sys.stdout)
        if not _ask(t(state.lang, "import.confirm", path=state.path)):
            return Outcome(messages=(("import.declined", {}),), code=ExitCode.NO_MATCH)
        return _changed(store.commit(snapshot, after), False)
    # --yes: the diff goes out with the outcome, as a dry run shows it.
    written = _changed(store.commit(snapshot, after), False)
    return written._replace(diff=pending.diff())


@commands.command("edit")
def edit_registry(
    ctx: typer.Context,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Install a copy that keeps fewer than half of the people and entries.",
        ),
    ] = False,
) -> Outcome:
    """Open the registry in $VISUAL/$EDITOR; it is checked before it replaces the file."""
    from kvlookup.editing import in_editor

    state = state_of(ctx)

    def reopen(problems: RegistryError) -> bool:
        report(problems, state.lang)
        return _ask(t(state.lang, "editor.reopen"))

    editor = in_editor.editor_command(os.environ)
    change = in_editor.edit(state.path, editor, reopen, force=force)
    return _changed(change, False)
