"""What the database keeps, and for how long: rounds nobody answered go after a day, other
rounds after the retention period (a class's rounds stay while the class exists), and ended
throttle windows go at once. Database work only; callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

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


def _unanswered_before(cutoff: datetime):  # type: ignore[no-untyped-def]
    answered = db.select(Answer.id).where(Answer.session_id == PlaySession.id).exists()
    return db.and_(PlaySession.started_at < cutoff, ~answered)


def prune(now: datetime, retention_days: int) -> Pruned:
    """Delete unanswered rounds older than a day, rounds outside a class older than
    `retention_days` (their answers with them), and ended throttle windows."""
    unanswered = db.session.execute(
        db.delete(PlaySession).where(_unanswered_before(now - UNANSWERED_FOR))
    ).rowcount
    expired = db.and_(
        PlaySession.started_at < now - timedelta(days=retention_days), PlaySession.classroom_id.is_(None)
    )
    tallies.forget(expired)  # their answers leave the results with them
    old = db.session.execute(db.delete(PlaySession).where(expired)).rowcount
    return Pruned(unanswered or 0, old or 0, limits.prune(now))


def prune_some_unanswered(now: datetime, batch: int = 500) -> int:
    """Delete up to `batch` rounds that went unanswered for a day (as rounds start, so that a
    flood of starts is cleared even where nobody runs `quiz prune`)."""
    oldest = (
        db.select(PlaySession.id)
        .where(_unanswered_before(now - UNANSWERED_FOR))
        .order_by(PlaySession.id)
        .limit(batch)
    )
    return db.session.execute(db.delete(PlaySession).where(PlaySession.id.in_(oldest))).rowcount or 0
