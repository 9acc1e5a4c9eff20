"""More cheating attempts (beyond test_cheating.py): forged fields, replayed cookies, crossed modes."""

from __future__ import annotations

import re
import time

import pytest
from werkzeug.datastructures import MultiDict

from quiz import create_app
from quiz.extensions import db, decks
from quiz.models import Answer, PlaySession

from .conftest import TEACHER_PASSWORD

FORGED_FIELDS = {
    "verdict": "dubious",
    "correct": "true",
    "score": "99",
    "answer": "dubious",
    "is_correct": "1",
    "elapsed_ms": "1",
    "finished_at": "2000-01-01",
    "session_id": "1",
    "mode": "class",
}


def stored(app) -> list[tuple[str, str, str, bool]]:
    """(round token, question, choice, correct) of every stored answer."""
    with app.app_context():
        rows = db.session.execute(
            db.select(PlaySession.token, Answer.question_id, Answer.choice, Answer.correct)
            .join(Answer, Answer.session_id == PlaySession.id)
            .order_by(Answer.id)
        )
        return [tuple(row) for row in rows]


def verdict(app, qid: str) -> str:
    with app.app_context():
        return decks.get("test-deck").question(qid).answer


def wrong(app, qid: str) -> str:
    return "plausible" if verdict(app, qid) == "dubious" else "dubious"


def round_of(app, token: str) -> PlaySession:
    with app.app_context():
        play = db.session.scalar(db.select(PlaySession).where(PlaySession.token == token))
        db.session.expunge(play)
        return play


def started(response) -> str:
    match = re.search(r"/play/([\w-]+)$", response.headers.get("Location", ""))
    assert match, response.headers.get("Location")
    return match.group(1)


def current_question(client, path: str) -> str | None:
    match = re.search(r'name="question_id" type="hidden" value="([^"]+)"', client.get(path).text)
    return match.group(1) if match else None


def cookie(client) -> str:
    """The browser's session cookie, as a thief or a second browser would copy it."""
    return client.get_cookie("session").value


def with_cookie(app, value: str):
    other = app.test_client()
    other.set_cookie("session", value)
    return other


# ---- extra form fields -----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["/play", "/kiosk/play"])
def test_forged_verdict_and_score_fields_are_ignored(app, client, prefix):
    token = started(client.post(prefix, data={"deck": "test-deck"}))
    qid = current_question(client, f"{prefix}/{token}")
    choice = wrong(app, qid)
    client.post(f"{prefix}/{token}/answer", data={"question_id": qid, "choice": choice, **FORGED_FIELDS})
    assert stored(app) == [(token, qid, choice, False)]
    page = client.get(f"{prefix}/{token}/reveal/{qid}").text
    assert "Not quite" in page and "Right!" not in page


def test_repeated_choice_fields_store_one_answer_scored_by_the_server(app, client):
    token = started(client.post("/play", data={"deck": "test-deck"}))
    qid = current_question(client, f"/play/{token}")
    data = MultiDict([("question_id", qid), ("choice", "plausible"), ("choice", "dubious")])
    client.post(f"/play/{token}/answer", data=data)
    [(_, answered, choice, correct)] = stored(app)
    assert answered == qid and correct == (choice == verdict(app, qid))


def test_repeated_question_ids_answer_only_one_question(app, client):
    token = started(client.post("/play", data={"deck": "test-deck"}))
    drawn = round_of(app, token).question_ids
    data = MultiDict([("question_id", drawn[0]), ("question_id", drawn[1]), ("choice", "dubious")])
    client.post(f"/play/{token}/answer", data=data)
    assert [qid for _, qid, _, _ in stored(app)] == [drawn[0]]


def test_start_with_forged_mode_and_class_fields_is_a_plain_web_round(app, client):
    forged = {
        "deck": "test-deck",
        "mode": "kiosk",
        "classroom_id": "1",
        "question_order": '["q1"]',
        "size": "1",
    }
    token = started(client.post("/play", data=forged))
    play = round_of(app, token)
    assert (play.mode, play.classroom_id, len(play.question_ids)) == ("web", None, 10)


