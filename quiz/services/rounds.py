"""A player's rounds, the same on every screen: start one, the next question, answer it, its
reveal, the summary, resume and abandon. Database work only; the calling view commits."""

from __future__ import annotations

import enum
import functools
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CursorResult, Executable, Insert

from ..database import insert_for
from ..decks import Deck, Question
from ..extensions import db, decks
from ..game import (
    Calibration,
    Discernment,
    FlagTally,
    calibration,
    discernment,
    draw_practice,
    draw_round,
    red_flags,
    streak,
)
from ..models import Answer, Classroom, LiveRound, PlaySession, utcnow
from . import live, tallies


class Outcome(enum.Enum):
    """What became of a submitted answer."""

    RECORDED = "recorded"
    ALREADY_ANSWERED = "already answered"
    NOT_IN_ROUND = "not in this round"
    ROUND_OVER = "round over"
    NOT_NOW = "not taken now"  # a live round: not the claim on show, or its answer is shown


def start(
    deck: Deck,
    size: int,
    *,
    mode: str = "web",
    nickname: str | None = None,
    classroom: Classroom | None = None,
    seed: int | str | None = None,
    question_ids: list[str] | None = None,
    live_round: LiveRound | None = None,
) -> PlaySession:
    """A new play session with its round drawn from the deck (or with these questions, or those
    of the live round it joins)."""
    if live_round is not None:
        question_ids = live_round.question_ids
    order = question_ids if question_ids is not None else draw_round(deck.questions, size, seed)
    play = PlaySession(
        token=secrets.token_urlsafe(16),
        deck_id=deck.id,
        mode=mode,
        nickname=(nickname or "").strip() or None,
        classroom_id=classroom.id if classroom else None,
        live_round_id=live_round.id if live_round else None,
        question_order=json.dumps(order),
    )
    db.session.add(play)
    db.session.flush()
    return play


# The statements of every page of a round, built once: building one costs more than running it.
_SESSION_BY_TOKEN = db.select(PlaySession).where(PlaySession.token == db.bindparam("token"))
_SESSION_BY_TOKEN_LOCKED = _SESSION_BY_TOKEN.with_for_update().execution_options(writes=True)
_ANSWERED_IDS = db.select(Answer.question_id).where(Answer.session_id == db.bindparam("session_id"))
_ANSWER_COUNT = (
    db.select(db.func.count()).select_from(Answer).where(Answer.session_id == db.bindparam("session_id"))
)
_ANSWER_TO = db.select(Answer).where(
    Answer.session_id == db.bindparam("session_id"), Answer.question_id == db.bindparam("question_id")
)


def find(token: str, *, for_update: bool = False) -> PlaySession | None:
    """The round with this token, or None; `for_update` locks its row until the commit (and, on
    SQLite, takes the writer's turn), so one player's answers are recorded one after another."""
    return db.session.scalar(_SESSION_BY_TOKEN_LOCKED if for_update else _SESSION_BY_TOKEN, {"token": token})


def find_many(tokens: list[str]) -> dict[str, PlaySession]:
    """The rounds with these tokens (one query), by token; unknown tokens are left out."""
    if not tokens:
        return {}
    rounds = db.session.scalars(db.select(PlaySession).where(PlaySession.token.in_(tokens)))
    return {play.token: play for play in rounds}


def deck_of(play: PlaySession) -> Deck | None:
    """The round's deck, or None when it is no longer loaded."""
    return decks.get(play.deck_id)


def question(play: PlaySession, question_id: str) -> Question | None:
    """A question of the round's deck, or None when the deck (or the question) is gone."""
    deck = deck_of(play)
    return deck.question(question_id) if deck else None


@dataclass(frozen=True)
class Progress:
    """How far a player is in a round."""

    answered: int
    total: int
    next_question_id: str | None  # the first question not yet answered; None when all are


def _run(statement: Executable, params: dict[str, object]) -> CursorResult[Any]:
    """Run a Core statement on the session's connection, in its transaction: the ORM's own
    execute costs more than these small statements themselves."""
    return db.session.connection().execute(statement, params)


