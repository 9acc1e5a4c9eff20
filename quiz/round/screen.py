"""What a screen sets for the round it shows; everything else about a round is the same on all."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Screen:
    """One way of showing a round: the browser game, the kiosk."""

    #: Its blueprint: the round's endpoints are `<name>.question`, `<name>.reveal`...
    name: str
    #: The rounds it shows (`PlaySession.mode`); a round of another screen is a 404 here.
    modes: tuple[str, ...]
    #: The folder of its templates: question.html, reveal.html, summary.html.
    templates: str
    #: The setting with the size of its rounds.
    round_size: str
    #: The rules of its "Play again" and "Practise the ones you missed" forms (under the
    #: blueprint's prefix).
    again_rule: str
    practice_rule: str
    #: Where a player goes when there is no round to show.
    home: str
    #: What it says when an answer came without a verdict.
    answer_missing: str
    #: Whether a new round closes this browser's earlier rounds of this screen (the kiosk: the
    #: next player must find nothing of the last one).
    fresh_start: bool = False
    #: Whether its rounds may be teacher-paced (a class's live round): it serves the step poll.
    live_rounds: bool = False

    def endpoint(self, view: str) -> str:
        return f"{self.name}.{view}"

    def template(self, page: str) -> str:
        return f"{self.templates}/{page}.html"
