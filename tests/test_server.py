"""`quiz serve` as it runs for real: worker processes that keep players apart and never stall."""

from __future__ import annotations

import http.client
import os
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from quiz.testing import Browser, Dribbler, answer_form, form_inputs, start_form, start_server, tcp_sockets

from .conftest import TEST_DATABASE_URL


def serve(tmp_path, workers: int):
    """`quiz serve --workers N` on a fresh database, stopped at the end."""
    servers = []
    try:
        yield start_server(
            tmp_path, servers.append, round_size=3, workers=workers, database=TEST_DATABASE_URL or None
        )
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def one_worker(tmp_path):
    """Every request goes through the same process."""
    yield from serve(tmp_path, 1)


@pytest.fixture
def two_workers(tmp_path):
    yield from serve(tmp_path, 2)


def start_round(server) -> tuple[int | None, str | None]:
    browser = Browser("127.0.0.1", server.port, deadline=time.monotonic() + 60)
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
        browser = Browser("127.0.0.1", one_worker.port, deadline=time.monotonic() + 60)
        started = time.monotonic()
        status, _, body = browser.request("healthz", "GET", "/healthz")
        waited = time.monotonic() - started
        browser.close()
    assert (status, body) == (200, "ok")
    assert waited < 1.0, f"an idle connection held the only worker for {waited:.1f} s"


def test_a_round_is_played_to_the_end_while_eight_slow_clients_dribble(one_worker):
    """Slow clients (a byte every half second, in the headers of a GET or the body of a POST)
    hold up nobody, and those sending a body are refused and logged once it is overdue."""
    stop = threading.Event()
    slow = [Dribbler(one_worker.port, n % 2 == 1, 0.5, stop) for n in range(8)]
    for dribbler in slow:
        dribbler.start()
    try:
        time.sleep(1.5)  # every slow connection is in, and in the middle of its request
        player = Browser("127.0.0.1", one_worker.port, timeout=5, deadline=time.monotonic() + 60)
        status, question, page = player.request(
            "start", "POST", "/play", start_form(form_inputs(player.request("home", "GET", "/")[2]))
        )
        answered = 0
        while question and "/play/" in question and not question.endswith("/summary"):
            status, _, page = player.request("question", "GET", question)
            fields = form_inputs(page)
            if "question_id" not in fields:
                break
            _, reveal, _ = player.request(
                "answer", "POST", f"{question}/answer", answer_form(fields, "dubious")
            )
            assert reveal and "/reveal/" in reveal
            answered += 1
        player.close()
        assert answered == 3  # the whole round (3 questions here)
        assert all(d.is_alive() for d in slow), "the slow clients were still sending"
        deadline = time.monotonic() + 20
        while any(d.payload and d.is_alive() for d in slow) and time.monotonic() < deadline:
            time.sleep(0.2)
        refused = [d.answer.split(b"\r\n", 1)[0] for d in slow if d.payload]
        assert refused == [b"HTTP/1.1 408 Request Timeout"] * 4, "slow bodies are refused once overdue"
        assert all(d.is_alive() for d in slow if not d.payload), "slow headers are not cut short"
        assert one_worker.log_tail(200).count("slow client 127.0.0.1: its POST /play did not arrive") == 4
    finally:
        stop.set()


def test_the_log_gives_the_address_and_no_empty_one(one_worker):
    log = one_worker.log_tail()
    assert f"serving on http://127.0.0.1:{one_worker.port}/ with 1 worker\n" in log
    assert "Listening at:  (" not in log and "Booting worker" in log


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


def connections_per_worker(server) -> list[int]:
    """How many of the server's established connections each of its worker processes holds."""
    established = {f"socket:[{inode}]" for inode in tcp_sockets(server.port, "01")}
    master = server.process.pid
    workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(
        sum(os.readlink(f"/proc/{pid}/fd/{fd}") in established for fd in os.listdir(f"/proc/{pid}/fd"))
        for pid in workers
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel spreads connections on Linux")
def test_players_connections_are_spread_over_the_workers(two_workers):
    # A class opens the game at once, and a browser keeps its connection for the whole game:
    # the worker that accepts it serves it.
    players = [http.client.HTTPConnection("127.0.0.1", two_workers.port, timeout=10) for _ in range(60)]

    def first_page(player: http.client.HTTPConnection) -> bytes:
        player.request("GET", "/healthz")
        return player.getresponse().read()

    try:
        with ThreadPoolExecutor(len(players)) as pool:
            assert list(pool.map(first_page, players)) == [b"ok"] * len(players)
        per_worker = connections_per_worker(two_workers)
    finally:
        for player in players:
            player.close()
    assert sum(per_worker) == 60 and len(per_worker) == 2
    assert per_worker[0] >= 15, f"one worker serves {per_worker[1]} of 60 players, the other {per_worker[0]}"


def test_a_second_server_on_the_same_port_is_refused_with_a_clear_message(app):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = app.test_cli_runner().invoke(args=["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.output
    assert "already running" in result.output
