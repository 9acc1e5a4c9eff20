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


def draw_practice(
    questions: Sequence[Question],
    missed: Sequence[str],
    seen: Sequence[str],
    size: int,
    seed: int | str | None = None,
) -> list[str]:
    """A practice round: the claims a player got wrong (`missed`, most recent first), topped
    up with claims they have not seen, then with ones they got right, keeping the two verdicts
    as even as the deck allows. Shuffled; no repeats."""
    rng = random.Random(seed)
    by_id = {q.id: q for q in questions}
    missed = [qid for qid in dict.fromkeys(missed) if qid in by_id][:size]
    unseen = [q.id for q in questions if q.id not in set(seen) and q.id not in missed]
    again = [q.id for q in questions if q.id in set(seen) and q.id not in missed]
    rng.shuffle(unseen)
    rng.shuffle(again)
    drawn = list(missed)
    half = size / 2
    for verdict in ("plausible", "dubious"):
        # Each verdict gets up to half the round; whichever the missed claims left short first.
        have = sum(by_id[qid].answer == verdict for qid in drawn)
        for qid in (q for q in unseen + again if by_id[q].answer == verdict):
            if have >= half or len(drawn) >= size:
                break
            if qid not in drawn:
                drawn.append(qid)
                have += 1
    for qid in unseen + again:  # a deck short of one verdict: fill from the other
        if len(drawn) >= size:
            break
        if qid not in drawn:
            drawn.append(qid)
    rng.shuffle(drawn)
    return drawn


def streak(outcomes: Sequence[bool]) -> int:
    """How many answers in a row were right, counting back from the last."""
    count = 0
    for right in reversed(outcomes):
        if not right:
            break
        count += 1
    return count
