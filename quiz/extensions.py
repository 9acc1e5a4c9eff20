"""The app's singletons: the database, the deck library, CSRF protection, migrations and
response compression."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, Response, abort, current_app
from flask_compress import Compress
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase, registry

from .decks import Deck
from .decks.library import DeckFile, DeckLibrary

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    # Every timestamp is UTC and says so (PostgreSQL keeps the zone; SQLite stores the text).
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: DateTime(timezone=True)},
    )


class Decks:
    """The running app's deck library: the folder's decks, loaded at start-up and reloaded when
    their files change (the library itself knows nothing of Flask)."""

    key = "quiz.decks"

    def init_app(self, app: Flask) -> None:
        app.extensions[self.key] = DeckLibrary(
            app.config["QUESTIONS_DIR"], check_every=float(app.config["DECKS_CHECK_SECONDS"])
        )

    @property
    def library(self) -> DeckLibrary:
        return current_app.extensions[self.key]

    @property
    def all(self) -> list[Deck]:
        """The loaded decks, by title."""
        return self.library.decks

    @property
    def files(self) -> list[DeckFile]:
        return self.library.files

    def get(self, deck_id: str) -> Deck | None:
        return self.library.get(deck_id)

    def get_or_404(self, deck_id: str) -> Deck:
        """The deck with this id, or a 404 page."""
        deck = self.get(deck_id)
        if deck is None:
            abort(404, description=f"There is no deck called '{deck_id}'.")
        return deck


db = SQLAlchemy(model_class=Base)
decks = Decks()
csrf = CSRFProtect()
migrate = Migrate()
# Pages, CSS and JavaScript go out compressed (br/gzip): every page type stays under 60 KB.
compress = Compress()


def init_compression(app: Flask) -> None:
    compress.init_app(app)
    app.after_request(_close_file_when_sent)  # runs before Compress's: after_request goes in reverse


def _close_file_when_sent(response: Response) -> Response:
    """Compress streams a static file through a generator that never closes the file: close it
    with the response."""
    if response.is_streamed and hasattr(response.response, "close"):
        response.call_on_close(response.response.close)
    return response
