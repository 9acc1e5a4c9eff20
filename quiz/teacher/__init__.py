"""The teacher area: decks, uploads, classes and results, behind a login."""
