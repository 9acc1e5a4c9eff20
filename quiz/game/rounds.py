"""Drawing a round: as many plausible as dubious claims, shuffled, no repeats."""

from __future__ import annotations

import random
from collections.abc import Sequence

from ..decks.model import Question


def draw_round(questions: Sequence[Question], size: int, seed: int | str | None = None) -> list[str]:
    """The ids of up to `size` questions, balanced between verdicts where the deck allows.

    The two verdicts differ by at most one unless the deck runs short of one of them; then the
    other fills the round. The same seed always draws the same round.
    """
    rng = random.Random(seed)
    plausible = [q.id for q in questions if q.answer == "plausible"]
    dubious = [q.id for q in questions if q.answer == "dubious"]
    rng.shuffle(plausible)
    rng.shuffle(dubious)
    size = max(0, min(size, len(plausible) + len(dubious)))
    # The odd question goes to either verdict by chance, so a player cannot count on it.
    first, second = (plausible, dubious) if rng.random() < 0.5 else (dubious, plausible)
    take_first = min(len(first), (size + 1) // 2)
    take_second = min(len(second), size - take_first)
    take_first = size - take_second
    drawn = first[:take_first] + second[:take_second]
    rng.shuffle(drawn)
    return drawn
