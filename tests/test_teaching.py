"""The teaching loop's rules, as plain functions: how sure a player was, what they missed, what
to practise, and the words the summary uses for a player who was guessing."""

from __future__ import annotations

import pytest

from quiz.decks import Question
from quiz.decks.model import RedFlag, highlight
from quiz.game import calibration, discernment, draw_practice, red_flags, streak


def question(qid: str, answer: str, *flags: str) -> Question:
    return Question(qid, f"Claim {qid}.", answer, "E.", (), tuple(RedFlag(flag) for flag in flags))


# ---- calibration -----------------------------------------------------------------------------


def test_calibration_matches_hand_computed_brier_and_over_confidence():
    result = calibration([(3, True), (3, False), (1, True), (None, False)])
    # Brier: ((0.95-1)² + (0.95-0)² + (0.5-1)²) / 3 = (0.0025 + 0.9025 + 0.25) / 3 = 0.385.
    assert result.brier == pytest.approx(0.385)
    # Claimed (0.95 + 0.95 + 0.5) / 3 = 0.8, right 2 of 3: 0.1333 too sure.
    assert result.over_confidence == pytest.approx(0.1333, abs=1e-4)
    assert result.lean == "over-confident"
    assert [(level.label, level.answered, level.right) for level in result.levels] == [
        ("Just guessing", 1, 1),
        ("Very sure", 2, 1),
    ]
    assert result.rated == 3


def test_calibration_of_a_guesser_right_half_the_time_is_about_right():
    result = calibration([(1, True), (1, False)] * 3)
    assert result.brier == pytest.approx(0.25)
    assert result.over_confidence == pytest.approx(0.0)
    assert result.lean == "about right"


def test_calibration_of_a_player_right_more_often_than_they_claimed_is_under_confident():
    # Claimed 0.75 each, right 4 of 4: 0.25 under.
    result = calibration([(2, True)] * 4)
    assert result.over_confidence == pytest.approx(-0.25)
    assert result.lean == "under-confident"
    assert result.brier == pytest.approx(0.0625)


def test_calibration_without_rated_answers_says_nothing():
    result = calibration([(None, True), (None, False)])
    assert (result.brier, result.over_confidence, result.lean, result.rated) == (None, None, None, 0)


def test_calibration_shows_a_level_only_from_five_answers():
    result = calibration([(3, True)] * 4 + [(3, False)] + [(2, True)] * 4)
    assert [(level.label, level.right, level.answered) for level in result.shown()] == [("Very sure", 4, 5)]


# ---- discernment in words ---------------------------------------------------------------------


def test_a_player_who_doubts_everything_did_no_better_than_guessing_whatever_their_lean():
    result = discernment([("dubious", "dubious")] * 5 + [("plausible", "dubious")] * 5)
    assert result.skill == "guessing"
    assert "no better than guessing" in result.skill_words
    assert result.verdict.startswith("You lean sceptical")


def test_one_right_of_five_is_worse_than_a_coin():
    # 1 of 3 dubious caught, 0 of 2 plausible trusted: H = 1.5/4, F = 2.5/3, d' = -1.29.
    result = discernment(
        [("dubious", "dubious")] + [("dubious", "plausible")] * 2 + [("plausible", "dubious")] * 2
    )
    assert result.d_prime == pytest.approx(-1.29, abs=0.01)
    assert result.skill == "below chance"
    assert "more wrong than tossing a coin" in result.skill_words


def test_a_guesser_is_never_called_balanced():
    # 3 of 5 and 3 of 5: d' = 0.42, c = 0.
    answers = [("dubious", "dubious")] * 3 + [("dubious", "plausible")] * 2
    answers += [("plausible", "plausible")] * 3 + [("plausible", "dubious")] * 2
    result = discernment(answers)
    assert result.skill == "guessing" and result.lean == "balanced"
    assert "balanced" not in result.verdict.lower()
    assert (
        result.verdict
        == "You did not lean either way: you doubted 2 true claims and believed 2 dubious claims."
    )


def test_a_good_player_is_told_so():
    answers = [("dubious", "dubious")] * 5 + [("plausible", "plausible")] * 4 + [("plausible", "dubious")]
    assert discernment(answers).skill == "discerning"


