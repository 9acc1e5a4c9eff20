"""Round drawing and discernment: the game's rules as plain functions."""

import pytest

from quiz.decks import Question
from quiz.game import Discernment, discernment, draw_round


def questions(plausible: int, dubious: int) -> list[Question]:
    made = [Question(f"p{i}", "c", "plausible", "e", ()) for i in range(plausible)]
    return made + [Question(f"d{i}", "c", "dubious", "e", ()) for i in range(dubious)]


def verdicts(ids: list[str]) -> tuple[int, int]:
    return sum(i.startswith("p") for i in ids), sum(i.startswith("d") for i in ids)


@pytest.mark.parametrize("size", [1, 2, 5, 9, 10])
def test_draw_round_balances_verdicts_within_one(size):
    for seed in range(50):
        plausible, dubious = verdicts(draw_round(questions(20, 20), size, seed))
        assert plausible + dubious == size
        assert abs(plausible - dubious) <= 1


def test_draw_round_never_repeats_a_question():
    for seed in range(50):
        drawn = draw_round(questions(8, 8), 16, seed)
        assert len(set(drawn)) == len(drawn) == 16


def test_draw_round_fills_from_the_other_verdict_when_one_runs_short():
    drawn = draw_round(questions(2, 20), 10, seed=1)
    assert verdicts(drawn) == (2, 8)


def test_draw_round_is_deterministic_with_a_seed():
    assert draw_round(questions(20, 20), 10, "seed") == draw_round(questions(20, 20), 10, "seed")
    rounds = {tuple(draw_round(questions(20, 20), 10, seed)) for seed in range(20)}
    assert len(rounds) > 15


def test_draw_round_shuffles_verdicts_together():
    firsts = {draw_round(questions(10, 10), 10, seed)[0][0] for seed in range(40)}
    assert firsts == {"p", "d"}


def test_draw_round_of_a_small_deck_takes_all_of_it():
    assert sorted(draw_round(questions(2, 1), 10, 0)) == ["d0", "p0", "p1"]


def test_discernment_of_a_player_who_doubts_everything_is_sceptical_with_no_discernment():
    result = discernment([("dubious", "dubious")] * 5 + [("plausible", "dubious")] * 5)
    assert (result.dubious_caught, result.plausible_trusted, result.score) == (5, 0, 5)
    assert result.d_prime == pytest.approx(0.0, abs=1e-9)
    # Log-linear correction: H = F = 5.5/6, so c = -z(0.9167) = -1.383.
    assert result.criterion == pytest.approx(-1.383, abs=1e-3)
    assert result.lean == "sceptical"
    assert result.verdict == "You lean sceptical: you doubted 5 true claims."
    assert result.meter_percent == 4


def test_discernment_of_a_perfect_player_is_high_and_balanced():
    result = discernment([("dubious", "dubious")] * 5 + [("plausible", "plausible")] * 5)
    # H = 5.5/6, F = 0.5/6: d' = 2 * 1.383 = 2.766, c = 0.
    assert result.d_prime == pytest.approx(2.766, abs=1e-3)
    assert result.criterion == pytest.approx(0.0, abs=1e-9)
    assert result.lean == "balanced"
    assert result.score == result.total == 10
    assert "spot on" in result.verdict


def test_discernment_of_a_player_who_trusts_everything_is_trusting():
    result = discernment([("dubious", "plausible")] * 5 + [("plausible", "plausible")] * 5)
    assert result.lean == "trusting"
    assert result.verdict == "You lean trusting: you believed 5 dubious claims."
    assert result.meter_percent == 96


def test_discernment_of_a_mixed_player_matches_hand_computation():
    # 4 of 5 dubious caught, 3 of 5 plausible trusted.
    # H = 4.5/6 = 0.75 -> z = 0.6745; F = 2.5/6 = 0.4167 -> z = -0.2104.
    answers = [("dubious", "dubious")] * 4 + [("dubious", "plausible")]
    answers += [("plausible", "plausible")] * 3 + [("plausible", "dubious")] * 2
    result = discernment(answers)
    assert result.d_prime == pytest.approx(0.6745 + 0.2104, abs=1e-3)
    assert result.criterion == pytest.approx(-(0.6745 - 0.2104) / 2, abs=1e-3)
    assert result.lean == "balanced"
    assert result.verdict == "You are balanced: you doubted 2 true claims and believed 1 dubious claim."


def test_discernment_of_no_answers_is_neutral():
    result = discernment([])
    assert (result.score, result.total, result.d_prime, result.criterion) == (0, 0, 0, 0)


def test_meter_balanced_zone_is_where_the_lean_reads_balanced():
    low, high = discernment([]).balanced_zone
    leans = ((-0.26, "sceptical"), (-0.24, "balanced"), (0.24, "balanced"), (0.26, "trusting"))
    for criterion, expected in leans:
        shifted = Discernment(0, 0, 0, 0, 0.0, criterion)
        assert shifted.lean == expected
        assert (low <= shifted.meter_percent <= high) == (expected == "balanced")
