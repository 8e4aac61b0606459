"""Start kvlookup as a program: the kvlookup console script and python -m kvlookup."""

from kvlookup import collector


def main() -> None:
    """Import the command line with the collector paused, then run one command and exit."""
    # Importing Typer, Click and kvlookup's command line makes tens of thousands of objects
    # that live until the process ends, and the collector would walk them about 30 times on
    # the way (4-5 ms of a 70 ms start, bench/README.md). Only this entry point does it: a
    # host that imports kvlookup (the tests, another program) keeps its collector as it was.
    collector.for_one_command()
    with collector.paused():
        from kvlookup.cli import run
    run()


if __name__ == "__main__":
    main()
