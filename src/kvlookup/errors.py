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

    def __init__(self, name: str) -> None:
        super().__init__("name.not_found", name=name)


class AmbiguousNameError(UsageError):
    """A name given on the command line resolves to more than one entry or person."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        super().__init__("name.ambiguous", name=name, candidates=", ".join(candidates))
        self.candidates = candidates


class RegistryError(KvlookupError):
    """The registry file is missing, unreadable or invalid; carries every problem found."""

    exit_code = ExitCode.REGISTRY

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("check.failed", count=len(problems))
        self.problems = problems
