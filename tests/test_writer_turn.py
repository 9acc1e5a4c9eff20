"""SQLite's single writer: a request takes its turn at its first write, so slow work done before
it (a password hash, an upload's parsing) holds no one else's answer back."""

from __future__ import annotations

import threading
import time

import pytest

from quiz.services import accounts
from quiz.testing import Browser, answer_form, form_inputs, start_form

from .browser import live_server
from .conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="the writer's turn is SQLite's")

HASH_SECONDS = 1.0


def test_an_answer_is_not_held_up_while_a_login_is_being_checked(app, teacher, monkeypatch):
    hashing = threading.Event()
    real_check = accounts.check_password_hash

    def slow_check(stored: str, password: str) -> bool:
        hashing.set()
        time.sleep(HASH_SECONDS)
        return real_check(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", slow_check)
    with live_server(app) as url:
        port = int(url.rsplit(":", 1)[1])
        student = Browser("127.0.0.1", port)
        _, location, _ = student.request(
            "start", "POST", "/play", start_form({"csrf_token": ""}, "test-deck")
        )
        _, _, page = student.request("question", "GET", location)

        # A wrong password: the login writes its failure after the hash, the worst case.
        login_done = threading.Event()

        def log_in() -> None:
            intruder = Browser("127.0.0.1", port, timeout=30)
            intruder.request("login", "POST", "/teacher/login", {"username": "ms-lee", "password": "nope"})
            intruder.close()
            login_done.set()

        threading.Thread(target=log_in, daemon=True).start()
        assert hashing.wait(timeout=10)
        started = time.perf_counter()
        status, reveal, _ = student.request(
            "answer", "POST", f"{location}/answer", answer_form(form_inputs(page), "dubious")
        )
        waited = time.perf_counter() - started
        assert status == 302 and "/reveal/" in reveal
        assert not login_done.is_set(), "the login should still be hashing"
        assert waited < HASH_SECONDS / 2, f"the answer waited {waited:.2f} s for the login"
        assert login_done.wait(timeout=10)
        student.close()
