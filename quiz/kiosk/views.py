"""The kiosk's screens: attract, pick a name, question, reveal, summary, and the idle reset."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.wrappers import Response

from .. import sessions
from ..decks import Deck
from ..deckstore import library
from ..extensions import db
from ..play.forms import AgainForm, AnswerForm
from ..play.views import (
    owned_play_or_404,
    question_context,
    record_from_form,
    remember,
    remembered_rounds,
    reveal_context,
    summary_context,
)
from .forms import KioskStartForm
from .names import generate_names
from .qr import qr_svg

log = logging.getLogger(__name__)

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")

MODE = "kiosk"
#: How many of today's best rounds the attract screen lists.
BEST_SCORES_SHOWN = 5
#: Paths that stay reachable when QUIZ_KIOSK_ONLY sends everything else to the kiosk.
OPEN_PATHS = ("/healthz",)


def kiosk_deck() -> Deck | None:
    """The deck the kiosk plays: QUIZ_KIOSK_DECK if it is loaded, else the library's first."""
    wanted = current_app.config.get("KIOSK_DECK") or ""
    if wanted:
        deck = library().get(wanted)
        if deck is not None:
            return deck
        log.warning("QUIZ_KIOSK_DECK is %r but no such deck is loaded: playing the first deck", wanted)
    decks = library().decks
    return decks[0] if decks else None


def start_of_today() -> datetime:
    """Midnight of the kiosk's local day, in UTC (the time the database keeps)."""
    now = datetime.now().astimezone()
    return now.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def forget_kiosk_rounds() -> None:
    """Close this browser's kiosk rounds and drop them from its cookie: the next player starts clean."""
    kept = []
    for play in remembered_rounds():
        if play.mode == MODE:
            sessions.abandon_session(play)
        else:
            kept.append(play.token)
    if kept:
        session["plays"] = kept
    else:
        session.pop("plays", None)
    # A message meant for the last player must not greet the next one.
    session.pop("_flashes", None)


@bp.context_processor
def kiosk_context() -> dict[str, Any]:
    """What every kiosk page needs: the idle and reconnect settings."""
    return {
        "idle_seconds": int(current_app.config["KIOSK_IDLE_SECONDS"]),
        "warning_seconds": int(current_app.config["KIOSK_WARNING_SECONDS"]),
    }


@bp.before_app_request
def keep_to_kiosk() -> Response | tuple[str, int, dict[str, str]] | None:
    """With QUIZ_KIOSK_ONLY every other page leads to the kiosk; unknown kiosk paths stay in it."""
    path = request.path
    in_kiosk = path == bp.url_prefix or path.startswith(f"{bp.url_prefix}/")
    missed = request.routing_exception
    if in_kiosk and isinstance(missed, NotFound | MethodNotAllowed):
        # No view matched, so the blueprint's own error handler would not run.
        return ended(missed.code or 404, **kiosk_context())
    if not current_app.config.get("KIOSK_ONLY") or in_kiosk:
        return None
    static = current_app.static_url_path or "/static"
    if path in OPEN_PATHS or path.startswith(f"{static}/"):
        return None
    return redirect(url_for("kiosk.attract"))


@bp.after_request
def no_store(response: Response) -> Response:
    """Kiosk pages are never cached: back or a reload always asks the server, which forgets old rounds."""
    response.headers["Cache-Control"] = "no-store"
    return response


def ended(code: int, **context: Any) -> tuple[str, int, dict[str, str]]:
    """A kiosk-styled page for a round that is gone (or a request that no longer fits): Tap to play."""
    body = render_template("kiosk/ended.html", code=code, **context)
    return body, code, {"Cache-Control": "no-store"}