def answered_ids(play: PlaySession) -> set[str]:
    """The ids of the round's questions answered so far."""
    return set(_run(_ANSWERED_IDS, {"session_id": play.id}).scalars())


def progress(play: PlaySession) -> Progress:
    """How many questions are answered, and which comes next (reading only their ids)."""
    done = set(_run(_ANSWERED_IDS, {"session_id": play.id}).scalars())
    order = play.question_ids
    return Progress(len(done), len(order), next((qid for qid in order if qid not in done), None))


def answer_to(play: PlaySession, question_id: str) -> Answer | None:
    """The player's answer to one question of the round, or None."""
    return db.session.scalar(_ANSWER_TO, {"session_id": play.id, "question_id": question_id})


def answer(
    play: PlaySession,
    question_id: str,
    choice: str,
    *,
    confidence: int | None = None,
    shown_ms: int | None = None,
) -> Outcome:
    """Store one answer to a question of the round, once. The verdict comes from the deck, never
    from the client; the last answer closes the round."""
    if play.is_over:
        return Outcome.ROUND_OVER
    order = play.question_ids
    item = question(play, question_id)
    if item is None or question_id not in order:
        return Outcome.NOT_IN_ROUND
    if play.live_round_id is not None and not live.takes_answer(play, question_id):
        return Outcome.NOT_NOW
    correct = item.is_correct(choice)
    stored = _run(
        _insert_answer_once(db.session.get_bind().dialect.name),
        {
            "session_id": play.id,
            "question_id": question_id,
            "choice": choice,
            "correct": correct,
            "elapsed_ms": _elapsed_since(shown_ms, play),
            "answered_at": utcnow(),
            "confidence": confidence,
        },
    ).first()
    if stored is None:
        # A reload, a replay, or the same answer racing in: the (session, question) key kept the first.
        return Outcome.ALREADY_ANSWERED
    tallies.count(play, question_id, choice, correct, confidence)
    # A live round ends when its teacher ends it; a round of one's own, with its last answer.
    if play.live_round_id is None and _run(_ANSWER_COUNT, {"session_id": play.id}).scalar_one() >= len(order):
        play.finished_at = utcnow()
    return Outcome.RECORDED


@functools.cache
def _insert_answer_once(dialect: str) -> Insert:
    """INSERT ... ON CONFLICT (session_id, question_id) DO NOTHING RETURNING id, in the dialect."""
    table = Answer.__table__
    once = insert_for(dialect)(table).on_conflict_do_nothing(index_elements=["session_id", "question_id"])
    return once.returning(table.c.id)


def abandon(play: PlaySession) -> None:
    """Close a round that its player walked away from."""
    if not play.is_over:
        play.abandoned_at = utcnow()


@dataclass(frozen=True)
class Review:
    """One line of the summary: a claim, the player's answer and the verdict."""

    question_id: str
    claim: str
    choice: str
    verdict: str
    correct: bool
    confidence: int | None = None
    question: Question | None = None


@dataclass(frozen=True)
class Summary:
    """What a finished round teaches: discernment, each claim, the red flags missed and caught,
    and how sure the player was against how often they were right (over their recent rounds)."""

    result: Discernment
    review: list[Review]
    missed_flags: list[FlagTally]
    caught_flags: list[FlagTally]
    calibration: Calibration
    can_practise: bool


