"""Record: a small value class that costs a class statement, not a compiled constructor."""

from typing import Any, Self

# Each Record class's field names, in the order its __init__ takes them: worked out on
# first use, since __slots__ is kept sorted.
_FIELDS: dict[type, tuple[str, ...]] = {}


class Record:
    """A small value class that costs a class statement, not a compiled constructor.

    typing.NamedTuple compiles a constructor for every class it makes, 0.1-0.4 ms each at
    every start; the layers' internal values (a search candidate, a view, a column) are
    Records instead. A subclass names its fields in __slots__, takes each as a parameter
    of __init__ (their order is the fields' order), and never changes them after (by
    convention: a guard would slow every construction).
    """

    # The hash, worked out on first use: a Field keys the plans of validation, which hash
    # a registry's fields for every item it checks.
    __slots__ = ("_hash",)
    _hash: int

    @classmethod
    def _fields(cls) -> tuple[str, ...]:
        """The field names, in the order __init__ takes them."""
        found = _FIELDS.get(cls)
        if found is None:
            code = cls.__init__.__code__
            found = _FIELDS[cls] = code.co_varnames[1 : code.co_argcount + code.co_kwonlyargcount]
        return found

    def _asdict(self) -> dict[str, Any]:
        """The fields by name, in order."""
        return {name: getattr(self, name) for name in self._fields()}

    def _replace(self, **changes: Any) -> Self:
        """A copy with some fields changed, as NamedTuple._replace."""
        return type(self)(**(self._asdict() | changes))

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields())

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Record)
            and type(other) is type(self)
            and self._values() == other._values()
        )

    def __hash__(self) -> int:
        try:
            return self._hash
        except AttributeError:
            self._hash = hash(self._values())
            return self._hash

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self._asdict().items())
        return f"{type(self).__name__}({fields})"
