"""Database set-up: SQLite pragmas on every connection, one writer at a time, creating the tables."""

from __future__ import annotations

import functools
import os
import re
import threading

from flask import Flask, has_request_context, request
from sqlalchemy import Insert, Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .extensions import db

try:
    import fcntl
except ImportError:  # Windows: the thread lock alone (one server process)
    fcntl = None  # type: ignore[assignment]

#: Milliseconds a writer waits for another to finish before SQLite gives up.
BUSY_TIMEOUT_MS = 10_000
#: Marks a request that holds the writer lock.
HOLDS_WRITER = "quiz.writer"
#: Statements that write: the first of a request takes the writer's turn.
_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class WriterLock:
    """SQLite has one writer at a time. Writers queue here, the threads of a process on a thread
    lock and the server's worker processes on an flock of a file beside the database, and each is
    woken the moment the writer before it commits, instead of sleeping and retrying in SQLite's
    busy handler (which waits up to 100 ms a try, and makes the slow tail under bursts of answers).

    A turn ends at COMMIT or with its request, and a writer's statements give up after the busy
    timeout (a 503 page), so no turn is held for longer than that.
    """

    def __init__(self, path: str | None) -> None:
        self.path = path
        self._threads = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def acquire(self) -> None:
        self._threads.acquire()
        fd = self._file()
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def _file(self) -> int | None:
        if self._pid != os.getpid():
            # Opened once per process: a descriptor inherited through fork would share its lock.
            self._pid, self._fd = os.getpid(), None
            if self.path and fcntl is not None:
                try:
                    self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                except OSError:
                    pass  # a read-only folder: SQLite itself will refuse the write, with a clear page
        return self._fd


def init_app(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            _configure_sqlite(db.engine)
        app.teardown_request(_end_writes)


def _configure_sqlite(engine: Engine) -> None:
    database = engine.url.database
    writer = WriterLock(f"{database}.lock" if database and database != ":memory:" else None)

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
        # Every transaction starts deferred: reading never waits for a writer (WAL mode).
        connection.connection.dbapi_connection.execute("BEGIN")

    @event.listens_for(engine, "before_cursor_execute")
    def before_write(connection, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        # The writer's turn is taken at a request's first write (or locked read), not at its first
        # read: hashing a password or parsing an upload holds nobody up. The reads before it end
        # with their snapshot (they only read), and the writes run in a BEGIN IMMEDIATE
        # transaction, so they never fail with "database is locked" when a read turns into a write.
        if not has_request_context() or HOLDS_WRITER in request.environ:
            return
        if not (_WRITES.match(statement) or context.execution_options.get("writes")):
            return
        writer.acquire()
        request.environ[HOLDS_WRITER] = writer
        dbapi = cursor.connection
        if dbapi.in_transaction:
            dbapi.execute("COMMIT")
        dbapi.execute("BEGIN IMMEDIATE")


@event.listens_for(Session, "after_commit")
def _after_commit(_session: Session) -> None:
    """The next writer goes as soon as this one's COMMIT is done, not when its page is."""
    if has_request_context():
        _pass_turn()


def _end_writes(_error: BaseException | None) -> None:
    """A request that took the writer's turn and never committed: roll back, then pass the turn on."""
    _pass_turn(roll_back=True)


def _pass_turn(*, roll_back: bool = False) -> None:
    writer = request.environ.pop(HOLDS_WRITER, None)
    if writer is not None:
        if roll_back:
            db.session.remove()
        writer.release()


def insert_for(dialect: str):  # type: ignore[no-untyped-def]
    """The INSERT of the database in use, with its ON CONFLICT clauses (SQLite, PostgreSQL)."""
    return {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]


@functools.cache
def counting_insert(dialect: str, table: Table, key: tuple[str, ...]) -> Insert:
    """INSERT ... ON CONFLICT (key) DO UPDATE SET count = count + the new row's count: one
    statement that adds to a counter row, or makes it, safely under concurrency."""
    statement = insert_for(dialect)(table)
    return statement.on_conflict_do_update(
        index_elements=list(key), set_={"count": table.c.count + statement.excluded.count}
    )


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
