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
