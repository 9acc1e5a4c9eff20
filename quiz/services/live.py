"""Live rounds: a class plays one claim at a time, as its teacher shows them on the projector.

All of a live round's state is in its row (phase, step, version) and in the players' rounds and
answers, so any worker of any server answers any phone or projector, and a reload, another
device or a restart loses nothing. Database work only; the calling view commits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..decks import Deck
from ..extensions import db
from ..game import Discernment, discernment, draw_round
from ..models import Answer, Classroom, LiveRound, PlaySession, utcnow

LOBBY, QUESTION, ANSWER, ENDED = "lobby", "question", "answer", "ended"


def current(classroom: Classroom, *, for_update: bool = False) -> LiveRound | None:
    """The class's live round that has not ended, if any (locked for a change, when asked)."""
    query = (
        db.select(LiveRound)
        .where(LiveRound.classroom_id == classroom.id, LiveRound.phase != ENDED)
        .order_by(LiveRound.id.desc())
        .limit(1)
    )
    if for_update:
        query = query.with_for_update().execution_options(writes=True)
    return db.session.scalar(query)


def latest(classroom: Classroom) -> LiveRound | None:
    """The class's most recent live round, ended or not."""
    return db.session.scalar(
        db.select(LiveRound)
        .where(LiveRound.classroom_id == classroom.id)
        .order_by(LiveRound.id.desc())
        .limit(1)
    )


def start(classroom: Classroom, deck: Deck) -> LiveRound:
    """A new live round of the class's deck (every claim, the verdicts mixed), in its lobby."""
    live = LiveRound(
        classroom_id=classroom.id, question_order=json.dumps(draw_round(deck.questions, len(deck.questions)))
    )
    db.session.add(live)
    db.session.flush()
    return live


def _changed(live: LiveRound) -> None:
    live.version += 1


def next_claim(live: LiveRound) -> None:
    """Show the next claim (from the lobby, or after an answer); past the last one, end."""
    if live.phase == QUESTION:
        return  # a second press of Next claim before Show the answer changes nothing
    if live.step + 1 >= len(live.question_ids):
        end(live)
        return
    live.step += 1
    live.phase = QUESTION
    _changed(live)


def show_answer(live: LiveRound) -> None:
    """Stop taking answers to the current claim and show its verdict."""
    if live.phase == QUESTION:
        live.phase = ANSWER
        _changed(live)


def end(live: LiveRound) -> None:
    """End the round: every player's round closes, with the claims that were shown."""
    if live.phase == ENDED:
        return
    shown = live.question_ids[: live.step + 1] if live.phase != LOBBY else []
    db.session.execute(
        db.update(PlaySession)
        .where(PlaySession.live_round_id == live.id, PlaySession.finished_at.is_(None))
        .values(finished_at=utcnow(), question_order=json.dumps(shown))
    )
    live.phase = ENDED
    live.ended_at = utcnow()
    _changed(live)


@dataclass(frozen=True)
class Step:
    """What a phone shows now: `kind` is wait, question, reveal or summary."""

    kind: str
    question_id: str | None = None
    message: str = ""


def step_for(play: PlaySession, answered: set[str]) -> Step:
    """The page a player of a live round is on, from the round's phase and their answers."""
    live = play.live_round
    if live is None or live.phase == ENDED or play.is_over:
        return Step("summary")
    qid = live.current_question_id
    if live.phase == LOBBY or qid is None:
        return Step("wait", message="Waiting for your teacher to show the first claim.")
    if live.phase == QUESTION:
        if qid in answered:
            return Step("wait", qid, "Answer saved: wait for your teacher to show the answer.")
        return Step("question", qid)
    if qid in answered:
        return Step("reveal", qid)
    return Step("wait", qid, "The answer is on the projector: you did not answer this one.")


def takes_answer(play: PlaySession, question_id: str) -> bool:
    """Whether the live round takes an answer to this question now (read under a share lock,
    so Show the answer and an answer never cross)."""
    live = db.session.scalar(
        db.select(LiveRound).where(LiveRound.id == play.live_round_id).with_for_update(read=True)
    )
    return live is not None and live.phase == QUESTION and live.current_question_id == question_id


def revealed(play: PlaySession, question_id: str) -> bool:
    """Whether the player may see this question's reveal yet."""
    live = play.live_round
    if live is None or live.phase == ENDED:
        return True
    order = live.question_ids
    if question_id not in order:
        return False
    position = order.index(question_id)
    return position < live.step or (position == live.step and live.phase == ANSWER)


def poll_version(token: str) -> int | None:
    """The live round's version for a player's round (one small query): what phones poll."""
    return db.session.scalar(
        db.select(LiveRound.version)
        .join(PlaySession, PlaySession.live_round_id == LiveRound.id)
        .where(PlaySession.token == token)
    )


@dataclass(frozen=True)
class Room:
    """What the projector shows: who joined, how many answered, and how they voted."""

    names: list[str]
    answered: int
    plausible: int
    dubious: int


def room(live: LiveRound) -> Room:
    """The players who joined (in order) and the current claim's answers, counted."""
    names = list(
        db.session.scalars(
            db.select(PlaySession.nickname)
            .where(PlaySession.live_round_id == live.id)
            .order_by(PlaySession.id)
        )
    )
    plausible = dubious = 0
    qid = live.current_question_id
    if qid is not None:
        rows = db.session.execute(
            db.select(Answer.choice, db.func.count())
            .join(PlaySession, Answer.session_id == PlaySession.id)
            .where(PlaySession.live_round_id == live.id, Answer.question_id == qid)
            .group_by(Answer.choice)
        )
        counts = dict(rows.all())
        plausible, dubious = counts.get("plausible", 0), counts.get("dubious", 0)
    return Room([n or "anonymous" for n in names], plausible + dubious, plausible, dubious)


@dataclass(frozen=True)
class Fooled:
    """A claim of the live round and how many of the room it fooled."""

    question_id: str
    wrong: int
    answered: int


def room_summary(live: LiveRound) -> tuple[Discernment, list[Fooled]]:
    """The room's discernment over the live round, and the claims that fooled it most."""
    rows = db.session.execute(
        db.select(Answer.question_id, Answer.choice, Answer.correct)
        .join(PlaySession, Answer.session_id == PlaySession.id)
        .where(PlaySession.live_round_id == live.id)
    ).all()
    pairs = []
    tally: dict[str, list[int]] = {}
    for qid, choice, correct in rows:
        verdict = choice if correct else ("plausible" if choice == "dubious" else "dubious")
        pairs.append((verdict, choice))
        counts = tally.setdefault(qid, [0, 0])
        counts[0] += not correct
        counts[1] += 1
    fooled = sorted(
        (Fooled(qid, wrong, n) for qid, (wrong, n) in tally.items() if wrong),
        key=lambda f: (-f.wrong / f.answered, -f.answered, f.question_id),
    )
    return discernment(pairs), fooled
