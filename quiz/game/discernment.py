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
    def verdict(self) -> str:
        """The lean said in plain words, with the answers that show it."""
        doubted = self.plausible_total - self.plausible_trusted
        believed = self.dubious_total - self.dubious_caught
        if self.lean == "sceptical":
            return f"You lean sceptical: you doubted {_claims(doubted, 'true')}."
        if self.lean == "trusting":
            return f"You lean trusting: you believed {_claims(believed, 'dubious')}."
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
