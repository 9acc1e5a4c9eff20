"""How sure a player was, against how often they were right: calibration and the Brier score.

A player may rate an answer 1 (Just guessing), 2 (Fairly sure) or 3 (Very sure); unrated answers
are left out. Each level stands for a probability of being right, so that "Just guessing" is a
coin toss: the Brier score is the mean of (probability - outcome)², 0 for someone always sure
and always right, 0.25 for someone always guessing; over-confidence is the mean probability
minus the share right (above zero: surer than right). Confidence never changes the score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LEVELS: dict[int, str] = {1: "Just guessing", 2: "Fairly sure", 3: "Very sure"}
#: The chance of being right each level claims.
PROBABILITY: dict[int, float] = {1: 0.5, 2: 0.75, 3: 0.95}
#: Over- or under-confidence of less than this (ten points) reads as about right.
CALIBRATED_WITHIN = 0.1
#: Answers at a level before the summary says how often that level was right.
SHOWN_FROM = 5


@dataclass(frozen=True)
class Level:
    """The answers given at one level of confidence, and how many of them were right."""

    confidence: int
    answered: int
    right: int

    @property
    def label(self) -> str:
        return LEVELS[self.confidence]

    @property
    def share_right(self) -> float:
        return self.right / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class Calibration:
    """Rated answers summed up by level, with the Brier score and over-confidence."""

    levels: tuple[Level, ...]
    brier: float | None  # None when nothing was rated
    over_confidence: float | None

    @property
    def rated(self) -> int:
        return sum(level.answered for level in self.levels)

    def shown(self, at_least: int = SHOWN_FROM) -> tuple[Level, ...]:
        """The levels with enough answers to say anything about."""
        return tuple(level for level in self.levels if level.answered >= at_least)

    @property
    def lean(self) -> str | None:
        """'over-confident', 'under-confident' or 'about right'; None when nothing was rated."""
        if self.over_confidence is None:
            return None
        if self.over_confidence >= CALIBRATED_WITHIN:
            return "over-confident"
        if self.over_confidence <= -CALIBRATED_WITHIN:
            return "under-confident"
        return "about right"


def calibration(answers: Iterable[tuple[int | None, bool]]) -> Calibration:
    """Sum up (confidence or None, right) pairs."""
    return weighted_calibration((confidence, right, 1) for confidence, right in answers)


def weighted_calibration(counts: Iterable[tuple[int | None, bool, int]]) -> Calibration:
    """Sum up (confidence or None, right, how many answers) rows, as a GROUP BY gives them."""
    tally = {level: [0, 0] for level in LEVELS}
    squared = claimed = right_total = 0.0
    rated = 0
    for confidence, right, number in counts:
        if confidence not in LEVELS or number <= 0:
            continue
        tally[confidence][0] += number
        tally[confidence][1] += number if right else 0
        probability = PROBABILITY[confidence]
        squared += number * (probability - (1.0 if right else 0.0)) ** 2
        claimed += number * probability
        right_total += number if right else 0
        rated += number
    levels = tuple(Level(level, n, k) for level, (n, k) in tally.items() if n)
    if not rated:
        return Calibration(levels, None, None)
    return Calibration(levels, round(squared / rated, 6), round((claimed - right_total) / rated, 6))
