"""`quiz serve` as it runs for real: worker processes that keep players apart and never stall."""

from __future__ import annotations

import argparse
import socket
import time

import pytest

from bench.load import Browser, Recorder, form_inputs, start_form, start_server

from .conftest import TEST_DATABASE_URL


@pytest.fixture
def one_worker(tmp_path):
    """`quiz serve --workers 1` on a fresh database: every request goes through the same process."""
    args = argparse.Namespace(round_size=3, questions_dir=None, workers=1, database=TEST_DATABASE_URL or None)
    servers = []
    try:
        yield start_server(args, tmp_path, servers.append)
    finally:
        for server in servers:
            server.stop()


def start_round(server) -> tuple[int | None, str | None]:
    browser = Browser("127.0.0.1", server.port, 10, Recorder(), time.monotonic() + 60)
    try:
        _, _, page = browser.request("home", "GET", "/")
        form = start_form(form_inputs(page), "north-korea-photos")
        status, location, _ = browser.request("start", "POST", "/play", form)
        return status, location
    finally:
        browser.close()


def test_players_served_by_one_worker_each_get_their_own_session(one_worker):
    starts = [start_round(one_worker) for _ in range(4)]
    assert all(status == 302 for status, _ in starts), starts
    assert len({location for _, location in starts}) == 4


def test_a_connection_that_sends_nothing_does_not_hold_up_other_players(one_worker):
    # Browsers open spare connections and may leave them idle for seconds.
    with socket.create_connection(("127.0.0.1", one_worker.port)):
        time.sleep(0.1)
        browser = Browser("127.0.0.1", one_worker.port, 10, Recorder(), time.monotonic() + 60)
        started = time.monotonic()
        status, _, body = browser.request("healthz", "GET", "/healthz")
        waited = time.monotonic() - started
        browser.close()
    assert (status, body) == (200, "ok")
    assert waited < 1.0, f"an idle connection held the only worker for {waited:.1f} s"


def test_the_server_runs_outside_the_commands_app_context(app, monkeypatch):
    """`quiz serve` runs inside its command's app context; a worker handling requests in that
    context would give every request one shared `g` and database session, the players' mixed."""
    from flask import has_app_context
    from gunicorn.app.base import BaseApplication
    from gunicorn.workers import gthread

    from quiz import server

    monkeypatch.setattr(gthread, "DEFAULT_WORKER_DATA_TIMEOUT", gthread.DEFAULT_WORKER_DATA_TIMEOUT)
    started_in_context = []
    monkeypatch.setattr(BaseApplication, "run", lambda self: started_in_context.append(has_app_context()))
    with app.app_context():
        server.run(app, "127.0.0.1", 8000, 1)
    assert started_in_context == [False]