@pytest.mark.parametrize("shown", ["0", "1", str(10**15), "-5"])
def test_forged_shown_time_stores_no_answer_time(app, client, shown):
    token = started(client.post("/play", data={"deck": "test-deck"}))
    qid = current_question(client, f"/play/{token}")
    client.post(f"/play/{token}/answer", data={"question_id": qid, "choice": "dubious", "shown": shown})
    with app.app_context():
        assert db.session.scalar(db.select(Answer.elapsed_ms)) is None


def test_honest_shown_time_is_stored_as_a_small_answer_time(app, client):
    token = started(client.post("/play", data={"deck": "test-deck"}))
    qid = current_question(client, f"/play/{token}")
    shown = str(int(time.time() * 1000))
    client.post(f"/play/{token}/answer", data={"question_id": qid, "choice": "dubious", "shown": shown})
    with app.app_context():
        assert 0 <= db.session.scalar(db.select(Answer.elapsed_ms)) < 60_000


# ---- after the round ---------------------------------------------------------------------------------


def play_through(app, client, prefix: str, token: str) -> None:
    while (qid := current_question(client, f"{prefix}/{token}")) is not None:
        client.post(f"{prefix}/{token}/answer", data={"question_id": qid, "choice": wrong(app, qid)})


def test_kiosk_answer_after_the_round_finished_changes_nothing(app, client):
    token = started(client.post("/kiosk/play", data={}))
    play_through(app, client, "/kiosk/play", token)
    before = stored(app)
    first = round_of(app, token).question_ids[0]
    response = client.post(
        f"/kiosk/play/{token}/answer", data={"question_id": first, "choice": verdict(app, first)}
    )
    assert response.headers["Location"].endswith(f"/kiosk/play/{token}/summary")
    assert stored(app) == before
    assert "0 of 5 right" in re.sub(r"<[^>]+>", "", client.get(f"/kiosk/play/{token}/summary").text)


def test_kiosk_round_closed_by_the_reset_takes_no_answer_from_a_replayed_cookie(app, client):
    token = started(client.post("/kiosk/play", data={}))
    qid = current_question(client, f"/kiosk/play/{token}")
    saved = cookie(client)  # the cookie as it was before the reset
    client.post("/kiosk/reset", data={})
    replayed = with_cookie(app, saved)
    response = replayed.post(f"/kiosk/play/{token}/answer", data={"question_id": qid, "choice": "dubious"})
    assert response.headers["Location"].endswith("/summary")
    assert stored(app) == []


def test_web_round_finished_elsewhere_takes_no_answer_from_an_old_cookie(app, client):
    token = started(client.post("/play", data={"deck": "test-deck"}))
    first = current_question(client, f"/play/{token}")
    saved = cookie(client)
    play_through(app, client, "/play", token)
    before = stored(app)
    with_cookie(app, saved).post(
        f"/play/{token}/answer", data={"question_id": first, "choice": verdict(app, first)}
    )
    assert stored(app) == before


# ---- replayed and forged session cookies ----------------------------------------------------------------


def test_copied_cookie_cannot_answer_a_question_a_second_time(app, client):
    token = started(client.post("/play", data={"deck": "test-deck"}))
    qid = current_question(client, f"/play/{token}")
    copy = with_cookie(app, cookie(client))
    client.post(f"/play/{token}/answer", data={"question_id": qid, "choice": wrong(app, qid)})
    response = copy.post(f"/play/{token}/answer", data={"question_id": qid, "choice": verdict(app, qid)})
    assert response.headers["Location"].endswith(f"/reveal/{qid}")
    assert stored(app) == [(token, qid, wrong(app, qid), False)]
    assert "your first answer counts" in copy.get(response.headers["Location"]).text