# ---- red flags caught and missed ----------------------------------------------------------------


def test_red_flags_are_missed_on_believed_dubious_claims_and_caught_on_doubted_ones():
    answers = [
        (question("a", "dubious", "fabricated", "ai-image"), "plausible"),
        (question("b", "dubious", "fabricated"), "plausible"),
        (question("c", "dubious", "impossible-number"), "dubious"),
        (question("d", "plausible", "ai-image"), "dubious"),  # flags on true claims count for neither
    ]
    missed, caught = red_flags(answers)
    assert [(f.name, f.claims) for f in missed] == [
        ("Fabricated", ("Claim a.", "Claim b.")),
        ("AI image", ("Claim a.",)),
    ]
    assert [(f.name, f.claims) for f in caught] == [("Impossible number", ("Claim c.",))]


# ---- practice rounds ---------------------------------------------------------------------------


def deck() -> list[Question]:
    return [question(f"p{n}", "plausible") for n in range(10)] + [
        question(f"d{n}", "dubious") for n in range(10)
    ]


def test_practice_round_has_every_missed_claim_topped_up_with_unseen_ones_and_balanced():
    missed = ["d1", "d2", "d3", "p1"]
    seen = [f"p{n}" for n in range(5)] + [f"d{n}" for n in range(5)]
    for seed in range(20):
        drawn = draw_practice(deck(), missed, seen, 10, seed)
        assert set(missed) <= set(drawn)
        assert len(drawn) == len(set(drawn)) == 10
        assert sum(qid.startswith("p") for qid in drawn) == 5
        assert not (set(drawn) - set(missed)) & set(seen), "top-ups come from claims not seen yet"


def test_practice_round_keeps_the_missed_claims_even_when_they_are_all_of_one_verdict():
    missed = [f"d{n}" for n in range(7)]
    drawn = draw_practice(deck(), missed, missed, 10, seed=1)
    assert set(missed) <= set(drawn) and len(drawn) == 10
    assert sum(qid.startswith("p") for qid in drawn) == 3


def test_practice_round_tops_up_with_claims_seen_before_when_none_are_new():
    everything = [q.id for q in deck()]
    drawn = draw_practice(deck(), ["d0"], everything, 6, seed=2)
    assert "d0" in drawn and len(drawn) == 6 and sum(q.startswith("p") for q in drawn) == 3


def test_practice_round_ignores_claims_no_longer_in_the_deck():
    assert "gone" not in draw_practice(deck(), ["gone", "d0"], [], 4, seed=3)


# ---- streaks and clues -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcomes", "expected"), [([], 0), ([True], 1), ([True, False, True, True], 2), ([True, False], 0)]
)
def test_streak_counts_right_answers_in_a_row_back_from_the_last(outcomes, expected):
    assert streak(outcomes) == expected


def test_highlight_marks_each_quote_ignoring_case_spacing_and_curly_quotes():
    text = "Kim Il Sung, who is\n105, is “still” in charge."
    pieces = highlight(text, ("WHO IS 105", '"still"'))
    assert [part for part, marked in pieces if marked] == ["who is\n105", "“still”"]
    assert "".join(part for part, _ in pieces) == text


def test_highlight_without_a_match_leaves_the_text_whole():
    assert highlight("Plain text.", ("absent",)) == [("Plain text.", False)]


# ---- the pages ---------------------------------------------------------------------------------

from quiz.extensions import db, decks  # noqa: E402
from quiz.models import Answer  # noqa: E402


def stored_confidence(app) -> list[int | None]:
    with app.app_context():
        return list(db.session.scalars(db.select(Answer.confidence).order_by(Answer.id)))


@pytest.mark.parametrize(("sent", "stored"), [({}, None), ({"confidence": "1"}, 1), ({"confidence": "3"}, 3)])
def test_an_answer_stores_how_sure_the_player_was_or_none(app, player, sent, stored):
    player.start()
    qid = player.current_question_id()
    response = player.client.post(
        f"{player.url}/answer", data={"question_id": qid, "choice": "dubious", **sent}
    )
    assert "/reveal/" in response.headers["Location"]
    assert stored_confidence(app) == [stored]


