"""The kiosk: attract screen, pick a name, the round's pages, and the idle reset."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..decks import Deck
from ..extensions import db, decks
from ..round import Screen, register_round
from ..round.browser import forget
from ..round.views import begin
from ..services import ownership, rounds
from .forms import KioskStartForm
from .names import generate_names

log = logging.getLogger(__name__)

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")

SCREEN = Screen(
    name="kiosk",
    modes=("kiosk",),
    templates="kiosk",
    round_size="KIOSK_ROUND_SIZE",
    practice_rule="/practice",
    again_rule="/again",
    home="kiosk.attract",
    answer_missing="Tap Plausible or Dubious to answer.",
    fresh_start=True,
)
register_round(bp, SCREEN)

#: How many of today's best rounds the attract screen lists.
BEST_SCORES_SHOWN = 5
#: Paths that stay reachable when QUIZ_KIOSK_ONLY sends everything else to the kiosk.
OPEN_PATHS = ("/healthz",)


def kiosk_deck() -> Deck | None:
    """The deck the kiosk plays: QUIZ_KIOSK_DECK if it is loaded, else the first bundled deck
    (by title; a teacher's upload never takes over a public screen), else the first deck."""
    wanted = current_app.config.get("KIOSK_DECK") or ""
    if wanted:
        deck = decks.get(wanted)
        if deck is not None:
            return deck
        log.warning("QUIZ_KIOSK_DECK is %r but no such deck is loaded: playing a bundled deck", wanted)
    loaded = decks.all
    uploaded = ownership.owned_ids()
    return next((deck for deck in loaded if deck.id not in uploaded), loaded[0] if loaded else None)


def start_of_today() -> datetime:
    """Midnight of the kiosk's local day, in UTC (the time the database keeps)."""
    now = datetime.now().astimezone()
    return now.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def in_kiosk() -> bool:
    """Whether this request is for a kiosk page (or every page is one, on a kiosk-only server)."""
    path = request.path
    prefix = bp.url_prefix or "/kiosk"
    return bool(current_app.config.get("KIOSK_ONLY")) or path == prefix or path.startswith(f"{prefix}/")


@bp.context_processor
def kiosk_context() -> dict[str, Any]:
    """What every kiosk page needs: the idle and reconnect settings."""
    return {
        "idle_seconds": int(current_app.config["KIOSK_IDLE_SECONDS"]),
        "warning_seconds": int(current_app.config["KIOSK_WARNING_SECONDS"]),
    }


@bp.before_app_request
def keep_to_kiosk() -> Response | None:
    """With QUIZ_KIOSK_ONLY every other page leads to the kiosk."""
    if not current_app.config.get("KIOSK_ONLY") or request.path.startswith(f"{bp.url_prefix}/"):
        return None
    static = current_app.static_url_path or "/static"
    if request.path in OPEN_PATHS or request.path.startswith(f"{static}/"):
        return None
    return redirect(url_for("kiosk.attract"))


@bp.after_request
def no_store(response: Response) -> Response:
    """Kiosk pages are never cached: back or a reload always asks the server, which forgets old rounds."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
def attract() -> str:
    """The attract screen: the deck, Tap to play, and today's best scores."""
    deck = kiosk_deck()
    best = rounds.best_kiosk_scores(deck.id, start_of_today(), BEST_SCORES_SHOWN) if deck else []
    return render_template("kiosk/attract.html", deck=deck, best=best)


@bp.get("/start")
def names() -> str | Response:
    """Pick a name for the board of the day (or none), then Start."""
    deck = kiosk_deck()
    if deck is None:
        return redirect(url_for("kiosk.attract"))
    return render_template("kiosk/names.html", deck=deck, form=KioskStartForm(), names=generate_names())


@bp.post("/play")
def start() -> Response:
    """Close any earlier kiosk round of this screen and start a new one."""
    form = KioskStartForm()
    if not form.validate_on_submit():
        flash("Pick one of the names, or play without a name.")
        return redirect(url_for("kiosk.names"))
    deck = kiosk_deck()
    if deck is None:
        return redirect(url_for("kiosk.attract"))
    return begin(SCREEN, deck, mode="kiosk", nickname=form.nickname.data)


@bp.post("/reset")
def reset() -> Response:
    """The player walked away (or tapped Done): close the round, forget it, back to the attract screen."""
    forget(SCREEN)
    db.session.commit()
    return redirect(url_for("kiosk.attract"))
