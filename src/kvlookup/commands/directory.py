"""Directory and review commands: sync fetches the LDAP directory; review lists stale entries."""

# No `from __future__ import annotations`: Typer reads these annotations at start-up.

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from kvlookup.commands import FormatOption, Message, Outcome, RawOption, State, err, state_of
from kvlookup.errors import ConfigError, DirectoryError, UsageError
from kvlookup.i18n import Lang, t

if TYPE_CHECKING:
    from pathlib import Path

    from kvlookup.sources.config import Directory

commands = typer.Typer()


def directory_config(state: State) -> "tuple[Path, Directory]":
    """The config file and its [directory] table; UsageError when none is configured."""
    from kvlookup.models import Problem
    from kvlookup.sources import config

    path = state.config_file()
    if path is None:
        from kvlookup.commands import user_config_dir

        raise UsageError("directory.no_config", path=user_config_dir(os.environ) / "config.toml")
    cfg = config.load(path)
    if cfg.directory is None:
        raise ConfigError([Problem(str(path), "config.no_directory")], "config.invalid", path=path)
    return path, cfg.directory


def password_for(directory: "Directory", lang: Lang) -> str | None:
    """The bind password: from the variable the config names, else asked on a terminal."""
    if not directory.bind_dn:
        return None  # an anonymous bind
    value = os.environ.get(directory.password_env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UsageError("directory.no_password", variable=directory.password_env)
    prompt = t(lang, "directory.password_prompt", user=directory.bind_dn)
    return str(typer.prompt(prompt, hide_input=True, err=True))


@commands.command()
def sync(ctx: typer.Context) -> Outcome:
    """Fetch people and groups from the directory into the local synced copy."""
    from kvlookup.sources import cache, ldap, merge, opening, synced
    from kvlookup.sources import directory as opened

    state = state_of(ctx)
    config_file, directory = directory_config(state)
    registry, _ = opening.open_registry(state.path, os.environ)
    password = password_for(directory, state.lang)
    copy = opened.copy_path(directory, os.environ)
    try:
        snapshot = ldap.fetch(directory, password, merge.links_wanted(registry, directory))
    except DirectoryError as exc:
        when = synced.synced_at(copy)
        if when is None:
            raise
        # Still one line: what failed, and that the last copy keeps answering.
        raise DirectoryError(
            "directory.last_copy",
            failure=t(state.lang, exc.key, **exc.params),
            when=when.astimezone().strftime("%Y-%m-%d %H:%M"),
        ) from None
    synced.write(copy, snapshot)
    # Merge and index now, while the user waits for the sync anyway: the first lookup
    # after it is then as fast as any warm one (bench/README.md).
    if cache.directory(os.environ) is not None:  # with the cache off there is nothing to warm
        opened.open_registry(state.path, config_file, os.environ)
    synced_now = {
        "people": sum(1 for p in snapshot.people if p.selected),
        "groups": len(snapshot.groups),
        "url": directory.url,
        "path": copy,
    }
    return Outcome(messages=(("directory.synced", synced_now),))


def check_directory(state: State) -> list[Message]:
    """'check --directory': stale contacts from the synced copy (RegistryError if any), else
    the messages to say."""
    from kvlookup.errors import RegistryError
    from kvlookup.sources import directory as opened
    from kvlookup.sources import registry as reg
    from kvlookup.sources import stale, synced

    _, directory = directory_config(state)
    copy = opened.copy_path(directory, os.environ)
    snapshot = synced.read(copy)  # DirectoryError "never synced" when there is none
    if notice := opened.age_notice(snapshot.synced_at, directory.max_age):
        # Said now: the findings below end the run with an error.
        err(t(state.lang, notice[0], **notice[1]))
    problems = stale.findings(reg.load(state.path), snapshot, directory)
    if problems:
        raise RegistryError(problems, "directory.findings", url=directory.url)
    return [("directory.clean", {"url": directory.url})]


def check_clashes(state: State) -> None:
    """Plain 'check' with a directory configured and synced: directory groups that clash."""
    from kvlookup.errors import RegistryError
    from kvlookup.sources import config, merge, synced
    from kvlookup.sources import directory as opened
    from kvlookup.sources import registry as reg

    path = state.config_file()
    if path is None:
        return
    directory = config.load(path).directory
    if directory is None:
        return
    try:
        snapshot = synced.read(opened.copy_path(directory, os.environ))
    except DirectoryError:
        return  # nothing synced yet: nothing to clash with
    clashes = merge.merge(reg.load(state.path), snapshot, directory).clashes
    if clashes:
        raise RegistryError(clashes)


@commands.command()
def review(
    ctx: typer.Context,
    older_than: Annotated[
        str,
        typer.Option(
            "--older-than",
            help="Due when last reviewed longer ago than this: 90d, 2w, 6m, 1y.",
        ),
    ] = "6m",
    fmt: FormatOption = None,
    raw: RawOption = False,
) -> Outcome:
    """List entries due for review (reviewed = YYYY-MM-DD), oldest first."""
    from datetime import date

    from kvlookup import review as rev
    from kvlookup.output.views import Column, RenderOptions, View

    state = state_of(ctx)
    today = date.today()
    before = rev.cutoff(older_than, today)
    if before is None:
        raise UsageError("review.bad_age", value=older_than)
    registry = state.load()
    due = rev.due(registry, before)
    never = t(state.lang, "review.never")
    records = tuple(
        {
            "id": e.id,
            "kind": e.kind,
            "name": e.name,
            "reviewed": e.reviewed.isoformat() if e.reviewed else never,
            "days": str((today - e.reviewed).days) if e.reviewed else "",
        }
        for e in due
    )
    document = {
        "schema": 1,
        "older_than": older_than,
        "before": before.isoformat(),
        "entries": [
            {
                "id": e.id,
                "kind": e.kind,
                "name": e.name,
                "reviewed": e.reviewed.isoformat() if e.reviewed else None,
            }
            for e in due
        ],
    }
    columns = (
        Column("id", "col.id"),
        Column("kind", "col.kind", translate="kind."),
        Column("name", "col.name"),
        Column("reviewed", "col.reviewed"),
        Column("days", "col.days_ago"),
    )
    none_due: tuple[Message, ...] = (
        () if due else (("review.none_due", {"before": before.isoformat()}),)
    )
    return Outcome(View(columns, records, document), fmt, RenderOptions(raw=raw), none_due)
