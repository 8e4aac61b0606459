"""kvlookup: who handles this? Contact and responsibility lookup."""

__version__ = "0.1.0"