@bp.errorhandler(CSRFError)
@bp.errorhandler(Exception)
def kiosk_error(error: Exception) -> tuple[str, int, dict[str, str]]:
    """Errors stay inside the kiosk: no page with a way out, never a traceback."""
    if isinstance(error, HTTPException) and (error.code or 500) < 500:
        return ended(error.code or 400)
    db.session.rollback()
    if isinstance(error, HTTPException):
        code = error.code or 500
    elif isinstance(error, OperationalError):
        code = 503
        log.error("database unavailable: %s", error.orig)
    else:
        code = 500
        log.exception("unexpected error on the kiosk", exc_info=error)
    return render_template("kiosk/error.html", code=code), code, {"Retry-After": "5"}


@bp.get("/")
def attract() -> str:
    """The attract screen: the deck, Tap to play, and today's best scores."""
    deck = kiosk_deck()
    best = sessions.best_kiosk_scores(deck.id, start_of_today(), BEST_SCORES_SHOWN) if deck else []
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
    forget_kiosk_rounds()
    play = sessions.start_session(
        deck, current_app.config["KIOSK_ROUND_SIZE"], mode=MODE, nickname=form.nickname.data
    )
    db.session.commit()
    remember(play)
    return redirect(url_for("kiosk.question", token=play.token))


@bp.get("/play/<token>")
def question(token: str) -> Response | str:
    """The round's next unanswered question, or the summary when all are answered."""
    play = owned_play_or_404(token, MODE)
    progress = sessions.progress(play)
    if progress.next_question_id is None or play.is_over:
        return redirect(url_for("kiosk.summary", token=token))
    return render_template("kiosk/question.html", **question_context(play, progress))


@bp.post("/play/<token>/answer")
def answer(token: str) -> Response:
    """Record the answer once, then show its reveal."""
    form = AnswerForm()
    if not form.validate_on_submit():
        flash("Tap Plausible or Dubious to answer.")
        return redirect(url_for("kiosk.question", token=token))
    # The form is read before the round: the writers' turn (see database.py) starts here.
    play = owned_play_or_404(token, MODE, for_update=True)
    outcome = record_from_form(play, form)
    if outcome is sessions.Outcome.NOT_IN_ROUND:
        return redirect(url_for("kiosk.question", token=token))
    if outcome is sessions.Outcome.ROUND_OVER:
        return redirect(url_for("kiosk.summary", token=token))
    return redirect(url_for("kiosk.reveal", token=token, question_id=form.question_id.data))


@bp.get("/play/<token>/reveal/<question_id>")
def reveal(token: str, question_id: str) -> Response | str:
    """Right or wrong, the verdict, why, the red flags, and each source as a QR code."""
    play = owned_play_or_404(token, MODE)
    given = sessions.answer_to(play, question_id)
    if given is None:
        return redirect(url_for("kiosk.question", token=token))
    context = reveal_context(play, given)
    sources = [(source, qr_svg(source.url)) for source in context["question"].sources]
    return render_template("kiosk/reveal.html", sources=sources, **context)


@bp.get("/play/<token>/summary")
def summary(token: str) -> Response | str:
    """The score, discernment and lean, a short review, Play again and Done."""
    play = owned_play_or_404(token, MODE)
    if not play.is_over:
        return redirect(url_for("kiosk.question", token=token))
    return render_template("kiosk/summary.html", **summary_context(play))


@bp.post("/again")
def again() -> Response:
    """A new kiosk round for the same player, with the same name."""
    form = AgainForm()
    if not form.validate_on_submit():
        return redirect(url_for("kiosk.attract"))
    previous = owned_play_or_404(form.token.data, MODE)
    deck = kiosk_deck()
    if deck is None:
        return redirect(url_for("kiosk.attract"))
    nickname = previous.nickname
    forget_kiosk_rounds()
    play = sessions.start_session(deck, current_app.config["KIOSK_ROUND_SIZE"], mode=MODE, nickname=nickname)
    db.session.commit()
    remember(play)
    return redirect(url_for("kiosk.question", token=play.token))


@bp.post("/reset")
def reset() -> Response:
    """The player walked away (or tapped Done): close the round, forget it, back to the attract screen."""
    forget_kiosk_rounds()
    db.session.commit()
    return redirect(url_for("kiosk.attract"))
