"""The one exception hierarchy of kvlookup; each class carries its process exit code."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented process exit codes."""

    OK = 0
    NO_MATCH = 1
    USAGE = 2
    REGISTRY = 3


class KvlookupError(Exception):
    """Base of every error a user can cause; caught once in the CLI."""

    exit_code: ExitCode = ExitCode.USAGE


class UsageError(KvlookupError):
    """The command line asks for something impossible (unknown name, bad option value)."""

    exit_code = ExitCode.USAGE


class NotFoundError(UsageError):
    """A name given on the command line resolves to no entry or person."""


class AmbiguousNameError(UsageError):
    """A name given on the command line resolves to more than one entry or person."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.candidates = candidates


class RegistryError(KvlookupError):
    """The registry file is missing, unreadable or invalid; carries every problem found."""

    exit_code = ExitCode.REGISTRY

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
