"""Replays, double posts, foreign questions and forged rounds never change a score."""

from quiz.extensions import db, decks
from quiz.models import Answer, PlaySession


def stored(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(a.question_id, a.choice) for a in db.session.scalars(db.select(Answer).order_by(Answer.id))]


def test_replayed_answer_keeps_the_first_choice(client, player, app):
    player.start()
    qid = player.current_question_id()
    player.answer(qid, "dubious")
    response = player.answer(qid, "plausible")
    assert response.headers["Location"].endswith(f"/reveal/{qid}")
    assert stored(app) == [(qid, "dubious")]
    page = client.get(response.headers["Location"])
    assert "your first answer counts" in page.text


def test_double_post_of_the_same_answer_stores_one_row(player, app):
    player.start()
    qid = player.current_question_id()
    player.answer(qid, "dubious")
    player.answer(qid, "dubious")
    assert stored(app) == [(qid, "dubious")]


def test_answer_for_a_question_not_in_the_round_is_refused(client, player, app):
    player.start()
    with app.app_context():
        drawn = db.session.scalar(db.select(PlaySession)).question_ids
    outside = next(f"q{n}" for n in range(1, 13) if f"q{n}" not in drawn)
    response = player.answer(outside, "dubious")
    assert response.headers["Location"].endswith(f"/play/{player.token}")
    assert "not part of your round" in client.get(response.headers["Location"]).text
    assert stored(app) == []


def test_answer_for_an_unknown_question_is_refused(player, app):
    player.start()
    player.answer("no-such-question", "dubious")
    assert stored(app) == []


def test_answer_with_a_made_up_choice_is_refused(player, app):
    player.start()
    player.answer(player.current_question_id(), "maybe")
    assert stored(app) == []


def test_forged_round_token_is_a_404_and_stores_nothing(client, player, app):
    player.start()
    qid = player.current_question_id()
    response = client.post("/play/forged-token-000/answer", data={"question_id": qid, "choice": "dubious"})
    assert response.status_code == 404
    assert stored(app) == []


def test_someone_elses_round_token_is_a_404_from_another_browser(app, player):
    player.start()
    qid = player.current_question_id()
    stranger = app.test_client()
    response = stranger.post(f"/play/{player.token}/answer", data={"question_id": qid, "choice": "dubious"})
    assert response.status_code == 404
    assert stranger.get(f"/play/{player.token}").status_code == 404
    assert stored(app) == []


def test_answer_after_the_round_finished_changes_nothing(player, app):
    player.start()
    played = player.play_round(lambda qid: "dubious")
    before = stored(app)
    response = player.answer(played[0][0], "plausible")
    assert response.headers["Location"].endswith("/summary")
    assert stored(app) == before


def test_client_sent_score_fields_are_ignored(client, player, app):
    player.start()
    qid = player.current_question_id()
    client.post(
        f"/play/{player.token}/answer",
        data={"question_id": qid, "choice": "dubious", "correct": "1", "score": "10"},
    )
    with app.app_context():
        answer = db.session.scalar(db.select(Answer))
        assert answer.correct == (decks.get("test-deck").question(qid).answer == "dubious")


def test_back_button_page_after_answering_shows_the_next_question(player):
    player.start()
    first = player.current_question_id()
    player.answer(first, "dubious")
    # The browser's back button reloads the question page: it has moved on.
    assert player.current_question_id() != first
