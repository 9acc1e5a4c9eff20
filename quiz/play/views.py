"""The student's game: choose a deck, answer each claim, see the reveal and the summary."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

from .. import sessions
from ..decks import Question
from ..deckstore import library
from ..extensions import db
from ..models import Answer, PlaySession
from .forms import AgainForm, AnswerForm, StartForm

bp = Blueprint("play", __name__)

#: How many of a browser's rounds its cookie remembers (for resuming and ownership).
REMEMBERED_ROUNDS = 8


def remember(play: PlaySession) -> None:
    """Let this browser come back to the round, even after closing the tab."""
    session.permanent = True
    tokens = [t for t in session.get("plays", []) if t != play.token]
    session["plays"] = (tokens + [play.token])[-REMEMBERED_ROUNDS:]


def owned_play_or_404(token: str, mode: str = "web", *, for_update: bool = False) -> PlaySession:
    """The round with this token, if this browser started it; a 404 page otherwise."""
    play = sessions.find_session(token, for_update=for_update) if token in session.get("plays", []) else None
    if play is None or (play.mode == "kiosk") != (mode == "kiosk"):
        abort(404, description="This round does not exist, or it was started in another browser.")
    return play


def remembered_rounds() -> list[PlaySession]:
    """The rounds this browser's cookie remembers that still exist, oldest first (one query)."""
    tokens = session.get("plays", [])
    found = sessions.find_sessions(tokens)
    return [found[token] for token in tokens if token in found]


def unfinished_round() -> PlaySession | None:
    """This browser's latest round that is still open, to offer resuming it."""
    rounds = reversed(remembered_rounds())
    return next((play for play in rounds if play.mode != "kiosk" and not play.is_over), None)


def find_question(play: PlaySession, question_id: str) -> Question | None:
    """A question of the round's deck, or None when the deck (or the question) is gone."""
    deck = library().get(play.deck_id)
    return deck.question(question_id) if deck else None


def question_of(play: PlaySession, question_id: str) -> Question:
    """A question of the round's deck, or a 404 page when the deck has since lost it."""
    item = find_question(play, question_id)
    if item is None:
        abort(404, description="This question has been taken out of its deck. Ask your teacher to check it.")
    return item


def record_from_form(play: PlaySession, form: AnswerForm) -> sessions.Outcome:
    """Record a validated answer form (once) and commit."""
    qid = form.question_id.data
    outcome = sessions.record_answer(
        play,
        find_question(play, qid),
        qid,
        form.choice.data,
        sessions.elapsed_since(form.shown_ms(), play),
    )
    db.session.commit()
    return outcome


def question_context(play: PlaySession, progress: sessions.Progress) -> dict[str, Any]:
    """What a question page shows, web or kiosk: the round's next question."""
    question_id = progress.next_question_id
    return {
        "play": play,
        "question": question_of(play, question_id),
        "form": AnswerForm(question_id=question_id, shown=str(int(time.time() * 1000))),
        "number": progress.answered + 1,
        "total": progress.total,
    }


def reveal_context(play: PlaySession, given: Answer) -> dict[str, Any]:
    """What a reveal page shows, web or kiosk."""
    item = question_of(play, given.question_id)
    order = play.question_ids
    return {
        "play": play,
        "question": item,
        "answer": given,
        "flags": [(flag.name, flag.note or flag.meaning) for flag in item.red_flags],
        "number": order.index(given.question_id) + 1,
        "total": len(order),
        "is_last": play.is_over,  # the last answer closes the round
    }


def summary_context(play: PlaySession) -> dict[str, Any]:
    """What a summary page shows, web or kiosk."""
    deck = library().get(play.deck_id)
    result, review = sessions.summary(play, deck)
    return {
        "play": play,
        "deck": deck,
        "result": result,
        "review": review,
        "again": AgainForm(token=play.token),
    }


def start_form() -> StartForm:
    form = StartForm()
    form.deck.choices = {deck.id: deck.title for deck in library().decks}
    return form


@bp.get("/")
def home() -> str:
    """The decks to choose from, and Start."""
    return render_template(
        "play/home.html", form=start_form(), decks=library().decks, resume=unfinished_round()
    )


