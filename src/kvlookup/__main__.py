"""Start kvlookup as a program: the kvlookup console script and python -m kvlookup."""

import gc

# Container objects a command may allocate, net, before the collector's youngest generation
# is walked; Python's default is 700 (2,000 from 3.14).
YOUNG_GENERATION = 20_000


def main() -> None:
    """Import the command line with the collector paused, then run one command and exit."""
    # Importing Typer, Click and kvlookup's command line makes tens of thousands of objects
    # that live until the process ends, and the collector would walk them about 30 times on
    # the way (4-5 ms of a 70 ms start, bench/README.md). Paused here, and frozen once
    # imported, its later passes skip them.
    # A lookup then imports its own modules and prints (3,000-12,000 objects, nearly all
    # kept to the end): with the default threshold the collector would walk them 5-15
    # times more (0.5-2 ms). A large command still collects, every 20,000 objects, and its
    # loads pause the collector anyway (sources/registry.no_gc).
    # Only this entry point does it: a host that imports kvlookup (the tests, another
    # program) keeps its own collector as it was.
    gc.disable()
    try:
        from kvlookup.cli import run
    finally:
        gc.freeze()
        gc.set_threshold(YOUNG_GENERATION, *gc.get_threshold()[1:])
        gc.enable()
    run()


if __name__ == "__main__":
    main()
