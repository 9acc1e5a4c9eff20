"""Class mode on the projector: a teacher starts a live round, shows one claim at a time,
shows the answer, and ends it; every phone follows. Registered on the teacher area's blueprint,
so only a logged-in teacher, and only the one whose class it is, moves a round on."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..extensions import db, decks
from ..models import Classroom, LiveRound
from ..qr import qr_svg
from ..services import classes, live
from .views import bp, own_classroom_or_404

#: Discussion prompts for the answer on the projector, by verdict.
PROMPTS = {
    "dubious": "What should have made us stop? Which words, which number, which credit?",
    "plausible": "Why did it sound wrong to some of us? How could we check it ourselves?",
}


def running_or_redirect(classroom: Classroom) -> LiveRound | Response:
    found = live.current(classroom, for_update=True)
    if found is None:
        flash("That live round has ended.")
        return redirect(url_for("teacher.host", class_id=classroom.id))
    return found


@bp.post("/classes/<int:class_id>/live")
def start_live(class_id: int) -> Response:
    """Start a live round of the class (or go back to the one running)."""
    classroom = own_classroom_or_404(class_id)
    if live.current(classroom) is None:
        if not classroom.is_open:
            classes.reopen(classroom)  # a live round needs its students to join
        live.start(classroom, decks.get_or_404(classroom.deck_id))
        db.session.commit()
    return redirect(url_for("teacher.host", class_id=class_id))


@bp.get("/classes/<int:class_id>/live")
def host(class_id: int) -> ResponseReturnValue:
    """The projector: the join code and who joined, then each claim, its answer, the summary."""
    classroom = own_classroom_or_404(class_id)
    deck = decks.get_or_404(classroom.deck_id)
    shown = live.current(classroom) or live.latest(classroom)
    if shown is None:
        return redirect(url_for("teacher.class_results", class_id=class_id))
    join_url = url_for("play.join", code=classroom.code, _external=True)
    question = deck.question(shown.current_question_id) if shown.current_question_id else None
    room = live.room(shown)
    summary = live.room_summary(shown) if shown.phase == live.ENDED else None
    return render_template(
        "teacher/live.html",
        classroom=classroom,
        live_round=shown,
        deck=deck,
        question=question,
        room=room,
        summary=summary,
        join_url=join_url,
        join_address=url_for("play.home", _external=True),
        qr=qr_svg(join_url),
        prompt=PROMPTS.get(question.answer, "") if question else "",
        number=shown.step + 1,
    )


@bp.get("/classes/<int:class_id>/live/state")
def host_state(class_id: int) -> Response:
    """What the projector polls: the round's version, who joined, how many answered."""
    classroom = own_classroom_or_404(class_id)
    shown = live.current(classroom) or live.latest(classroom)
    if shown is None:
        return jsonify(version=0, joined=[], answered=0)
    room = live.room(shown)
    response = jsonify(version=shown.version, joined=room.names, answered=room.answered)
    response.set_etag(f"v{shown.version}-{len(room.names)}-{room.answered}")
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


def _move(class_id: int, change) -> Response:  # type: ignore[no-untyped-def]
    classroom = own_classroom_or_404(class_id)
    running = running_or_redirect(classroom)
    if isinstance(running, LiveRound):
        change(running)
        db.session.commit()
    return redirect(url_for("teacher.host", class_id=class_id))


@bp.post("/classes/<int:class_id>/live/next")
def live_next(class_id: int) -> Response:
    """Next claim: on the projector and on every phone."""
    return _move(class_id, live.next_claim)


@bp.post("/classes/<int:class_id>/live/show")
def live_show(class_id: int) -> Response:
    """Show the answer: no more answers to this claim."""
    return _move(class_id, live.show_answer)


@bp.post("/classes/<int:class_id>/live/end")
def live_end(class_id: int) -> Response:
    """End the live round: the projector shows the class's summary, each phone its own."""
    return _move(class_id, live.end)


@bp.post("/classes/<int:class_id>/close")
def close_class(class_id: int) -> Response:
    """No new players; the results are kept."""
    return _open_or_close(
        class_id, classes.close, "is closed: its code takes no new players. Its results are kept."
    )


@bp.post("/classes/<int:class_id>/open")
def reopen_class(class_id: int) -> Response:
    return _open_or_close(class_id, classes.reopen, "is open again: students join with the code {code}.")


def _open_or_close(class_id: int, change: Callable[[Classroom], None], said: str) -> Response:
    classroom = own_classroom_or_404(class_id)
    change(classroom)
    db.session.commit()
    flash(f"“{classroom.name}” " + said.format(code=classroom.code))
    return redirect(url_for("teacher.class_results", class_id=class_id))
