"""When the database cannot be written (disk full, read-only) players get a clear page, never a 500."""

import sqlite3

import pytest
from sqlalchemy import event

from quiz import create_app
from quiz.extensions import db

from .conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="simulates SQLite storage failures")


def same_player_on(app, player):
    """A client of `app` carrying the player's session cookie (as after a server restart)."""
    client = app.test_client()
    client.set_cookie("session", player.client.get_cookie("session").value)
    return client


def test_read_only_database_gives_a_clear_503_and_a_log_line(app_config, app, player, caplog):
    player.start()
    qid = player.current_question_id()
    path = app_config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    # The same file reopened read-only, as when its disk is remounted read-only.
    read_only = create_app(
        {**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///file:{path}?mode=ro&uri=true"}
    )
    response = same_player_on(read_only, player).post(
        f"/play/{player.token}/answer", data={"question_id": qid, "choice": "dubious"}
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "storage is full or read-only" in response.text
    assert "Traceback" not in response.text
    assert "database cannot be written" in caplog.text


def test_full_disk_gives_a_clear_503_and_keeps_earlier_answers(app_config, app, player, caplog):
    player.start()
    first = player.current_question_id()
    player.answer(first, "dubious")
    full = create_app(app_config)
    with full.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def disk_full(conn, cursor, statement, parameters, context, executemany):
            # What SQLite raises (SQLITE_FULL) when a write finds no space left on the disk.
            if statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
                raise sqlite3.OperationalError("database or disk is full")

    client = same_player_on(full, player)
    second = player.current_question_id()
    response = client.post(
        f"/play/{player.token}/answer", data={"question_id": second, "choice": "plausible"}
    )
    assert response.status_code == 503
    assert "storage is full or read-only" in response.text
    assert "database cannot be written" in caplog.text
    # Nothing half-written: the earlier answer is there, the refused one is not.
    assert player.client.get(f"/play/{player.token}/reveal/{first}").status_code == 200
    assert player.current_question_id() == second