def test_cookie_signed_with_another_key_cannot_open_someone_elses_round(app, app_config, client):
    token = started(client.post("/play", data={"deck": "test-deck"}))
    qid = current_question(client, f"/play/{token}")
    forger_app = create_app({**app_config, "SECRET_KEY": "the-forgers-own-secret-key"})
    forger = forger_app.test_client()
    with forger.session_transaction() as forged:
        forged["plays"] = [token]
    with forger_app.app_context():
        db.engine.dispose()
    thief = with_cookie(app, cookie(forger))
    assert thief.get(f"/play/{token}").status_code == 404
    assert (
        thief.post(f"/play/{token}/answer", data={"question_id": qid, "choice": "dubious"}).status_code == 404
    )
    assert stored(app) == []


def test_tampered_cookie_is_ignored(app, client):
    token = started(client.post("/play", data={"deck": "test-deck"}))
    value = cookie(client)
    tampered = value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB")
    thief = with_cookie(app, tampered)
    assert thief.get(f"/play/{token}").status_code == 404
    assert "Your round is waiting" not in thief.get("/").text


def test_teacher_cookie_copied_before_logout_no_longer_opens_the_teacher_area(app, client, teacher):
    client.post("/teacher/login", data={"username": "ms-lee", "password": TEACHER_PASSWORD})
    saved = cookie(client)
    client.post("/teacher/logout", data={})
    assert client.get("/teacher/").status_code == 302
    response = with_cookie(app, saved).get("/teacher/")
    assert response.status_code == 302 and "/teacher/login" in response.headers["Location"]


# ---- kiosk rounds on the web routes and web rounds on the kiosk's ----------------------------------------


@pytest.fixture
def both(client):
    """One browser with a web round and a kiosk round, and the first question of each."""
    web = started(client.post("/play", data={"deck": "test-deck"}))
    kiosk = started(client.post("/kiosk/play", data={}))
    return {
        "web": (web, current_question(client, f"/play/{web}")),
        "kiosk": (kiosk, current_question(client, f"/kiosk/play/{kiosk}")),
    }


@pytest.mark.parametrize(("mode", "prefix"), [("kiosk", "/play"), ("web", "/kiosk/play")])
def test_answer_through_the_other_modes_route_is_a_404_and_stores_nothing(app, client, both, mode, prefix):
    token, qid = both[mode]
    response = client.post(f"{prefix}/{token}/answer", data={"question_id": qid, "choice": "dubious"})
    assert response.status_code == 404
    assert stored(app) == []


@pytest.mark.parametrize(("mode", "prefix"), [("kiosk", "/play"), ("web", "/kiosk/play")])
def test_reveal_and_summary_through_the_other_modes_route_are_404(client, both, mode, prefix):
    token, qid = both[mode]
    # Answered through its own route first, so the pages exist there.
    own = "/kiosk/play" if mode == "kiosk" else "/play"
    client.post(f"{own}/{token}/answer", data={"question_id": qid, "choice": "dubious"})
    assert client.get(f"{own}/{token}/reveal/{qid}").status_code == 200
    assert client.get(f"{prefix}/{token}/reveal/{qid}").status_code == 404
    assert client.get(f"{prefix}/{token}/summary").status_code == 404


@pytest.mark.parametrize(("mode", "path"), [("kiosk", "/play/again"), ("web", "/kiosk/again")])
def test_play_again_with_the_other_modes_token_starts_nothing(app, client, both, mode, path):
    token, _ = both[mode]
    response = client.post(path, data={"token": token})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(PlaySession.id))) == 2
        assert db.session.scalar(db.select(db.func.count(PlaySession.abandoned_at))) == 0


def test_kiosk_question_outside_the_round_is_refused(app, client):
    token = started(client.post("/kiosk/play", data={}))
    drawn = round_of(app, token).question_ids
    outside = next(f"q{n}" for n in range(1, 13) if f"q{n}" not in drawn)
    client.post(f"/kiosk/play/{token}/answer", data={"question_id": outside, "choice": "dubious"})
    assert stored(app) == []


def test_home_never_offers_to_resume_a_kiosk_round(client):
    started(client.post("/kiosk/play", data={}))
    assert "Your round is waiting" not in client.get("/").text
