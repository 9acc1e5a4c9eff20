"""The rounds this browser may see: their tokens, kept in its signed session cookie."""

from __future__ import annotations

from flask import abort, session

from ..models import PlaySession
from ..services import rounds
from .screen import Screen

#: How many of a browser's rounds its cookie remembers (for resuming and ownership).
REMEMBERED_ROUNDS = 8


def remember(play: PlaySession) -> None:
    """Let this browser come back to the round: after closing the tab, or, for a round of one's
    own, the browser (a class round ends with the browser, and so does a cookie that holds a
    teacher's login: on a shared computer, the next person must not continue either)."""
    if play.mode == "class" or "teacher_id" in session:
        # A teacher's login shares this cookie: it must end with the browser too.
        session.permanent = False
        tokens = session.get("plays", [])
    else:
        # The cookie outlives the browser now: class rounds leave it.
        session.permanent = True
        tokens = [p.token for p in remembered() if p.mode != "class"]
    session["plays"] = ([t for t in tokens if t != play.token] + [play.token])[-REMEMBERED_ROUNDS:]


def remembered() -> list[PlaySession]:
    """The rounds this browser's cookie remembers that still exist, oldest first (one query)."""
    tokens = session.get("plays", [])
    found = rounds.find_many(tokens)
    return [found[token] for token in tokens if token in found]


def owned_or_404(token: str, screen: Screen, *, for_update: bool = False) -> PlaySession:
    """The round with this token, if this browser started it on this screen; a 404 page otherwise."""
    play = rounds.find(token, for_update=for_update) if token in session.get("plays", []) else None
    if play is None or play.mode not in screen.modes:
        abort(404, description="This round does not exist, or it was started in another browser.")
    return play


def latest_open(screen: Screen) -> PlaySession | None:
    """This browser's latest round on this screen that is still open, to offer resuming it."""
    return next((p for p in reversed(remembered()) if p.mode in screen.modes and not p.is_over), None)


def forget(screen: Screen) -> None:
    """Close this browser's rounds of this screen and drop them from its cookie: the next player
    starts clean, and a message meant for the last one does not greet them."""
    kept = []
    for play in remembered():
        if play.mode in screen.modes:
            rounds.abandon(play)
        else:
            kept.append(play.token)
    if kept:
        session["plays"] = kept
    else:
        session.pop("plays", None)
    session.pop("_flashes", None)
