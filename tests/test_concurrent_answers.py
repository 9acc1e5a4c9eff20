"""One player's answers arriving at the same moment, from two tabs: the round still adds up."""

from __future__ import annotations

import threading

from quiz.extensions import db
from quiz.models import PlaySession
from quiz.services import rounds


def test_the_last_two_answers_sent_together_still_close_the_round(app, client, monkeypatch):
    app.config["ROUND_SIZE"] = 2
    response = client.post("/play", data={"deck": "test-deck"})
    token = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        order = db.session.scalar(db.select(PlaySession).where(PlaySession.token == token)).question_ids
    other_tab = app.test_client()
    other_tab.set_cookie("session", client.get_cookie("session").value)

    # Each answer, once stored and counted, waits (up to a second) for the other before it
    # commits: unless the second waits for the first, neither would see the other's answer.
    both_counted = threading.Barrier(2)
    record = rounds.answer

    def record_then_wait(*args, **kwargs):  # type: ignore[no-untyped-def]
        outcome = record(*args, **kwargs)
        try:
            both_counted.wait(timeout=1)
        except threading.BrokenBarrierError:
            pass
        return outcome

    monkeypatch.setattr(rounds, "answer", record_then_wait)
    tabs = [
        threading.Thread(
            target=tab.post,
            args=(f"/play/{token}/answer",),
            kwargs={"data": {"question_id": qid, "choice": "dubious"}},
        )
        for tab, qid in zip((client, other_tab), order, strict=True)
    ]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=30)

    with app.app_context():
        play = db.session.scalar(db.select(PlaySession).where(PlaySession.token == token))
        assert len(play.answers) == 2
        assert play.finished_at is not None
    assert client.get(f"/play/{token}").headers["Location"].endswith(f"/play/{token}/summary")
