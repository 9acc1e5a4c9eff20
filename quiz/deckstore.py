"""The running app's deck library: loaded at start-up, refreshed when files change."""

from __future__ import annotations

from flask import Flask, abort, current_app

from .decks import Deck
from .decks.library import DeckLibrary

KEY = "quiz.decks"


def init_app(app: Flask) -> None:
    app.extensions[KEY] = DeckLibrary(
        app.config["QUESTIONS_DIR"], check_every=float(app.config["DECKS_CHECK_SECONDS"])
    )


def library() -> DeckLibrary:
    """The current app's deck library."""
    return current_app.extensions[KEY]


def deck_or_404(deck_id: str) -> Deck:
    """The deck with this id, or a 404 page."""
    deck = library().get(deck_id)
    if deck is None:
        abort(404, description=f"There is no deck called '{deck_id}'.")
    return deck
