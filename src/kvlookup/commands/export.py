"""The export command: contact lists for spreadsheets, address books, mail clients and wikis."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kvlookup.commands import (
    KindOption,
    Message,
    Outcome,
    RawOption,
    complete_people,
    parse_kind,
    state_of,
)
from kvlookup.errors import ExitCode


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


commands = typer.Typer()


@commands.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = ExportFormat.csv,
    kind: KindOption = None,
    person: Annotated[
        str | None,
        typer.Option(
            "--person",
            "-p",
            help="Only what this person handles (id or name).",
            metavar="PERSON",
            autocompletion=complete_people,
        ),
    ] = None,
    query: Annotated[
        str | None,
        typer.Option(
            "--query",
            "-q",
            help="Only the entries 'who' would answer for this query.",
            metavar="QUERY",
        ),
    ] = None,
    where: Annotated[
        str | None,
        typer.Option(
            "--where",
            "-w",
            help="Only rows this filter keeps: field:value terms (kind, person, query), all "
            "of which hold, 'or' between alternatives, e.g. 'kind:project or person:koponen'.",
            metavar="FILTER",
        ),
    ] = None,
    fields: Annotated[
        str | None,
        typer.Option(
            "--fields",
            help="Columns, comma-separated, in order (csv, tsv, json, markdown). A bare "
            "--fields lists them. Default: id, kind, name, via_id, contact_id, contact, "
            "title_fi, title_en, phone, email. Also: organisation, via_name, aliases, "
            "description_fi, description_en.",
            metavar="FIELDS",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
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
) -> Outcome:
    """Export contacts for other tools: CSV (Excel), TSV, JSON, vCard, TOML, mutt or Markdown."""
    from kvlookup.output import export as core
    from kvlookup.output import render
    from kvlookup.output.views import RenderOptions

    state = state_of(ctx)
    if fields == "":
        return Outcome(data=("\n".join(core.FIELDS) + "\n").encode())
    if output is not None:
        core.check_output(output, state.path)
    options = RenderOptions(
        raw=raw,
        excel=excel,
        header=not no_header,
        vcard_version=vcard_version.value,
        phone_format=phone_format.value,
        fields=core.parse_fields(fields),
    )
    registry, index = state.open()
    rows = core.select(registry, core.Filters(parse_kind(kind), person, query, where), index=index)
    view = core.build(registry, rows, options, fmt.value)
    data = render.to_bytes(view, fmt.value, state.lang, options)
    if output is not None:
        core.save(output, data, force=force)
        data = b""
    if not render.is_empty(view, fmt.value):
        return Outcome(data=data)
    # The mutt format says "nothing found" itself; the others are told on stderr.
    empty: tuple[Message, ...] = () if render.states_outcome(fmt.value) else (("export.empty", {}),)
    return Outcome(data=data, messages=empty, code=ExitCode.NO_MATCH)
