"""Run kvlookup as python -m kvlookup."""

from kvlookup.cli import run

run()
