"""kvlookup: who handles this? Contact and responsibility lookup."""

__version__ = "0.1.0"

# True in the console script (collector.for_one_command): the process does one command and
# ends, so what a load makes lives until exit, and collector.paused freezes it out of the
# collector's later passes. False in a host that lives on (the tests, a program importing
# kvlookup), where frozen objects that became garbage would never be collected.
one_command = False
