"""Database set-up: SQLite pragmas on every connection, and creating the tables."""

from __future__ import annotations

import threading

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

#: Milliseconds a writer waits for another to finish before SQLite gives up.
BUSY_TIMEOUT_MS = 10_000


#: SQLite has one writer at a time. Writers of this process queue here, and are woken as soon as
#: the writer before them is done, instead of sleeping and retrying in SQLite's busy handler
#: (which waits up to 100 ms a try, and makes the slow tail under bursts of answers).
_writer = threading.Lock()


def init_app(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            _configure_sqlite(db.engine)
        app.before_request(_begin_writes_immediately)
        app.teardown_request(_end_writes)


def _begin_writes_immediately() -> None:
    """A POST will write: take this process's writer turn, then open the transaction with
    SQLite's write lock (see on_begin), which other processes wait for on the busy timeout."""
    if request.method == "POST":
        _writer.acquire()
        request.environ["quiz.writer"] = True
        db.session.connection(execution_options={"sqlite_immediate": True})


def _end_writes(_error: BaseException | None) -> None:
    if request.environ.pop("quiz.writer", False):
        db.session.remove()  # end the transaction before the next writer starts its own
        _writer.release()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy emit BEGIN itself (below), so writers can take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):  # type: ignore[no-untyped-def]
        # A writer takes the lock at BEGIN IMMEDIATE, so concurrent writers queue on the busy
        # timeout instead of one failing with "database is locked" when it upgrades a read lock.
        # Readers keep the deferred BEGIN: in WAL mode they never wait for writers.
        immediate = connection.get_execution_options().get("sqlite_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def upgrade_database() -> None:
    """Bring the database to the latest schema by running the migrations (a new one is created).

    A database whose tables were made straight from the models (`db.create_all()`, as the tests
    do) has no migration history: it is stamped at the latest revision instead of rebuilt.
    """
    from flask_migrate import stamp, upgrade

    tables = set(db.inspect(db.engine).get_table_names())
    if "play_session" in tables and "alembic_version" not in tables:
        stamp()
    else:
        upgrade()
