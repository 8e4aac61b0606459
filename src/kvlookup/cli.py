"""Command line: parse arguments, call the core, hand results to render, map errors to exit codes.

The commands live in kvlookup.commands, one module per family; a run imports and builds
only the command it was asked for (`app_for`), because start-up time is what people feel.
"""

# No `from __future__ import annotations` here: Typer reads every command's annotations at
# start-up, and evaluating strings then costs more than evaluating them once at import.

import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer._click.exceptions import ClickException
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperCommand, TyperGroup

from kvlookup import __version__, i18n, streams
from kvlookup.commands import Outcome, State, render_outcome, report
from kvlookup.errors import KvlookupError, UsageError
from kvlookup.i18n import Lang

# Which module of kvlookup.commands defines each command, in the order help lists them.
# Only the invoked command's module is imported; tests check this table against them.
COMMANDS: Mapping[str, str] = {
    "who": "lookup",
    "show": "lookup",
    "whois": "lookup",
    "pick": "lookup",
    "list": "lookup",
    "export": "export",
    "check": "lookup",
    "add": "edit",
    "assign": "edit",
    "unassign": "edit",
    "remove": "edit",
    "rename": "edit",
    "set": "edit",
    "away": "edit",
    "import": "edit",
    "edit": "edit",
    "sync": "directory",
    "review": "directory",
}


# The command list of --help: groups, and each command's line, in English and Finnish.
# Short enough for an 80-column terminal, so Click never cuts one ("(e.g.").
GROUPS: tuple[tuple[tuple[str, str], tuple[str, ...]], ...] = (
    (("Lookup", "Haku"), ("who", "show", "whois", "pick", "list")),
    (("Export", "Vienti"), ("export",)),
    (
        ("Editing", "Muokkaus"),
        ("add", "assign", "unassign", "remove", "rename", "set", "away", "import", "edit"),
    ),
    (("Checking", "Tarkistus"), ("check", "review")),
    (("Directory", "Hakemisto"), ("sync",)),
)
SHORT_HELP: Mapping[str, tuple[str, str]] = {
    "who": (
        "Who handles a topic, project, network or person.",
        "Kuka hoitaa aiheen, hankkeen, verkoston tai henkilön.",
    ),
    "show": ("Everything about one entry or person.", "Kaikki yhdestä kohteesta tai henkilöstä."),
    "whois": ("What a person handles (reverse lookup).", "Mitä henkilö hoitaa (käänteinen haku)."),
    "pick": (
        "Choose an entry or person in a fuzzy picker.",
        "Valitse kohde tai henkilö sumealla haulla.",
    ),
    "list": ("List entries and people.", "Listaa kohteet ja henkilöt."),
    "export": (
        "Contacts for spreadsheets, phones and mail.",
        "Yhteystiedot taulukkoon, puhelimeen ja postiin.",
    ),
    "add": ("Add a person, topic, project or network.", "Lisää henkilö, aihe, hanke tai verkosto."),
    "assign": ("Make a person a contact of an entry.", "Lisää henkilö kohteen yhteyshenkilöksi."),
    "unassign": (
        "Remove a person from an entry's contacts.",
        "Poista henkilö kohteen yhteyshenkilöistä.",
    ),
    "remove": ("Delete an entry or person.", "Poista kohde tai henkilö."),
    "rename": (
        "Change an id and every reference to it.",
        "Vaihda tunniste ja kaikki viittaukset siihen.",
    ),
    "set": (
        "Change one field, or one item of a list.",
        "Muuta yhtä kenttää tai luettelon yhtä arvoa.",
    ),
    "away": ("Record an absence and who stands in.", "Kirjaa poissaolo ja sijainen."),
    "import": (
        "Merge contacts from a web page, CSV or vCard.",
        "Tuo yhteystiedot verkkosivulta, CSV:stä tai vCardista.",
    ),
    "edit": (
        "Edit the registry in your editor, checked.",
        "Muokkaa rekisteriä editorissa, tarkistettuna.",
    ),
    "check": ("Validate the registry.", "Tarkista rekisteri."),
    "review": (
        "Entries due for review, oldest first.",
        "Tarkistusta odottavat kohteet, vanhin ensin.",
    ),
    "sync": ("Fetch people and groups from the directory.", "Hae henkilöt ja ryhmät hakemistosta."),
}


V = TypeVar("V")


