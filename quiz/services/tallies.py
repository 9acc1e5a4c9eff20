"""The answer tallies: every answer counted by deck, class, question, confidence, choice and
correctness as it is stored, so that a results page adds up a few hundred rows instead of
reading every answer. Database work only; callers commit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement

from ..database import counting_insert
from ..extensions import db
from ..models import Answer, AnswerTally, PlaySession

KEY = ("deck_id", "classroom_id", "question_id", "confidence", "choice", "correct")


def count(play: PlaySession, question_id: str, choice: str, correct: bool, confidence: int | None) -> None:
    """Count one stored answer."""
    add = counting_insert(db.session.get_bind().dialect.name, AnswerTally.__table__, KEY)
    db.session.connection().execute(
        add,
        {
            "deck_id": play.deck_id,
            "classroom_id": play.classroom_id or 0,
            "question_id": question_id,
            "confidence": confidence or 0,
            "choice": choice,
            "correct": correct,
            "count": 1,
        },
    )


def _grouped(rounds: ColumnElement[bool]) -> Any:
    """The answers of these rounds, counted as the tallies count them."""
    return (
        db.select(
            PlaySession.deck_id,
            db.func.coalesce(PlaySession.classroom_id, 0),
            Answer.question_id,
            db.func.coalesce(Answer.confidence, 0),
            Answer.choice,
            Answer.correct,
            db.func.count(Answer.id),
        )
        .join(PlaySession, Answer.session_id == PlaySession.id)
        .where(rounds)
        .group_by(*(db.literal_column(str(n)) for n in range(1, 7)))
    )


def forget(rounds: ColumnElement[bool]) -> None:
    """Take the answers of these rounds off the tallies (before the rounds are deleted)."""
    table = AnswerTally.__table__
    for *key, number in db.session.execute(_grouped(rounds)).all():
        db.session.execute(
            db.update(table)
            .where(*(table.c[name] == value for name, value in zip(KEY, key, strict=True)))
            .values(count=table.c.count - number)
        )
    db.session.execute(db.delete(table).where(table.c.count <= 0))


def rebuild() -> None:
    """Count every stored answer again (after answers were written some other way)."""
    db.session.execute(db.delete(AnswerTally))
    columns = [*KEY, "count"]
    db.session.execute(db.insert(AnswerTally).from_select(columns, _grouped(db.true())))


def figures(
    deck_id: str, classroom_ids: ColumnElement[bool] | None
) -> Iterator[tuple[str, int | None, str, bool, int]]:
    """(question id, confidence or None, choice, correct, how many) for a deck's answers, in the
    classes `classroom_ids` selects (a condition on AnswerTally.classroom_id), or in all."""
    where = [AnswerTally.deck_id == deck_id]
    if classroom_ids is not None:
        where.append(classroom_ids)
    rows = db.session.execute(
        db.select(
            AnswerTally.question_id,
            AnswerTally.confidence,
            AnswerTally.choice,
            AnswerTally.correct,
            db.func.sum(AnswerTally.count),
        )
        .where(*where)
        .group_by(AnswerTally.question_id, AnswerTally.confidence, AnswerTally.choice, AnswerTally.correct)
    )
    for qid, level, choice, correct, number in rows:
        yield qid, level or None, choice, bool(correct), int(number or 0)
