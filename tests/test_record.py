"""Record: the small value class of the layers' internal values, with NamedTuple's manners."""

from __future__ import annotations

from importlib import import_module

import pytest

from kvlookup.output.views import Column
from kvlookup.record import Record
from kvlookup.search.ranking import Candidate, Weights


class Point(Record):
    __slots__ = ("x", "y")

    def __init__(self, x: int, y: int = 0) -> None:
        self.x = x
        self.y = y


class Other(Record):
    __slots__ = ("x", "y")

    def __init__(self, x: int, y: int = 0) -> None:
        self.x = x
        self.y = y


def test_asdict_gives_the_fields_in_order() -> None:
    assert list(Point(1, 2)._asdict().items()) == [("x", 1), ("y", 2)]


def test_replace_changes_some_fields_and_leaves_the_original() -> None:
    p = Point(1, 2)
    assert p._replace(y=5) == Point(1, 5)
    assert p == Point(1, 2)


def test_replace_rejects_a_field_the_record_lacks() -> None:
    with pytest.raises(TypeError):
        Point(1)._replace(z=3)


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        (Point(1, 2), Point(1, 2), True),
        (Point(1, 2), Point(1, 3), False),
        (Point(1, 2), Other(1, 2), False),  # same fields, another type
        (Point(1, 2), (1, 2), False),  # not a tuple
    ],
)
def test_equality_is_by_type_and_fields(a: Record, b: object, equal: bool) -> None:
    assert (a == b) is equal
    if equal:
        assert hash(a) == hash(b)


def test_repr_names_the_fields() -> None:
    assert repr(Point(1, 2)) == "Point(x=1, y=2)"


def test_the_layers_records_keep_their_named_tuple_uses() -> None:
    # ranking.Weights is fitted by bench/tune.py with _replace; views change a Column so.
    assert Weights()._replace(bar=9.0)._asdict()["bar"] == 9.0
    assert Weights()._asdict()["bar"] == 8.0
    assert Column("email", "col.email")._replace(link="mailto").link == "mailto"
    assert {Candidate("a", 1.0, "A"), Candidate("a", 1.0, "A")} == {Candidate("a", 1.0, "A")}


@pytest.mark.parametrize(
    "module",
    [
        "kvlookup.models",
        "kvlookup.schema",
        "kvlookup.commands",
        "kvlookup.output.views",
        "kvlookup.search.index",
        "kvlookup.search.ranking",
        "kvlookup.sources.cache",
    ],
)
def test_every_record_takes_each_of_its_slots_in_init(module: str) -> None:
    found = [
        value
        for value in vars(import_module(module)).values()
        if isinstance(value, type) and issubclass(value, Record) and value is not Record
    ]
    assert found
    for cls in found:
        assert sorted(cls._fields()) == sorted(cls.__slots__), cls
