"""The browser game: choose a deck (or type a class code), then play the round's pages."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from ..extensions import decks
from ..round import Screen, register_round
from ..round.browser import latest_open
from ..round.views import begin
from ..services import classes
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
)
register_round(bp, SCREEN)


def start_form() -> StartForm:
    form = StartForm()
    form.deck.choices = {deck.id: deck.title for deck in decks.all}
    return form


def home_page(form: StartForm, status: int = 200) -> ResponseReturnValue:
    return render_template("play/home.html", form=form, decks=decks.all, resume=latest_open(SCREEN)), status


@bp.get("/")
def home() -> ResponseReturnValue:
    """The decks to choose from, and Start."""
    return home_page(start_form())


@bp.post("/play")
def start() -> ResponseReturnValue:
    """Start a round of the chosen deck (or of the class's deck) and go to its first question."""
    form = start_form()
    if not form.validate_on_submit():
        return home_page(form, 400)
    classroom = None
    if form.class_code.data:
        classroom = classes.find(form.class_code.data)
        if classroom is None:
            form.class_code.errors.append(
                f"No class uses the code '{form.class_code.data.strip()}'. Check it with your teacher."
            )
            return home_page(form, 400)
    loaded = decks.all
    deck_id = classroom.deck_id if classroom else form.deck.data
    if deck_id is None and len(loaded) == 1:
        deck_id = loaded[0].id
    deck = decks.get(deck_id) if deck_id else None
    if deck is None:
        form.deck.errors.append("Choose a deck to play." if not deck_id else "That deck is no longer here.")
        return home_page(form, 400)
    return begin(
        SCREEN, deck, mode="class" if classroom else "web", nickname=form.nickname.data, classroom=classroom
    )


@bp.get("/healthz")
def healthz() -> tuple[str, int, dict[str, str]]:
    """Liveness for load balancers and the kiosk's reconnect check."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