class KvContext(typer.Context):
    """A context that checks its command's parsed arguments before the command runs."""

    def invoke(self, callback: Callable[..., V], /, *args: Any, **kwargs: Any) -> V:
        """Run callback; UsageError first when a text argument is not valid UTF-8."""
        for param in self.command.params:
            # Paths are left alone: the operating system takes any bytes in a file name.
            if param.name in kwargs and param.type.name not in _PATH_TYPES:
                bad = _undecodable(kwargs[param.name])
                if bad is not None:
                    raise UsageError("usage.not_utf8", name=_label(param), value=bad)
        return super().invoke(callback, *args, **kwargs)


# Click's names for its Path parameter type (file_okay/dir_okay decide which).
_PATH_TYPES = frozenset({"path", "file", "directory"})


def _label(param: Any) -> str:
    """How the user types a parameter: '--title', or an argument's 'VALUE...'."""
    opts = getattr(param, "opts", None)
    if param.param_type_name == "option" and opts:
        return str(max(opts, key=len))
    return str(param.human_readable_name)


def _undecodable(value: object) -> str | None:
    """The first text in value (one or a list) that holds bytes that are not UTF-8, or None.

    Python hands such argv bytes over as lone surrogates ("\\udcff"), which every later
    encode (the registry, the cache, the terminal) would refuse.
    """
    for text in value if isinstance(value, (list, tuple)) else (value,):
        if isinstance(text, str) and not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                return text
    return None


def _use_context(command: Any) -> None:
    """Make every command below command parse into a KvContext."""
    command.context_class = KvContext
    for sub in getattr(command, "commands", {}).values():
        _use_context(sub)


class KvGroup(TyperGroup):
    """Localises help before parsing and turns KvlookupError into one line and an exit code."""

    context_class = KvContext

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        _use_context(self)

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        """Pick the language the command line was read with, then translate help texts."""
        invocation = extra.get("obj")
        lang = (
            invocation.lang
            if isinstance(invocation, Invocation)
            else i18n.detect(args, os.environ)  # called directly, not through main()
        )
        # An earlier Finnish run in this process (tests) must not leave Click Finnish.
        if lang == "fi" or "kvlookup.helpfi" in sys.modules:
            from kvlookup import helpfi  # Click's own words; English runs never import it

            helpfi.install(lang == "fi")
            if lang == "fi":
                _localise(self, "")
                helpfi.localise(self)
        self.epilog = i18n.EPILOG[lang]
        self.lang: Lang = lang
        for name, command in self.commands.items():
            if name in SHORT_HELP:  # also what zsh and fish show beside a command on a TAB
                command.short_help = SHORT_HELP[name][lang == "fi"]
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except ClickException as exc:
            raise _in_language(exc, lang) from None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list in groups (lookup, export, editing, ...), one line each."""
        fi = getattr(self, "lang", "en") == "fi"
        for titles, names in GROUPS:
            rows = [(n, SHORT_HELP[n][fi]) for n in names if n in self.commands]
            if rows:
                with formatter.section(titles[fi]):
                    formatter.write_dl(rows)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Parse args as read_argv() orders them: options anywhere, 'who' by default."""
        # main() passes the arguments read_argv arranged; only a direct call arranges here.
        return super().parse_args(ctx, args if isinstance(ctx.obj, Invocation) else arrange(args))

    def invoke(self, ctx: Any) -> Any:
        """Run the command and write its Outcome; report a KvlookupError once, on stderr,
        with its exit code."""
        try:
            result = super().invoke(ctx)
            if isinstance(result, Outcome):
                render_outcome(result, _lang_of(ctx))
            return result
        except ClickException as exc:
            raise _in_language(exc, _lang_of(ctx)) from None
        except KvlookupError as exc:
            report(exc, _lang_of(ctx))
            raise typer.Exit(int(exc.exit_code)) from None


class KvListing(KvGroup):
    """The app as a run that names no command sees it: every command listed, none built.

    Help, --version, a usage error before any command, and a TAB on a command's name need
    only each command's name and line; building all 18 with their options, and importing
    their modules, would be most of such a run (bench/README.md).
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name in COMMANDS:
            # Never run: Click resolves a command only from a word that read_argv would
            # have found and built (_command_name); -h and --help exit before one.
            self.commands.setdefault(name, TyperCommand(name, short_help=SHORT_HELP[name][0]))


def _lang_of(ctx: Any) -> Lang:
    """The run's language: the options' State once parsed, else the command line's."""
    if isinstance(ctx.obj, State | Invocation):
        return ctx.obj.lang
    return "en"


