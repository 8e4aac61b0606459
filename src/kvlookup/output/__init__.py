"""The View a command produced, and how it is written: table, JSON, CSV, vCard, export files."""
