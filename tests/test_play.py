"""The student's loop through the test client: start, answer, reveal, summary, resume."""

import re

from quiz.extensions import db
from quiz.models import Answer, PlaySession


def verdict_of(app, qid: str) -> str:
    from quiz.extensions import decks

    with app.app_context():
        return decks.get("test-deck").question(qid).answer


def test_home_lists_decks_with_their_question_counts(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "Test deck" in page.text
    assert "12 questions" in page.text
    assert ">Start</button>" in page.text


def test_start_redirects_to_the_first_question_of_a_new_round(client, player, app):
    response = player.start(nickname="Ada")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "Question 1 of 10" in page.text
    for value in ("plausible", "dubious"):
        button = rf'<button type="submit" name="choice" value="{value}"[^>]*>{value.capitalize()}</button>'
        assert re.search(button, page.text)
    with app.app_context():
        play = db.session.scalar(db.select(PlaySession))
        assert play.nickname == "Ada" and play.mode == "web" and len(play.question_ids) == 10


def test_round_is_balanced_between_verdicts(player, app):
    player.start()
    with app.app_context():
        ids = db.session.scalar(db.select(PlaySession)).question_ids
    answers = [verdict_of(app, qid) for qid in ids]
    assert answers.count("plausible") == answers.count("dubious") == 5


def test_answer_shows_the_reveal_with_verdict_explanation_and_sources(client, player, app):
    player.start()
    qid = player.current_question_id()
    verdict = verdict_of(app, qid)
    response = player.answer(qid, verdict)
    assert response.headers["Location"].endswith(f"/reveal/{qid}")
    page = client.get(response.headers["Location"])
    number = qid.removeprefix("q")
    assert "Right!" in page.text
    assert f"Explanation {number}: the sources say it is {verdict}." in page.text
    assert f'href="https://example.org/source/{number}"' in page.text
    assert "example.org" in page.text
    assert ">Next</a>" in page.text


def test_wrong_answer_says_not_quite_and_names_both_answers(client, player, app):
    player.start()
    qid = player.current_question_id()
    wrong = "dubious" if verdict_of(app, qid) == "plausible" else "plausible"
    page = client.get(player.answer(qid, wrong).headers["Location"])
    assert "Not quite" in page.text
    assert f"You said <strong>{wrong.capitalize()}</strong>" in page.text


def test_dubious_reveal_lists_red_flags_with_their_meaning(client, player, app):
    player.start()
    qid = next(q for q in ["q7", "q8", "q9", "q10", "q11", "q12"] if q in db_ids(app))
    page = client.get(player.answer(qid, "dubious").headers["Location"])
    assert "Fabricated" in page.text
    assert "Invented: no reliable source reports anything like it." in page.text


def db_ids(app) -> list[str]:
    with app.app_context():
        return db.session.scalar(db.select(PlaySession)).question_ids


def test_progress_counts_up_after_each_answer(client, player):
    player.start()
    player.answer(player.current_question_id(), "dubious")
    assert "Question 2 of 10" in client.get(f"/play/{player.token}").text


def test_full_round_ends_on_a_summary_with_discernment_and_review(client, player, app):
    player.start()
    played = player.play_round(lambda qid: "dubious")
    assert len(played) == 10
    page = client.get(f"/play/{player.token}", follow_redirects=True)
    assert "Your results" in page.text
    assert re.search(r'score-number">5</span> of 10 right', page.text)
    assert 'Dubious claims caught</span> <span class="tally-value">5 of 5' in page.text
    assert 'Plausible claims trusted</span> <span class="tally-value">0 of 5' in page.text
    assert "You lean sceptical: you doubted 5 true claims." in page.text
    assert page.text.count('class="review-item') == 10
    assert ">Play again</button>" in page.text
    with app.app_context():
        assert db.session.scalar(db.select(PlaySession)).finished_at is not None


def test_play_again_starts_a_new_round_with_the_same_nickname(client, player, app):
    player.start(nickname="Ada")
    player.play_round(lambda qid: "plausible")
    response = client.post("/play/again", data={"token": player.token})
    assert re.search(r"/play/[\w-]+$", response.headers["Location"])
    assert player.token not in response.headers["Location"]
    with app.app_context():
        plays = db.session.scalars(db.select(PlaySession).order_by(PlaySession.id)).all()
        assert [p.nickname for p in plays] == ["Ada", "Ada"]


def test_summary_before_the_end_returns_to_the_current_question(client, player):
    player.start()
    response = client.get(f"/play/{player.token}/summary")
    assert response.headers["Location"].endswith(f"/play/{player.token}")


def test_reopening_the_round_link_resumes_at_the_next_unanswered_question(client, player):
    player.start()
    first = player.current_question_id()
    player.answer(first, "plausible")
    assert player.current_question_id() != first
    assert "Continue your round" in client.get("/").text


def test_home_offers_the_latest_round_still_open(client, player):
    def offered() -> str | None:
        match = re.search(r'href="/play/([\w-]+)">Continue your round', client.get("/").text)
        return match.group(1) if match else None

    player.start()
    older = player.token
    player.answer(player.current_question_id(), "plausible")
    player.start()
    assert offered() == player.token
    player.play_round(lambda qid: "dubious")
    assert offered() == older  # the newer round is finished
    player.token = older
    player.play_round(lambda qid: "dubious")
    assert offered() is None


def test_start_without_a_deck_choice_plays_the_only_deck(client):
    response = client.post("/play", data={})
    assert "/play/" in response.headers["Location"]


def test_start_with_an_unknown_class_code_says_so(client, app):
    page = client.post("/play", data={"deck": "test-deck", "class_code": "zzzz99"})
    assert page.status_code == 400
    assert "No class uses the code &#39;zzzz99&#39;" in page.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(PlaySession.id))) == 0


def test_nickname_too_long_is_refused_with_a_message(client):
    page = client.post("/play", data={"deck": "test-deck", "nickname": "x" * 41})
    assert page.status_code == 400
    assert "Keep your nickname under 40 characters." in page.text


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"


def test_unknown_page_is_a_friendly_404(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "There is nothing at this address." in page.text


def test_answers_are_stored_with_choice_correctness_and_time(player, app):
    player.start()
    qid = player.current_question_id()
    player.answer(qid, "dubious")
    with app.app_context():
        answer = db.session.scalar(db.select(Answer))
        assert (answer.question_id, answer.choice) == (qid, "dubious")
        assert answer.correct == (verdict_of(app, qid) == "dubious")