def _in_language(exc: ClickException, lang: Lang) -> ClickException:
    """A Click usage error as the user's language shows it."""
    if lang != "fi" or not isinstance(exc, ClickUsageError):
        return exc
    from kvlookup import helpfi

    return helpfi.FinnishUsageError(exc)


def _localise(command: Any, name: str) -> None:
    """Replace English help with Finnish (HELP_FI) throughout the command tree.

    Keys are command paths: "" for the app, "who", "add person", then "add person.phone".
    """
    from kvlookup.messages import HELP_FI  # only Finnish help needs it

    if name in HELP_FI:
        command.help = HELP_FI[name]
    for param in getattr(command, "params", []):
        key = f"{name}.{param.name}" if name else param.name
        text = HELP_FI.get(key) or HELP_FI.get(param.name or "")
        if text and getattr(param, "help", None) is not None:
            param.help = text
    for sub_name, sub in getattr(command, "commands", {}).items():
        _localise(sub, f"{name} {sub_name}".strip())


APP_SETTINGS: dict[str, Any] = {
    "cls": KvGroup,
    "name": "kvlookup",
    "help": "Who handles this? Contact and responsibility lookup for the Regional Council "
    "of Central Finland.",
    "epilog": i18n.EPILOG["en"],
    "rich_markup_mode": None,
    "pretty_exceptions_enable": False,
    "add_completion": True,
    "no_args_is_help": True,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
# Top-level options that take a value, so the command name can be found after them.
_VALUE_OPTIONS = frozenset({"--registry", "-r", "--lang", "--config"})
# Commands with --format, which may also be given before the command.
_FORMAT_OPTIONS = frozenset({"--format", "-f"})
DEFAULT_COMMAND = "who"
_COMPLETION_OPTIONS = frozenset({"--install-completion", "--show-completion"})
_SHELLS = frozenset({"bash", "zsh", "fish", "powershell", "pwsh"})


def _takes(arg: str, names: frozenset[str]) -> int:
    """How many args an option of names spans at arg: 2 (--lang fi), 1 (--lang=fi) or 0."""
    if arg in names:
        return 2
    return 1 if arg.startswith("--") and arg.split("=", 1)[0] in names else 0


def arrange(args: Sequence[str]) -> list[str]:
    """args with top-level options first and --format after the command, as gh and git allow.

    `kvlookup who X --registry f --lang fi` and `kvlookup --format json who X` mean what they
    say; a first word that is no command is a query (`kvlookup FEDARENE` is `who FEDARENE`).
    Nothing after "--" moves.
    """
    args = list(args)
    cut = args.index("--") if "--" in args else len(args)
    head, tail = args[:cut], args[cut:]
    top: list[str] = []
    formats: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(head):
        arg = head[i]
        span = _takes(arg, _VALUE_OPTIONS)
        if arg in _COMPLETION_OPTIONS and head[i + 1 : i + 2] and head[i + 1] in _SHELLS:
            span = 2  # Typer's --show-completion zsh, when it takes the shell's name
        target = top
        if not span:
            span = _takes(arg, _FORMAT_OPTIONS)
            target = formats
        if span:
            target.extend(head[i : i + span])
            i += span
        else:
            rest.append(arg)
            i += 1
    position = next((j for j, a in enumerate(rest) if not a.startswith("-")), None)
    if position is None:
        if tail and not any(a in ("-h", "--help", "--version") for a in rest):
            position = len(rest)  # `kvlookup -- -5%`: a query that looks like an option
            rest.append(DEFAULT_COMMAND)
        else:
            return top + formats + rest + tail
    elif rest[position] not in COMMANDS:
        rest.insert(position, DEFAULT_COMMAND)
    # A command without --format rejects it there, with Click's own "No such option".
    return top + rest[: position + 1] + formats + rest[position + 1 :] + tail


def _complete_lang(incomplete: str) -> list[str]:
    """The --lang values, for a TAB."""
    return [lang for lang in i18n.LANGS if lang.startswith(incomplete)]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"kvlookup {__version__}\n")
        raise typer.Exit()


