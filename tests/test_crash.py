"""SIGKILL the production server mid-burst: nothing acknowledged is lost, every round resumes."""

from __future__ import annotations

import re
import threading
import time

import pytest

from quiz.testing import Browser, answer_form, check_database, form_inputs, start_form, start_server

from .conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="the crash test runs its own SQLite server")

PLAYERS = 16
KILL_AFTER_ACKNOWLEDGED = 60


class CrashPlayer:
    """Plays a round over HTTP until the server goes away, remembering what was acknowledged."""

    def __init__(self, port: int) -> None:
        self.browser = Browser("127.0.0.1", port, deadline=time.monotonic() + 120)
        self.token = ""
        self.acknowledged: list[tuple[str, str]] = []

    def start(self) -> None:
        _, _, page = self.browser.request("home", "GET", "/")
        form = start_form(form_inputs(page), "north-korea-photos")
        _, location, _ = self.browser.request("start", "POST", "/play", form)
        self.token = location.rsplit("/", 1)[1]

    def play_until_the_server_dies(self) -> None:
        while True:
            status, _, page = self.browser.request("question", "GET", f"/play/{self.token}")
            fields = form_inputs(page) if status == 200 else {}
            if "question_id" not in fields:
                return  # the server is gone (or the round is over)
            answer = answer_form(fields, "dubious")
            status, location, _ = self.browser.request("answer", "POST", f"/play/{self.token}/answer", answer)
            if status != 302 or not (location or "").endswith(f"/reveal/{answer['question_id']}"):
                return
            self.acknowledged.append((self.token, answer["question_id"]))


def test_sigkill_during_a_burst_loses_no_acknowledged_answer_and_rounds_resume(tmp_path):
    servers = []
    server = start_server(tmp_path, servers.append)
    players = [CrashPlayer(server.port) for _ in range(PLAYERS)]
    try:
        for player in players:
            player.start()
        threads = [threading.Thread(target=p.play_until_the_server_dies, daemon=True) for p in players]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while sum(len(p.acknowledged) for p in players) < KILL_AFTER_ACKNOWLEDGED:
            assert time.monotonic() < deadline, "the players did not get going"
            time.sleep(0.005)
        server.kill()  # the master and every worker at once, as a power cut would
        for thread in threads:
            thread.join(timeout=30)

        acknowledged = {pair for p in players for pair in p.acknowledged}
        assert len(acknowledged) >= KILL_AFTER_ACKNOWLEDGED
        assert any(len(p.acknowledged) < 10 for p in players), "the kill came after every round ended"

        # The same database, a new server process.
        server = start_server(tmp_path, servers.append)
        check = check_database(server.database, {p.token for p in players}, acknowledged)
        assert check["lost"] == 0, check["lost_examples"]
        assert check["duplicates"] == 0
        # At most one answer per player was stored but its acknowledgement never arrived.
        assert check["stored_not_acknowledged"] <= PLAYERS

        for player in players:
            player.browser.port = server.port
            player.browser.close()
            status, location, page = player.browser.request("question", "GET", f"/play/{player.token}")
            if status == 302:
                assert location.endswith("/summary")
                continue
            assert status == 200
            shown = int(re.search(r"Question (\d+) of 10", page).group(1))
            assert shown >= len(player.acknowledged) + 1  # resumes after every acknowledged answer
    finally:
        for player in players:
            player.browser.close()
        for started in servers:
            started.stop()
