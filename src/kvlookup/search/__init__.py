"""Finding entries and people: the search index, its word rules and the ranking of matches."""