def main_options(
    ctx: typer.Context,
    registry: Annotated[
        Path | None,
        typer.Option(
            "--registry",
            "-r",
            # No dir_okay=False: a folder is a registry problem (exit 3) like every other,
            # which registry.read_bytes reports, not a usage error.
            help="Registry file (default: $KVLOOKUP_REGISTRY, else the bundled one).",
            metavar="FILE",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Language of messages: en or fi (default: from LANG/LC_ALL).",
            metavar="fi|en",
            autocompletion=_complete_lang,
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Config file naming a directory (default: $KVLOOKUP_CONFIG, else config.toml "
            "in the user config folder, if it exists).",
            dir_okay=False,
        ),
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
    read = ctx.obj if isinstance(ctx.obj, Invocation) else None
    chosen: Lang = read.lang if read else i18n.as_lang(lang) or i18n.from_locale(os.environ)
    ctx.obj = State(registry, chosen, config)


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


def _name_of(info: Any) -> str:
    """The name a registered Typer command is invoked by."""
    callback = info.callback.__name__ if info.callback else ""
    return str(info.name or callback.replace("_", "-"))


def build_app(names: Iterable[str]) -> typer.Typer:
    """An app with the top-level options and the named commands, importing only their modules.

    Typer builds every command's options at start-up, and the command modules import what
    their options need; building one command instead of all of them is a third of the
    start-up that is kvlookup's own (bench/README.md). No names: the listing (KvListing).
    """
    wanted = [name for name in COMMANDS if name in set(names)]
    if not wanted:
        return _with_options(typer.Typer(**{**APP_SETTINGS, "cls": KvListing}))
    found: dict[str, Any] = {}
    for module_name in dict.fromkeys(COMMANDS[name] for name in wanted):
        source: typer.Typer = import_module(f"kvlookup.commands.{module_name}").commands
        for info in source.registered_commands:
            found[_name_of(info)] = ("command", info)
        for group in source.registered_groups:
            found[str(group.name)] = ("group", group)
    app = _with_options(typer.Typer(**APP_SETTINGS))
    for name in wanted:
        kind, info = found[name]
        (app.registered_commands if kind == "command" else app.registered_groups).append(info)
    return app


def _with_options(app: typer.Typer) -> typer.Typer:
    """app with the top-level options (main_options) as its callback."""
    app.callback()(main_options)
    return app


class Invocation:
    """The command line, read once: its arguments as Click parses them, command and language."""

    # A slotted class, not a NamedTuple: nothing unpacks or compares it, and creating a
    # NamedTuple class costs every start about 0.1 ms (an eval of its __new__).
    __slots__ = ("args", "command", "lang")

    def __init__(self, args: list[str], command: str | None, lang: Lang) -> None:
        self.args = args
        self.command = command
        self.lang = lang


def read_argv(args: Sequence[str], environ: Mapping[str, str]) -> Invocation:
    """Read a command line once: options anywhere and 'who' by default (arrange), the
    command it names, its language (--lang, else the locale), and export's bare --fields."""
    arranged = arrange(args)
    command = _command_name(arranged)
    if command == "export":
        arranged = _bare_fields(arranged)
    return Invocation(arranged, command, i18n.detect(arranged, environ))


def _bare_fields(args: list[str]) -> list[str]:
    """A bare --fields (last, or followed by another option) as --fields='': list them."""
    cut = args.index("--") if "--" in args else len(args)
    return [
        "--fields=" if arg == "--fields" and (i + 1 == cut or args[i + 1].startswith("-")) else arg
        for i, arg in enumerate(args[:cut])
    ] + args[cut:]


def app_for(command_line: Sequence[str] | Invocation) -> typer.Typer:
    """The app to run a command line with: only the command it names, else the listing."""
    read = (
        command_line
        if isinstance(command_line, Invocation)
        else read_argv(command_line, os.environ)
    )
    name = read.command
    return build_app([name] if name is not None and name in COMMANDS else ())


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    _main(read_argv(sys.argv[1:] if argv is None else argv, os.environ))


def _main(read: Invocation) -> None:
    if os.environ.get("_KVLOOKUP_COMPLETE"):
        # A TAB: the command line is in the environment; build only what it names.
        from kvlookup import completion

        completion.run(app_for(completion.words(os.environ)))
        return
    # The Invocation rides on the context (obj) until the top-level options replace it
    # with the run's State: nothing reads sys.argv again.
    app_for(read)(args=read.args, prog_name="kvlookup", obj=read)


def run() -> None:
    """Run the command sys.argv names (main()), then exit without the interpreter's teardown."""
    # Before anything is written: from here on a closed or full stream costs an exit code,
    # never a traceback (streams.py).
    streams.install()
    read = read_argv(sys.argv[1:], os.environ)
    try:
        _main(read)
        code = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):
            sys.stderr.write(exc.code + "\n")
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    code = streams.exit_code(code, read.lang)
    # Freeing a large registry object by object costs a quarter of a second at exit on a
    # 100k-entry registry (bench/README.md); the operating system reclaims it at once.
    # Everything that must reach disk was closed or committed by the command itself.
    os._exit(code)
