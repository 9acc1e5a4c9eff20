"""`quiz serve` as it runs for real: worker processes that keep players apart and never stall."""

from __future__ import annotations

import argparse
import socket
import time

import pytest

from bench.load import Browser, Recorder, form_inputs, start_server

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
        form = {"csrf_token": form_inputs(page)["csrf_token"], "deck": "north-korea-photos"}
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