@pytest.mark.parametrize("bad", ["4", "0", "sure", "٣", "1; DROP TABLE answer", ""])
def test_an_unknown_confidence_is_a_form_message_and_stores_nothing(app, player, bad):
    player.start()
    qid = player.current_question_id()
    response = player.client.post(
        f"{player.url}/answer", data={"question_id": qid, "choice": "dubious", "confidence": bad}
    )
    if bad == "":  # an empty choice is no choice: an unrated answer
        assert stored_confidence(app) == [None]
        return
    assert response.status_code == 302 and response.headers["Location"].endswith(player.url)
    assert stored_confidence(app) == []
    page = player.client.get(player.url).text
    assert "Choose how sure you are from Just guessing, Fairly sure and Very sure" in page


def test_confidence_never_changes_the_score(app, client):
    scores = []
    for confidence in ("1", "3", None):
        from .conftest import Player

        player = Player(app.test_client())
        player.start()
        with app.app_context():
            verdicts = {q.id: q.answer for q in decks.get("test-deck").questions}
        while (qid := player.current_question_id()) is not None:
            data = {"question_id": qid, "choice": verdicts[qid]}
            if confidence:
                data["confidence"] = confidence
            player.client.post(f"{player.url}/answer", data=data)
        scores.append(player.client.get(f"{player.url}/summary").text.count("✓</span> Right"))
    assert scores == [10, 10, 10]


def test_question_page_offers_the_three_levels_as_radio_inputs(player):
    player.start()
    page = player.client.get(player.url).text
    for value, label in (("1", "Just guessing"), ("2", "Fairly sure"), ("3", "Very sure")):
        assert f'name="confidence" type="radio" value="{value}"' in page
        assert label in page


def test_a_very_sure_wrong_answer_gets_the_hypercorrection_message(app, player):
    player.start()
    qid = player.current_question_id()
    with app.app_context():
        wrong = "plausible" if decks.get("test-deck").question(qid).answer == "dubious" else "dubious"
    reveal = player.client.post(
        f"{player.url}/answer",
        data={"question_id": qid, "choice": wrong, "confidence": "3"},
        follow_redirects=True,
    ).text
    assert "You were very sure, and it was wrong." in reveal
    assert "(very sure)" in reveal


def test_a_fairly_sure_wrong_answer_has_no_such_message(app, player):
    player.start()
    qid = player.current_question_id()
    with app.app_context():
        wrong = "plausible" if decks.get("test-deck").question(qid).answer == "dubious" else "dubious"
    reveal = player.client.post(
        f"{player.url}/answer",
        data={"question_id": qid, "choice": wrong, "confidence": "2"},
        follow_redirects=True,
    ).text
    assert "You were very sure" not in reveal


CLUE_DECK = {
    "schema": 1,
    "id": "test-deck",
    "title": "Clues",
    "questions": [
        {
            "id": "old-leader",
            "claim": "The leader, who is 105, still rules.",
            "context": "Our guide told us the leader, who is 105, still rules.",
            "image_credit": "Lauren/Midjourney",
            "answer": "dubious",
            "explanation": "He died in 1994.",
            "red_flags": [
                {
                    "flag": "impossible-number",
                    "quote": "who is 105",
                    "note": "Kim Il Sung died in 1994, aged 82.",
                },
                "ai-image",
            ],
            "sources": [{"title": "S", "url": "https://example.org/s"}],
        },
        {
            "id": "subway",
            "claim": "The subway is deep.",
            "context": "The subway is deep: 110 metres.",
            "answer": "plausible",
            "explanation": "It is.",
            "checks_out": [{"quote": "110 metres", "note": "Engineers give the same depth."}],
            "sources": [{"title": "S", "url": "https://example.org/t"}],
            "checked": "2026-11-30",
        },
    ],
}


@pytest.fixture
def clue_dir(tmp_path):
    from .conftest import deck_folder

    return deck_folder(tmp_path / "clues", CLUE_DECK)


