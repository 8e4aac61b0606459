"""The collector in a run: paused over lasting work, frozen after it only in the console script."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

import kvlookup
from kvlookup import collector
from kvlookup.sources import registry

from .conftest import BUNDLED


@pytest.fixture
def host_collector(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The test process's collector as it was, whatever a test sets."""
    monkeypatch.setattr(kvlookup, "one_command", False)
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    gc.unfreeze()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        if enabled:
            gc.enable()


@pytest.mark.usefixtures("host_collector")
@pytest.mark.parametrize("one_command", [True, False])
def test_a_load_is_frozen_out_of_the_collector_only_in_a_one_command_process(
    monkeypatch: pytest.MonkeyPatch, one_command: bool
) -> None:
    """The console script freezes what a load made; a host that lives on never has it frozen."""
    monkeypatch.setattr(kvlookup, "one_command", one_command)
    with collector.paused():
        assert not gc.isenabled()
        loaded = registry.load(BUNDLED)
    assert gc.isenabled()
    assert (gc.get_freeze_count() > 0) is one_command
    assert loaded.entries


@pytest.mark.usefixtures("host_collector")
def test_a_pause_inside_a_pause_leaves_the_collector_off_until_the_outer_one_ends() -> None:
    with collector.paused():
        with collector.paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("host_collector")
def test_a_pause_ends_even_when_the_work_fails() -> None:
    with pytest.raises(ValueError), collector.paused():
        raise ValueError
    assert gc.isenabled()


@pytest.mark.usefixtures("host_collector")
def test_a_one_command_process_walks_its_youngest_generation_less_often() -> None:
    older = gc.get_threshold()[1:]
    collector.for_one_command()
    assert kvlookup.one_command
    assert gc.get_threshold() == (collector.YOUNG_GENERATION, *older)
    assert collector.YOUNG_GENERATION > 700  # Python's default
