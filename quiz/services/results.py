"""Results for teachers: players, questions, what fooled the class and how sure it was.

The figures of the questions come from the answer tallies (services/tallies.py), players are
counted by the database, and only the players listed are read one by one, at most
PLAYERS_SHOWN of them, the latest: a page costs about the same with a hundred rounds as with a
hundred thousand. A teacher sees their own classes' players, an admin everyone's.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_

from ..decks import Deck
from ..decks.formats.csv_format import neutralise
from ..extensions import db
from ..game import Calibration, Discernment, FlagTally, from_counts, weighted_calibration
from ..models import Answer, AnswerTally, Classroom, PlaySession, Teacher, utcnow
from . import tallies

#: An unfinished round with a start or an answer this recent counts as "playing now" (the page
#: refreshes); one left alone longer is someone who walked away.
PLAYING_WINDOW = timedelta(minutes=10)
#: ... in a round started at most this long ago.
PLAYING_STARTED_WITHIN = timedelta(hours=12)
#: Players listed on a results page (the CSV has every answer).
PLAYERS_SHOWN = 200
#: An answer sooner than this after its claim appeared was not read.
TOO_FAST_MS = 1500
#: Claims that this share of the answerers got wrong while Very sure are confident errors.
CONFIDENT_ERROR_SHARE = 0.3


@dataclass(frozen=True)
class PlayerResult:
    """One round as a teacher sees it."""

    session_id: int
    nickname: str
    started_at: datetime
    finished: bool
    answered: int
    total: int
    result: Discernment
    too_fast: int  # answers given sooner than anyone can read the claim

    @property
    def rushed(self) -> bool:
        """Most answers came faster than a claim can be read."""
        return self.too_fast * 2 > self.answered


@dataclass(frozen=True)
class QuestionResult:
    """How one question went across players."""

    question_id: str
    claim: str
    verdict: str
    answered: int
    correct: int
    sure_and_wrong: int = 0

    @property
    def share_correct(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def share_sure_and_wrong(self) -> float:
        return self.sure_and_wrong / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class AnswerDetail:
    """One answer in a player's detail: the claim, the choice and how long it took."""

    claim: str
    choice: str
    correct: bool
    confidence: int | None
    elapsed_ms: int | None
    answered_at: datetime


@dataclass(frozen=True)
class Results:
    players: list[PlayerResult]
    player_count: int
    questions: list[QuestionResult]
    playing_now: bool
    calibration: Calibration
    missed_flags: list[FlagTally]
    class_result: Discernment
    details: dict[int, list[AnswerDetail]] = field(default_factory=dict)

    def fooled_most(self, verdict: str) -> list[QuestionResult]:
        """Questions of one verdict that fooled someone, those that fooled most players first."""
        fooled = [q for q in self.questions if q.verdict == verdict and q.correct < q.answered]
        return sorted(fooled, key=lambda q: (q.share_correct, -q.answered, q.question_id))

    @property
    def confident_errors(self) -> list[QuestionResult]:
        """Claims that at least CONFIDENT_ERROR_SHARE of the answerers got wrong while Very sure."""
        errors = [q for q in self.questions if q.answered and q.share_sure_and_wrong >= CONFIDENT_ERROR_SHARE]
        return sorted(errors, key=lambda q: (-q.share_sure_and_wrong, q.question_id))


def _rounds(deck_id: str, classroom: Classroom | None, viewer: Teacher | None) -> ColumnElement[bool]:
    """Which rounds a results page covers: a class's, or a deck's that this teacher may see."""
    where = PlaySession.deck_id == deck_id
    classes = _in_classes(PlaySession.classroom_id, classroom, viewer)
    return where if classes is None else and_(where, classes)