@bp.post("/play")
def start() -> Response | tuple[str, int]:
    """Start a round of the chosen deck (or of the class's deck) and go to its first question."""
    form = start_form()
    decks = library().decks
    if form.validate_on_submit():
        classroom = None
        if form.class_code.data:
            classroom = sessions.find_classroom(form.class_code.data)
            if classroom is None:
                form.class_code.errors.append(
                    f"No class uses the code '{form.class_code.data.strip()}'. Check it with your teacher."
                )
        deck_id = classroom.deck_id if classroom else form.deck.data
        if deck_id is None and len(decks) == 1:
            deck_id = decks[0].id
        deck = library().get(deck_id) if deck_id else None
        if deck is None and not form.class_code.errors:
            form.deck.errors.append(
                "Choose a deck to play." if not deck_id else "That deck is no longer here."
            )
        if deck is not None and not form.class_code.errors:
            play = sessions.start_session(
                deck,
                current_app.config["ROUND_SIZE"],
                mode="class" if classroom else "web",
                nickname=form.nickname.data,
                classroom=classroom,
            )
            db.session.commit()
            remember(play)
            return redirect(url_for("play.question", token=play.token))
    return render_template("play/home.html", form=form, decks=decks, resume=unfinished_round()), 400


@bp.get("/play/<token>")
def question(token: str) -> Response | str:
    """The round's next unanswered question, or the summary when all are answered."""
    play = owned_play_or_404(token)
    progress = sessions.progress(play)
    if progress.next_question_id is None or play.is_over:
        return redirect(url_for("play.summary", token=token))
    return render_template("play/question.html", **question_context(play, progress))


@bp.post("/play/<token>/answer")
def answer(token: str) -> Response:
    """Record the answer once, then show its reveal (a reload or replay changes nothing)."""
    form = AnswerForm()
    if not form.validate_on_submit():
        flash("Choose Plausible or Dubious to answer.")
        return redirect(url_for("play.question", token=token))
    # The form is read before the round: the writers' turn (see database.py) starts here.
    play = owned_play_or_404(token, for_update=True)
    outcome = record_from_form(play, form)
    if outcome is sessions.Outcome.NOT_IN_ROUND:
        flash("That question is not part of your round.")
        return redirect(url_for("play.question", token=token))
    if outcome is sessions.Outcome.ROUND_OVER:
        return redirect(url_for("play.summary", token=token))
    if outcome is sessions.Outcome.ALREADY_ANSWERED:
        flash("You had already answered this one: your first answer counts.")
    return redirect(url_for("play.reveal", token=token, question_id=form.question_id.data))


@bp.get("/play/<token>/reveal/<question_id>")
def reveal(token: str, question_id: str) -> Response | str:
    """Right or wrong, the verdict, why, the red flags and where to check."""
    play = owned_play_or_404(token)
    given = sessions.answer_to(play, question_id)
    if given is None:
        return redirect(url_for("play.question", token=token))
    return render_template("play/reveal.html", **reveal_context(play, given))


@bp.get("/play/<token>/summary")
def summary(token: str) -> Response | str:
    """The score, discernment and bias, and a review of every claim."""
    play = owned_play_or_404(token)
    if not play.is_over:
        return redirect(url_for("play.question", token=token))
    return render_template("play/summary.html", **summary_context(play))


@bp.post("/play/again")
def again() -> Response:
    """A new round of the same deck, keeping the nickname and the class."""
    form = AgainForm()
    if not form.validate_on_submit():
        flash("Press Start to play again.")
        return redirect(url_for("play.home"))
    previous = owned_play_or_404(form.token.data)
    deck = library().get(previous.deck_id)
    if deck is None:
        flash("That deck is no longer here: choose another one.")
        return redirect(url_for("play.home"))
    play = sessions.start_session(
        deck,
        current_app.config["ROUND_SIZE"],
        mode=previous.mode,
        nickname=previous.nickname,
        classroom=previous.classroom,
    )
    db.session.commit()
    remember(play)
    return redirect(url_for("play.question", token=play.token))


@bp.get("/healthz")
def healthz() -> tuple[str, int, dict[str, str]]:
    """Liveness for load balancers and the kiosk's reconnect check."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
