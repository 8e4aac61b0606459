"""The field schema: what each field of a person or an entry is, read from its record type.

A record type (models.Person, models.Entry) declares each field once, as
`title: Annotated[str, Field(TEXT, lang="fi")] = ""`. Validation, `set`, export, the cache,
JSON and import read these declarations instead of naming fields (README: Adding a field).
"""

from collections.abc import Sequence
from typing import Any

from kvlookup.record import Record

# Kinds: what a value is, and so how every layer checks, reads, writes and shows it.
TEXT = "text"  # a string
TEXTS = "texts"  # a list of strings (aliases)
PHONE = "phone"  # a string that is a phone number (contactinfo)
EMAIL = "email"  # a string that is an email address (contactinfo)
DIRECTORY_KEY = "directory key"  # uid=hkoponen or an email address: a person in the directory
PERSON = "person"  # the id of a person, or None
PEOPLE = "people"  # a list of person ids
ENTRY = "entry"  # the id of an entry, or None
DAY = "day"  # a date, or None
ABSENCES = "absences"  # a list of absences ([[people.x.away]] tables)
ORIGINS = "origins"  # (field, "directory" or "registry") pairs, set by a directory merge


class Field(Record):
    """How one field of a record is stored, changed, exported and shown."""

    __slots__ = (
        "column",
        "command",
        "default",
        "in_json",
        "in_registry",
        "in_toml_export",
        "key",
        "kind",
        "lang",
        "name",
        "required",
    )

    def __init__(
        self,
        kind: str,
        required: bool = False,
        # "fi" or "en" for one of a pair (title, title_en): a reader sees the one in their
        # language.
        lang: str = "",
        # The command that changes it: "set", or a command of its own ("assign", "away");
        # "" when no command does (a value a directory merge adds).
        command: str = "set",
        in_registry: bool = True,  # a key of the TOML file; False: only a directory merge
        column: bool = True,  # a column of tabular exports (csv, tsv, ...)
        in_json: bool = True,  # in the JSON of a person as a contact, or of an entry
        # Written into a TOML export. False keeps what exports wrote before the schema.
        in_toml_export: bool = True,
        # Its name in every output (columns, JSON, show), when not its registry key: the
        # Finnish half of a pair says so ("title_fi"), and an id says it is one ("via_id").
        key: str = "",
        name: str = "",  # filled in by fields_of from the attribute it annotates
        default: Any = None,  # likewise, the attribute's default
    ) -> None:
        self.kind = kind
        self.required = required
        self.lang = lang
        self.command = command
        self.in_registry = in_registry
        self.column = column
        self.in_json = in_json
        self.in_toml_export = in_toml_export
        self.key = key
        self.name = name
        self.default = default

    @property
    def out(self) -> str:
        """The field's name in output: its key, else its registry name."""
        return self.key or self.name

    @property
    def is_list(self) -> bool:
        """True for a field holding several values."""
        return self.kind in (TEXTS, PEOPLE, ABSENCES, ORIGINS)

    @property
    def settable(self) -> bool:
        """True when 'kvlookup set' changes it."""
        return self.command == "set"


def fields_of(record: type[tuple[Any, ...]]) -> tuple[Field, ...]:
    """The fields a NamedTuple record declares with Annotated[..., Field(...)], in order."""
    defaults: dict[str, Any] = getattr(record, "_field_defaults", {})
    found = []
    for name, hint in record.__annotations__.items():
        declared: Sequence[object] = getattr(hint, "__metadata__", ())
        for meta in declared:
            if isinstance(meta, Field):
                found.append(meta._replace(name=name, default=defaults.get(name)))
    return tuple(found)


def names(fields: Sequence[Field]) -> tuple[str, ...]:
    """The names of fields, in order."""
    return tuple(f.name for f in fields)
