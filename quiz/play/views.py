"""The browser game: choose a deck (or type a class code), then play the round's pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..extensions import db, decks
from ..models import Classroom
from ..round import Screen, register_round
from ..round.browser import forget, latest_open, remembered
from ..round.views import begin
from ..security import client_address, throttle
from ..services import classes, limits, live
from .forms import StartForm

bp = Blueprint("play", __name__)

SCREEN = Screen(
    name="play",
    modes=("web", "class"),
    templates="play",
    round_size="ROUND_SIZE",
    practice_rule="/play/practice",
    again_rule="/play/again",
    home="play.home",
    answer_missing="Choose Plausible or Dubious to answer.",
    live_rounds=True,
)
register_round(bp, SCREEN)


def start_form() -> StartForm:
    form = StartForm()
    form.deck.choices = {deck.id: deck.title for deck in decks.all}
    return form


def home_page(form: StartForm, status: int = 200, joining: Classroom | None = None) -> ResponseReturnValue:
    page = render_template(
        "play/home.html", form=form, decks=decks.all, resume=latest_open(SCREEN), joining=joining
    )
    return page, status


@bp.get("/")
def home() -> ResponseReturnValue:
    """The decks to choose from, and Start (a class code in the link, ?code=, comes first)."""
    code = request.args.get("code", "")[:12]
    if code:
        return join(code)
    return home_page(start_form())


@bp.get("/join/<code>")
def join(code: str) -> ResponseReturnValue:
    """The page a class's join link and QR code lead to: the code filled in, the name to type."""
    form = start_form()
    form.class_code.data = code[:12]
    classroom = find_class(code)
    if classroom is None or not classroom.is_open:
        form.class_code.errors = [class_code_problem(code, classroom)]
        return home_page(form, 404)
    return home_page(form, joining=classroom)


def find_class(code: str) -> Classroom | None:
    """The class with this code; a wrong code counts against the address (a 429 page once it
    has guessed too many)."""
    throttle(limits.code_guesses(), client_address(), "Too many wrong class codes from your network.")
    classroom = classes.find(code)
    if classroom is not None:  # the right code costs no guess
        limits.take_back(limits.code_guesses(), client_address())
    db.session.commit()
    return classroom


def class_code_problem(code: str, classroom: Classroom | None) -> str:
    if classroom is None:
        return f"No class uses the code '{code.strip()}'. Check it with your teacher."
    return f"The class “{classroom.name}” is closed: ask your teacher for a new code."


@bp.post("/play")
def start() -> ResponseReturnValue:
    """Start a round of the chosen deck (or of the class's deck) and go to its first question."""
    form = start_form()
    valid = form.validate_on_submit()
    classroom = None
    if form.class_code.data and not form.class_code.errors:  # every problem at once: name and code
        classroom = find_class(form.class_code.data)
        if classroom is None or not classroom.is_open:
            form.class_code.errors = [
                *form.class_code.errors,
                class_code_problem(form.class_code.data, classroom),
            ]
            valid = False
    if not valid:
        return home_page(form, 400)
    loaded = decks.all
    deck_id = classroom.deck_id if classroom else form.deck.data
    if deck_id is None and len(loaded) == 1:
        deck_id = loaded[0].id
    deck = decks.get(deck_id) if deck_id else None
    if deck is None:
        form.deck.errors.append("Choose a deck to play." if not deck_id else "That deck is no longer here.")
        return home_page(form, 400)
    if classroom is None:
        return begin(SCREEN, deck, mode="web", nickname=form.nickname.data)
    mine = remembered()
    running = live.current(classroom)
    already = next((p for p in mine if running and p.live_round_id == running.id), None)
    if already is not None:  # a second Start on the same phone: back to the same place
        return redirect(url_for("play.question", token=already.token))
    name = classes.player_name(classroom, form.nickname.data, mine)
    flash(f"You joined {classroom.name} as {name}.")
    return begin(SCREEN, deck, mode="class", nickname=name, classroom=classroom, live_round=running)


@bp.post("/play/start-over")
def start_over() -> ResponseReturnValue:
    """Not the player whose round this browser offers to continue (a shared computer): close
    this browser's rounds and forget them."""
    forget(SCREEN)
    db.session.commit()
    flash("The last player’s round is closed: start your own.")
    return redirect(url_for("play.home"))


@bp.get("/healthz")
def healthz() -> tuple[str, int, dict[str, str]]:
    """Liveness for load balancers and the kiosk's reconnect check."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