def _in_classes(
    column: ColumnElement[Any], classroom: Classroom | None, viewer: Teacher | None
) -> ColumnElement[bool] | None:
    """The classes a results page covers, as a condition on a class id column: one class, a
    teacher's own classes, or None for all (an admin, or a command)."""
    if classroom is not None:
        return column == classroom.id
    if viewer is None or viewer.is_admin:
        return None
    return column.in_(db.select(Classroom.id).where(Classroom.teacher_id == viewer.id))


def results(
    deck: Deck, classroom: Classroom | None = None, viewer: Teacher | None = None, *, details: bool = False
) -> Results:
    """The figures of a deck's rounds (one class's, or those `viewer` may see)."""
    where = _rounds(deck.id, classroom, viewer)
    # A player is a round with at least one answer: a Start pressed and left is nobody's result.
    answered = db.select(Answer.id).where(Answer.session_id == PlaySession.id).exists()
    player_count = db.session.scalar(db.select(func.count(PlaySession.id)).where(where, answered)) or 0
    latest = list(
        db.session.scalars(
            db.select(PlaySession.id)
            .where(where, answered)
            .order_by(PlaySession.started_at.desc(), PlaySession.id.desc())
            .limit(PLAYERS_SHOWN)
        )
    )
    counts = [
        func.sum(case((and_(Answer.choice == "dubious", Answer.correct), 1), else_=0)),
        func.sum(case((and_(Answer.choice == "plausible", ~Answer.correct), 1), else_=0)),
        func.sum(case((and_(Answer.choice == "plausible", Answer.correct), 1), else_=0)),
        func.sum(case((and_(Answer.choice == "dubious", ~Answer.correct), 1), else_=0)),
    ]
    too_fast = func.sum(case((Answer.elapsed_ms < TOO_FAST_MS, 1), else_=0))
    rows = db.session.execute(
        db.select(
            PlaySession.id,
            PlaySession.nickname,
            PlaySession.started_at,
            PlaySession.finished_at,
            PlaySession.question_order,
            func.count(Answer.id),
            *counts,
            too_fast,
        )
        .join(Answer, Answer.session_id == PlaySession.id)
        .where(PlaySession.id.in_(latest))
        .group_by(PlaySession.id)
        .order_by(PlaySession.started_at, PlaySession.id)
    ).all()
    players = [
        PlayerResult(
            session_id=sid,
            nickname=nickname or "anonymous",
            started_at=started,
            finished=finished is not None,
            answered=answered,
            total=len(json.loads(order)),
            result=from_counts(int(h or 0), int(m or 0), int(t or 0), int(d or 0)),
            too_fast=int(fast or 0),
        )
        for sid, nickname, started, finished, order, answered, h, m, t, d, fast in rows
    ]
    # The question figures and the calibration come from the answer tallies: a few hundred rows
    # whatever the number of rounds.
    figures: dict[str, list[int]] = {}  # question id -> answered, right, sure and wrong, dubious
    counted = list(tallies.figures(deck.id, _in_classes(AnswerTally.classroom_id, classroom, viewer)))
    for qid, level, choice, correct, n in counted:
        tally = figures.setdefault(qid, [0, 0, 0, 0])
        tally[0] += n
        tally[1] += n if correct else 0
        tally[2] += n if level == 3 and not correct else 0
        tally[3] |= (choice == "dubious") == correct  # the verdict was dubious
    questions = [
        QuestionResult(q.id, q.claim, q.answer, *figures.get(q.id, [0, 0, 0])[:3]) for q in deck.questions
    ]
    # Questions since removed from the deck keep their figures.
    questions += [
        QuestionResult(
            qid, f"(no longer in the deck: '{qid}')", "dubious" if dub else "plausible", n, right, sure
        )
        for qid, (n, right, sure, dub) in figures.items()
        if deck.question(qid) is None
    ]
    missed: dict[str, list[str]] = {}
    for q in questions:
        item = deck.question(q.question_id)
        if item is None or item.answer != "dubious" or q.correct == q.answered:
            continue
        for flag in item.red_flags:
            missed.setdefault(flag.flag, []).extend([item.claim] * (q.answered - q.correct))
    missed_flags = sorted(
        (FlagTally(f, tuple(c)) for f, c in missed.items()), key=lambda t: (-len(t.claims), t.name)
    )
    recent = utcnow() - PLAYING_WINDOW
    playing_now = db.session.scalar(
        db.select(func.count())
        .select_from(PlaySession)
        .where(
            where,
            PlaySession.finished_at.is_(None),
            PlaySession.abandoned_at.is_(None),
            # Only rounds of the last 12 hours are looked at (an index range), and their answers.
            PlaySession.started_at >= utcnow() - PLAYING_STARTED_WITHIN,
            or_(
                PlaySession.started_at >= recent,
                db.select(Answer.id)
                .where(Answer.session_id == PlaySession.id, Answer.answered_at >= recent)
                .exists(),
            ),
        )
    )
    whole = [
        sum(getattr(p.result, name) for p in players) for name in ("dubious_caught", "plausible_trusted")
    ]
    totals = [sum(getattr(p.result, name) for p in players) for name in ("dubious_total", "plausible_total")]
    return Results(
        players=players,
        player_count=player_count,
        questions=questions,
        playing_now=bool(playing_now),
        calibration=weighted_calibration((level, right, n) for _, level, _, right, n in counted),
        missed_flags=missed_flags,
        class_result=from_counts(whole[0], totals[0] - whole[0], whole[1], totals[1] - whole[1]),
        details=_details(deck, [p.session_id for p in players]) if details else {},
    )


