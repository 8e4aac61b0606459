"""Output: the View a command produced, and how it is written (table, JSON, CSV, vCard, exports)."""
