"""Discernment: how well a player tells dubious from plausible, and which way they lean.

Signal detection treats a dubious claim as the signal: a *hit* is a dubious claim caught, a
*false alarm* a plausible claim doubted. d' measures telling them apart; the criterion c says
which way a player leans (negative: quick to doubt, positive: quick to trust). Rates use the
log-linear correction (add 0.5 to each count and 1 to each total) so that perfect and empty
scores stay finite on a 10-question round.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import NormalDist

#: |c| below this reads as balanced; about a quarter of a standard deviation.
LEAN_THRESHOLD = 0.25
#: |d'| below this is no better than guessing: on a 10-claim round, 6 right of 10 (3 and 3)
#: gives d' = 0.42, 7 of 10 gives 0.88.
GUESSING = 0.5
#: d' from here on tells the two apart well (9 of 10 right gives 1.93).
DISCERNING = 1.5
#: The bias meter spans c from -METER_SPAN (too sceptical) to +METER_SPAN (too trusting).
METER_SPAN = 1.5

_z = NormalDist().inv_cdf


@dataclass(frozen=True)
class Discernment:
    """A player's answers summed up: counts, d', c and the words for them."""

    dubious_caught: int
    dubious_total: int
    plausible_trusted: int
    plausible_total: int
    d_prime: float
    criterion: float

    @property
    def score(self) -> int:
        return self.dubious_caught + self.plausible_trusted

    @property
    def total(self) -> int:
        return self.dubious_total + self.plausible_total

    @property
    def lean(self) -> str:
        """'sceptical', 'trusting' or 'balanced'."""
        if self.criterion <= -LEAN_THRESHOLD:
            return "sceptical"
        if self.criterion >= LEAN_THRESHOLD:
            return "trusting"
        return "balanced"

    @property
    def meter_percent(self) -> int:
        """Where the bias marker sits, 0 (too sceptical) to 100 (too trusting)."""
        share = (self.criterion + METER_SPAN) / (2 * METER_SPAN)
        return round(100 * min(1.0, max(0.0, share)))

    @property
    def balanced_zone(self) -> tuple[float, float]:
        """Where the meter's balanced zone starts and ends, in percent (the lean's word changes there)."""
        half = 50 * LEAN_THRESHOLD / METER_SPAN
        return 50 - half, 50 + half

    @property
    def skill(self) -> str:
        """'below chance', 'guessing', 'better than chance' or 'discerning', from d'."""
        if self.total == 0:
            return "guessing"
        if self.d_prime <= -GUESSING:
            return "below chance"
        if self.d_prime < GUESSING:
            return "guessing"
        return "discerning" if self.d_prime >= DISCERNING else "better than chance"

    @property
    def skill_words(self) -> str:
        """How well the player told the two apart, said plainly."""
        return {
            "below chance": "You got more wrong than tossing a coin would: read each claim again "
            "for the clue, then check it before you decide.",
            "guessing": "You did no better than guessing this time: a coin would have scored about the same.",
            "better than chance": "You told dubious claims from plausible ones better than chance.",
            "discerning": "You told dubious claims from plausible ones well.",
        }[self.skill]

    @property
    def verdict(self) -> str:
        """The lean said in plain words, with the answers that show it (never "balanced" for a
        player who did no better than guessing: they may lean nowhere, but they were not right)."""
        doubted = self.plausible_total - self.plausible_trusted
        believed = self.dubious_total - self.dubious_caught
        if self.lean == "sceptical":
            return f"You lean sceptical: you doubted {_claims(doubted, 'true')}."
        if self.lean == "trusting":
            return f"You lean trusting: you believed {_claims(believed, 'dubious')}."
        if self.skill in ("guessing", "below chance"):
            return (
                f"You did not lean either way: you doubted {_claims(doubted, 'true')} "
                f"and believed {_claims(believed, 'dubious')}."
            )
        if doubted == believed == 0:
            return "Balanced and spot on: you trusted every true claim and caught every dubious one."
        return (
            f"You are balanced: you doubted {_claims(doubted, 'true')} "
            f"and believed {_claims(believed, 'dubious')}."
        )


def _claims(count: int, kind: str) -> str:
    return f"{count} {kind} claim{'' if count == 1 else 's'}"


def discernment(answers: Iterable[tuple[str, str]]) -> Discernment:
    """Sum up (verdict, choice) pairs, each 'plausible' or 'dubious'."""
    hits = misses = trusted = doubted = 0
    for verdict, choice in answers:
        if verdict == "dubious":
            hits += choice == "dubious"
            misses += choice != "dubious"
        else:
            trusted += choice == "plausible"
            doubted += choice != "plausible"
    return from_counts(hits, misses, trusted, doubted)


def from_counts(hits: int, misses: int, trusted: int, doubted: int) -> Discernment:
    """Discernment from the four counts: dubious claims caught and believed, plausible claims
    trusted and doubted."""
    hit_rate = (hits + 0.5) / (hits + misses + 1)
    false_alarm_rate = (doubted + 0.5) / (trusted + doubted + 1)
    z_hit, z_false_alarm = _z(hit_rate), _z(false_alarm_rate)
    return Discernment(
        dubious_caught=hits,
        dubious_total=hits + misses,
        plausible_trusted=trusted,
        plausible_total=trusted + doubted,
        d_prime=round(z_hit - z_false_alarm, 6) + 0.0,  # + 0.0 turns -0.0 into 0.0
        criterion=round(-(z_hit + z_false_alarm) / 2, 6) + 0.0,
    )