def _details(deck: Deck, session_ids: list[int]) -> dict[int, list[AnswerDetail]]:
    """Each listed player's answers, in the order given (for a class: a few hundred rows)."""
    found: dict[int, list[AnswerDetail]] = {sid: [] for sid in session_ids}
    if not session_ids:
        return found
    for answer in db.session.scalars(
        db.select(Answer).where(Answer.session_id.in_(session_ids)).order_by(Answer.session_id, Answer.id)
    ):
        item = deck.question(answer.question_id)
        found[answer.session_id].append(
            AnswerDetail(
                claim=item.claim if item else answer.question_id,
                choice=answer.choice,
                correct=answer.correct,
                confidence=answer.confidence,
                elapsed_ms=answer.elapsed_ms,
                answered_at=answer.answered_at,
            )
        )
    return found


CSV_HEADER = (
    "session",
    "nickname",
    "class_code",
    "question_id",
    "claim",
    "choice",
    "verdict",
    "correct",
    "confidence",
    "answered_at",
    "elapsed_ms",
)


def answers_csv(
    deck: Deck, classroom: Classroom | None = None, viewer: Teacher | None = None
) -> Iterator[str]:
    """Every answer as CSV rows, streamed, cells that a spreadsheet would run made inert."""
    query = (
        db.select(Answer, PlaySession.nickname, Classroom.code)
        .join(PlaySession, Answer.session_id == PlaySession.id)
        .outerjoin(Classroom, PlaySession.classroom_id == Classroom.id)
        .where(_rounds(deck.id, classroom, viewer))
        .order_by(PlaySession.id, Answer.id)
        .execution_options(yield_per=1000)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_HEADER)
    yield "\ufeff" + flush()
    for number, (answer, nickname, code) in enumerate(db.session.execute(query), start=1):
        question = deck.question(answer.question_id)
        row = (
            answer.session_id,
            nickname or "anonymous",
            code or "",
            answer.question_id,
            question.claim if question else "",
            answer.choice,
            answer.verdict,
            "yes" if answer.correct else "no",
            answer.confidence or "",
            answer.answered_at.isoformat(timespec="seconds"),
            "" if answer.elapsed_ms is None else answer.elapsed_ms,
        )
        writer.writerow([neutralise(str(cell)) for cell in row])
        if number % 500 == 0:
            yield flush()
    yield flush()
