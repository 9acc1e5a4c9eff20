"""The red flags of a player's answers: the ones they caught (a dubious claim doubted) and the
ones they missed (a dubious claim believed), each with the claims it was on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..decks.model import RED_FLAG_NAMES, Question


@dataclass(frozen=True)
class FlagTally:
    """One red flag and the claims of the round it was on."""

    flag: str
    claims: tuple[str, ...]

    @property
    def name(self) -> str:
        return RED_FLAG_NAMES[self.flag]


def red_flags(answers: Iterable[tuple[Question, str]]) -> tuple[list[FlagTally], list[FlagTally]]:
    """(missed, caught) for (question, choice) pairs, the flags on most claims first. Flags on
    plausible claims (a made-up picture beside a true claim) are neither."""
    missed: dict[str, list[str]] = {}
    caught: dict[str, list[str]] = {}
    for question, choice in answers:
        if question.answer != "dubious":
            continue
        tally = caught if choice == "dubious" else missed
        for flag in question.red_flags:
            tally.setdefault(flag.flag, []).append(question.claim)

    def ordered(tally: dict[str, list[str]]) -> list[FlagTally]:
        flags = [FlagTally(flag, tuple(claims)) for flag, claims in tally.items()]
        return sorted(flags, key=lambda f: (-len(f.claims), f.name))

    return ordered(missed), ordered(caught)
