"""The one exception hierarchy of kvlookup; each class carries its process exit code."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kvlookup.models import Problem


class ExitCode(IntEnum):
    """Documented process exit codes."""

    OK = 0
    NO_MATCH = 1
    USAGE = 2
    REGISTRY = 3
    CONFLICT = 4
    OUTPUT = 5  # stdout closed, full or a broken pipe: the answer did not arrive
    DIRECTORY = 6  # the directory could not be reached or refused; the last copy answers


class KvlookupError(Exception):
    """Base of every error a user can cause; caught once in the CLI.

    Carries a message key and its parameters, so the CLI can say it in the user's language.
    """

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key, params)
        self.key = key
        self.params = params


class UsageError(KvlookupError):
    """The command line asks for something impossible (bad value, unsuitable format)."""


class NotFoundError(UsageError):
    """A name given on the command line resolves to no entry or person."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__("name.not_found", name=name)
        self.suggestions = suggestions  # "did you mean" names, as who gives them


class AmbiguousNameError(UsageError):
    """A name given on the command line resolves to more than one entry or person."""

    def __init__(self, name: str, candidates: list[str], labels: list[str] | None = None) -> None:
        # labels, when given, say more than the ids: "hannu-koponen (Hannu Koponen)".
        shown = ", ".join(labels or candidates)
        super().__init__("name.ambiguous", name=name, candidates=shown)
        self.candidates = candidates


class ProblemsError(KvlookupError):
    """An error that carries every problem found, each reported on a line of its own."""

    def __init__(
        self, problems: list[Problem], key: str = "check.failed", **params: object
    ) -> None:
        super().__init__(key, count=len(problems), **params)
        self.problems = problems


class RegistryError(ProblemsError):
    """The registry file is missing, unreadable or invalid; carries every problem found."""

    exit_code = ExitCode.REGISTRY


class InvalidInput(ProblemsError, UsageError):
    """What the user asked to write (an edit, an import file) has problems; nothing was written."""


class WriteError(KvlookupError):
    """The registry could not be written or an edit could not be applied; the file is unchanged."""

    exit_code = ExitCode.REGISTRY


class ConflictError(KvlookupError):
    """Another writer got there first (file changed since it was read, or lock held too long)."""

    exit_code = ExitCode.CONFLICT


class ConfigError(RegistryError):
    """config.toml is unreadable or invalid; carries every problem found."""

    exit_code = ExitCode.USAGE


class DirectoryError(KvlookupError):
    """The directory is down, refused the bind, or failed TLS; the synced copy is unchanged."""

    exit_code = ExitCode.DIRECTORY
