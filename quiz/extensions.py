"""The app's singletons: the database, CSRF protection, migrations and response compression."""

from datetime import datetime

from flask import Flask, Response
from flask_compress import Compress
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase, registry

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


db = SQLAlchemy(model_class=Base)
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
