"""Results for teachers: each player's score and discernment, each question's share correct."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..decks import Deck
from ..decks.formats.csv_format import neutralise
from ..extensions import db
from ..game import Discernment, discernment
from ..models import Answer, Classroom, PlaySession, utcnow

#: An unfinished round with a start or an answer this recent counts as "playing now" (the page
#: refreshes); one left alone longer is someone who walked away.
PLAYING_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class PlayerResult:
    """One play session as a teacher sees it."""

    nickname: str
    started_at: datetime
    finished: bool
    answered: int
    total: int
    result: Discernment


@dataclass(frozen=True)
class QuestionResult:
    """How one question went across players."""

    question_id: str
    claim: str
    verdict: str
    answered: int
    correct: int

    @property
    def share_correct(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class Results:
    players: list[PlayerResult]
    questions: list[QuestionResult]
    playing_now: bool

    def fooled_most(self, verdict: str) -> list[QuestionResult]:
        """Questions of one verdict that fooled someone, those that fooled most players first."""
        fooled = [q for q in self.questions if q.verdict == verdict and q.correct < q.answered]
        return sorted(fooled, key=lambda q: (q.share_correct, -q.answered, q.question_id))


def _sessions_query(deck_id: str, classroom: Classroom | None):  # type: ignore[no-untyped-def]
    query = db.select(PlaySession).where(PlaySession.deck_id == deck_id)
    if classroom is not None:
        query = query.where(PlaySession.classroom_id == classroom.id)
    return query


def results(deck: Deck, classroom: Classroom | None = None) -> Results:
    """Every player's result and every question's figures for a deck, or one class's play of it."""
    plays = list(db.session.scalars(_sessions_query(deck.id, classroom).order_by(PlaySession.started_at)))
    answers = db.session.scalars(
        db.select(Answer).where(
            Answer.session_id.in_(_sessions_query(deck.id, classroom).with_only_columns(PlaySession.id))
        )
    )
    by_session: dict[int, list[tuple[str, str]]] = defaultdict(list)
    last_seen = {play.id: _naive(play.started_at) for play in plays}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    verdicts: dict[str, str] = {}
    for answer in answers:
        by_session[answer.session_id].append((answer.verdict, answer.choice))
        last_seen[answer.session_id] = max(last_seen[answer.session_id], _naive(answer.answered_at))
        counts[answer.question_id][0] += 1
        counts[answer.question_id][1] += bool(answer.correct)
        verdicts.setdefault(answer.question_id, answer.verdict)
    # A player is a round with at least one answer: a Start pressed and left is nobody's result.
    players = [
        PlayerResult(
            nickname=play.nickname or "anonymous",
            started_at=play.started_at,
            finished=play.finished_at is not None,
            answered=len(by_session[play.id]),
            total=len(play.question_ids),
            result=discernment(by_session[play.id]),
        )
        for play in plays
        if by_session[play.id]
    ]
    questions = [QuestionResult(q.id, q.claim, q.answer, *counts.get(q.id, (0, 0))) for q in deck.questions]
    # Questions since removed from the deck keep their figures.
    questions += [
        QuestionResult(qid, f"(no longer in the deck: '{qid}')", verdicts[qid], *counts[qid])
        for qid in counts
        if deck.question(qid) is None
    ]
    recent = _naive(utcnow()) - PLAYING_WINDOW
    playing_now = any(not p.is_over and last_seen[p.id] >= recent for p in plays)
    return Results(players, questions, playing_now)


def _naive(moment: datetime) -> datetime:
    """A UTC time without its zone (SQLite gives naive times, PostgreSQL aware ones)."""
    return moment.replace(tzinfo=None)


CSV_HEADER = (
    "session",
    "nickname",
    "class_code",
    "question_id",
    "claim",
    "choice",
    "verdict",
    "correct",
    "answered_at",
    "elapsed_ms",
)


def answers_csv(deck: Deck, classroom: Classroom | None = None) -> Iterator[str]:
    """Every answer as CSV rows, cells that a spreadsheet would run made inert."""
    query = (
        db.select(Answer, PlaySession)
        .join(PlaySession)
        .where(PlaySession.id.in_(_sessions_query(deck.id, classroom).with_only_columns(PlaySession.id)))
        .order_by(PlaySession.id, Answer.id)
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
    for answer, play in db.session.execute(query):
        question = deck.question(answer.question_id)
        row = (
            play.id,
            play.nickname or "anonymous",
            play.classroom.code if play.classroom else "",
            answer.question_id,
            question.claim if question else "",
            answer.choice,
            answer.verdict,
            "yes" if answer.correct else "no",
            answer.answered_at.isoformat(timespec="seconds"),
            "" if answer.elapsed_ms is None else answer.elapsed_ms,
        )
        writer.writerow([neutralise(str(cell)) for cell in row])
        yield flush()
