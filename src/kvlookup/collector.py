"""The cyclic garbage collector in a run: paused while many lasting objects are made."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import kvlookup

# Container objects a one-command process allocates, net, before the collector walks its
# youngest generation; Python's default is 700 (2,000 from 3.14).
YOUNG_GENERATION = 20_000


def for_one_command() -> None:
    """Set the collector for a process that runs one command and exits (the console script)."""
    # A lookup imports its own modules and prints (3,000-12,000 objects, nearly all kept to
    # the end): with the default threshold the collector would walk them 5-15 times (0.5-2
    # ms of a 70 ms run). A large command still collects, every 20,000 objects.
    kvlookup.one_command = True
    gc.set_threshold(YOUNG_GENERATION, *gc.get_threshold()[1:])


@contextmanager
def paused() -> Iterator[None]:
    """The collector off while imports, a parse, a cache read or an index make what lives on."""
    # They allocate millions of small objects that all survive, which the collector would
    # rescan again and again (measured: half the load time of a 100k registry).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if kvlookup.one_command:
                # What was made meanwhile lives as long as the run (modules, the registry,
                # its index): frozen, the collector's next passes skip it instead of walking
                # its millions of objects (a quarter of a second after a 100k first run).
                gc.freeze()
            gc.enable()
