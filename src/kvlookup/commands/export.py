"""The export command: contact lists for spreadsheets, address books, mail clients and wikis."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from kvlookup.commands import KindChoice, RawOption, err, state_of
from kvlookup.errors import ExitCode
from kvlookup.i18n import t


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


commands = typer.Typer()


@commands.command(cls=ExportCommand)
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

    state = state_of(ctx)
    if fields == "":
        sys.stdout.write("\n".join(core.FIELDS) + "\n")
        return
    if output is not None:
        core.check_output(output, state.path)
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
    view = core.build(registry, rows, options, fmt.value)
    data = render.to_bytes(view, fmt.value, state.lang, options)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        core.save(output, data, force=force)
    if render.is_empty(view, fmt.value):
        if not render.states_outcome(fmt.value):
            err(t(state.lang, "export.empty"))
        raise typer.Exit(int(ExitCode.NO_MATCH))
