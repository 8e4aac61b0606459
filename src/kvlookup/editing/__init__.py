"""Changing the registry: edits, imports and $EDITOR sessions, written safely under a lock."""
