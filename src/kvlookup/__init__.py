"""kvlookup: who handles this? Contact and responsibility lookup."""

__version__ = "0.1.0"

# True while the console script runs (cli.run): the process does one command and ends, so
# what a load makes lives until exit, and registry.no_gc freezes it out of the collector's
# later passes. False in a host that lives on (the tests, a program importing kvlookup),
# where frozen objects that became garbage would never be collected.
one_command = False