def summary(play: PlaySession, recent: list[PlaySession] | None = None) -> Summary:
    """The round's summary; `recent` are the player's other rounds for calibration and practice."""
    deck = deck_of(play)
    by_id = {answer.question_id: answer for answer in play.answers}
    review = []
    for qid in play.question_ids:
        answer = by_id.get(qid)
        if answer is None:
            continue
        question = deck.question(qid) if deck else None
        review.append(
            Review(
                question_id=qid,
                claim=question.claim if question else f"(question '{qid}' is no longer in the deck)",
                choice=answer.choice,
                verdict=answer.verdict,
                correct=answer.correct,
                confidence=answer.confidence,
                question=question,
            )
        )
    missed, caught = red_flags((r.question, r.choice) for r in review if r.question is not None)
    rounds = [play, *(other for other in recent or [] if other.id != play.id)]
    rated = db.session.execute(
        db.select(Answer.confidence, Answer.correct).where(
            Answer.session_id.in_([p.id for p in rounds]), Answer.confidence.is_not(None)
        )
    )
    return Summary(
        result=discernment((r.verdict, r.choice) for r in review),
        review=review,
        missed_flags=missed,
        caught_flags=caught,
        calibration=calibration(rated),
        can_practise=any(not r.correct for r in review) and deck is not None,
    )


def practice(deck: Deck, plays: list[PlaySession], size: int) -> list[str]:
    """A practice round of a deck: the claims answered wrong in these rounds of it, newest first,
    topped up with claims not seen yet (see game.draw_practice)."""
    answered = db.session.execute(
        db.select(Answer.question_id, Answer.correct)
        .where(Answer.session_id.in_([p.id for p in plays if p.deck_id == deck.id]))
        .order_by(Answer.answered_at.desc(), Answer.id.desc())
    ).all()
    missed = [qid for qid, correct in answered if not correct]
    return draw_practice(deck.questions, missed, [qid for qid, _ in answered], size)


def streak_at(play: PlaySession, question_id: str) -> int:
    """Right answers in a row, in the order given, up to and including this question's."""
    outcomes = []
    for answer in play.answers:  # in the order they were given
        outcomes.append(answer.correct)
        if answer.question_id == question_id:
            break
    return streak(outcomes)


def _elapsed_since(shown_ms: int | None, play: PlaySession) -> int | None:
    """Milliseconds since a question was shown, from the page's timestamp, kept within the round."""
    if shown_ms is None:
        return None
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    started = play.started_at
    if started.tzinfo is None:  # SQLite returns naive datetimes
        started = started.replace(tzinfo=UTC)
    start_ms = int(started.timestamp() * 1000)
    if not start_ms <= shown_ms <= now_ms:
        return None
    return now_ms - shown_ms


@dataclass(frozen=True)
class BestScore:
    """One line of the kiosk's board of the day: a generated name (or none) and a score."""

    nickname: str | None
    score: int
    total: int
    finished_at: datetime


def best_kiosk_scores(deck_id: str, since: datetime, limit: int = 5) -> list[BestScore]:
    """The best finished kiosk rounds of a deck since `since` (UTC), best first; on a tie the
    latest first (a morning's scripted perfect rounds do not hold the board all day), and one
    line per name (its best, latest round)."""
    score = db.func.sum(db.case((Answer.correct, 1), else_=0)).label("score")
    scored = (
        db.select(
            PlaySession.id,
            PlaySession.nickname,
            score,
            db.func.count(Answer.id).label("total"),
            PlaySession.finished_at,
        )
        .join(Answer, Answer.session_id == PlaySession.id)
        .where(
            PlaySession.mode == "kiosk",
            PlaySession.deck_id == deck_id,
            PlaySession.finished_at >= since,
            PlaySession.abandoned_at.is_(None),
        )
        .group_by(PlaySession.id)
        .subquery()
    )
    best_first = (scored.c.score.desc(), scored.c.finished_at.desc(), scored.c.id.desc())
    # A round without a name is a line of its own.
    name = db.func.coalesce(scored.c.nickname, db.cast(scored.c.id, db.String) + "\n")
    ranked = db.select(
        scored, db.func.row_number().over(partition_by=name, order_by=best_first).label("rank")
    ).subquery()
    rows = db.session.execute(
        db.select(ranked.c.nickname, ranked.c.score, ranked.c.total, ranked.c.finished_at)
        .where(ranked.c.rank == 1)
        .order_by(ranked.c.score.desc(), ranked.c.finished_at.desc(), ranked.c.id.desc())
        .limit(limit)
    )
    return [
        BestScore(nickname, int(points), int(total), finished) for nickname, points, total, finished in rows
    ]
