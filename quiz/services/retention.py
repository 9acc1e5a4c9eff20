"""What the database keeps, and for how long: rounds nobody answered go after a day, other
rounds after the retention period (a class's rounds stay while the class exists), and ended
throttle windows go at once. Database work only; callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement

from ..extensions import db
from ..models import Answer, PlaySession
from . import limits, tallies

#: A round with no answer after this long was never played: it goes (start-up floods too).
UNANSWERED_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Pruned:
    unanswered: int
    old: int
    throttles: int


def _unanswered_before(cutoff: datetime) -> ColumnElement[bool]:
    answered = db.select(Answer.id).where(Answer.session_id == PlaySession.id).exists()
    return db.and_(PlaySession.started_at < cutoff, ~answered)


def prune(now: datetime, retention_days: int) -> Pruned:
    """Delete unanswered rounds older than a day, rounds outside a class older than
    `retention_days` (their answers with them), and ended throttle windows."""
    unanswered = _delete_rounds(_unanswered_before(now - UNANSWERED_FOR))
    expired = db.and_(
        PlaySession.started_at < now - timedelta(days=retention_days), PlaySession.classroom_id.is_(None)
    )
    tallies.forget(expired)  # their answers leave the results with them
    old = db.session.execute(db.delete(PlaySession).where(expired)).rowcount
    return Pruned(unanswered, old or 0, limits.prune(now))


def prune_some_unanswered(now: datetime, batch: int = 500) -> int:
    """Delete up to `batch` rounds that went unanswered for a day (as rounds start, so that a
    flood of starts is cleared even where nobody runs `quiz prune`)."""
    return _delete_rounds(_unanswered_before(now - UNANSWERED_FOR), batch=batch)


def _delete_rounds(condition: ColumnElement[bool], batch: int | None = None) -> int:
    """Delete the rounds that meet `condition` (up to `batch` of them), how many. A round that a
    request is answering at that moment (its row locked) is skipped, and the condition is checked
    again by the delete itself, so a first answer never goes with its round."""
    total = 0
    while True:
        ids = list(
            db.session.scalars(
                db.select(PlaySession.id)
                .where(condition)
                .order_by(PlaySession.id)
                .limit(batch or 1000)
                .with_for_update(skip_locked=True)
            )
        )
        if ids:
            total += (
                db.session.execute(db.delete(PlaySession).where(PlaySession.id.in_(ids), condition)).rowcount
                or 0
            )
        if not ids or batch:
            return total
