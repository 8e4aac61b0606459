"""Entries due for review: an age such as 6m as a cut-off day, and the due entries, oldest first."""

from __future__ import annotations

import re
from datetime import date, timedelta

from kvlookup.models import Entry, Registry

_AGE = re.compile(r"([0-9]+)\s*([dwmy])")


def cutoff(age: str, today: date) -> date | None:
    """The day `age` (90d, 2w, 6m, 1y) before today; None when age is malformed."""
    match = _AGE.fullmatch(age.strip().lower())
    if match is None:
        return None
    n, unit = int(match.group(1)), match.group(2)
    if unit == "d":
        return today - timedelta(days=n)
    if unit == "w":
        return today - timedelta(weeks=n)
    months = n * (12 if unit == "y" else 1)
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    if year < 1:
        return date.min
    month += 1
    # 31 August minus 6 months is the last day of February, not an error.
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, min(day, today.day))
        except ValueError:
            continue
    return date(year, month, 28)  # pragma: no cover - every month has a 28th


def due(registry: Registry, before: date) -> list[Entry]:
    """Registry entries last reviewed before `before`, or never, oldest first.

    Entries that come from a directory group are left out: the directory's owners keep them.
    """
    found = [
        e
        for e in registry.entries.values()
        if not e.directory and (e.reviewed is None or e.reviewed < before)
    ]
    return sorted(found, key=lambda e: (e.reviewed or date.min, e.name.casefold()))