@pytest.fixture
def clue_app(app_config, clue_dir):
    from quiz import create_app

    app = create_app({**app_config, "QUESTIONS_DIR": str(clue_dir), "ROUND_SIZE": 2})
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


def reveal_of(app, question_id: str, choice: str) -> str:
    from .conftest import Player

    player = Player(app.test_client())
    player.start()
    while (qid := player.current_question_id()) != question_id:
        player.answer(qid, "dubious")
    return player.client.post(
        f"{player.url}/answer", data={"question_id": qid, "choice": choice}, follow_redirects=True
    ).text


def test_the_reveal_marks_the_words_that_give_the_answer_away_and_says_what_they_mean(clue_app):
    page = reveal_of(clue_app, "old-leader", "plausible")
    assert "Our guide told us the leader, <mark>who is 105</mark>, still rules." in page
    assert "<mark>Lauren/Midjourney</mark>" not in page  # ai-image has no quote here
    assert "<q>who is 105</q>: Kim Il Sung died in 1994, aged 82." in page
    assert "Red flags" in page


def test_the_reveal_of_a_plausible_claim_says_what_checks_out_and_when_it_was_checked(clue_app):
    page = reveal_of(clue_app, "subway", "plausible")
    assert "What checks out" in page
    assert "<q>110 metres</q>: Engineers give the same depth." in page
    assert "The subway is deep: <mark>110 metres</mark>." in page
    assert "Checked against the sources in November 2026." in page


def play_all(app, player, choose) -> None:
    with app.app_context():
        verdicts = {q.id: q.answer for q in decks.get("test-deck").questions}
    while (qid := player.current_question_id()) is not None:
        player.answer(qid, choose(verdicts[qid]))


def test_practise_the_ones_you_missed_replays_every_wrong_answer(app, player):
    app.config["ROUND_SIZE"] = 6
    player.start()
    wrong = []

    def choose(verdict: str) -> str:
        if len(wrong) < 3 and verdict == "dubious":
            wrong.append(player.current_question_id())
            return "plausible"
        return verdict

    play_all(app, player, choose)
    summary = player.client.get(f"{player.url}/summary").text
    assert "Practise the ones you missed" in summary
    first = player.token
    response = player.client.post("/play/practice", data={"token": first})
    practice = response.headers["Location"].rsplit("/", 1)[1]
    assert practice != first
    with app.app_context():
        from quiz.services import rounds

        order = rounds.find(practice).question_ids
        answered_before = rounds.find(first).question_ids
    assert set(wrong) <= set(order) and len(order) == 6
    assert not (set(order) - set(wrong)) & set(answered_before), "top-ups are claims not seen yet"


def test_a_perfect_round_offers_no_practice(app, player):
    player.start()
    play_all(app, player, lambda verdict: verdict)
    assert "Practise the ones you missed" not in player.client.get(f"{player.url}/summary").text


def test_practice_of_another_browsers_round_is_refused(app, player):
    player.start()
    play_all(app, player, lambda verdict: "dubious")
    stranger = app.test_client()
    assert stranger.post("/play/practice", data={"token": player.token}).status_code == 404


def test_the_summary_says_a_guesser_did_no_better_than_guessing(app, player):
    player.start()
    play_all(app, player, lambda verdict: "plausible")
    page = player.client.get(f"{player.url}/summary").text
    assert "You did no better than guessing this time" in page
    assert "You missed" in page and "Fabricated" in page  # the test deck's dubious claims


def test_the_summary_shows_calibration_from_five_rated_answers_at_a_level(app, player):
    player.start()
    with app.app_context():
        verdicts = {q.id: q.answer for q in decks.get("test-deck").questions}
    for n in range(10):
        qid = player.current_question_id()
        data = {"question_id": qid, "choice": verdicts[qid], "confidence": "3" if n < 5 else "1"}
        player.client.post(f"{player.url}/answer", data=data)
    page = player.client.get(f"{player.url}/summary").text
    assert "When you said <em>Very sure</em> you were right 5 of 5 times." in page
    assert "When you said <em>Just guessing</em> you were right 5 of 5 times." in page
    assert "<details>" in page
