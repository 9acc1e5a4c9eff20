"""Throttles kept in the database, so that every worker and every app server counts alike:
failed logins, round starts and wrong class codes, per address (or address and username), in
fixed windows. Database work only; callers commit."""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app

from ..database import counting_insert
from ..extensions import db
from ..models import RateCount


@dataclass(frozen=True)
class Limit:
    """At most `count` times per `seconds`, for one key."""

    kind: str
    count: int
    seconds: int

    def window(self, now: float) -> int:
        return int(now // self.seconds)


#: One count in so many also deletes the windows that have ended.
PRUNE_CHANCE = 1 / 100

#: Failed logins per address and username: a lockout keeps out the guesser, not the colleague
#: at the next desk (and a browser that has logged in as that teacher counts on its own).
LOGIN_FAILURES = Limit("login", 5, 60)


def round_starts() -> Limit:
    """Rounds started per address in 10 minutes (QUIZ_ROUND_START_LIMIT): a class behind one
    school router starts a few rounds each."""
    return Limit("start", int(current_app.config["ROUND_START_LIMIT"]), 600)


def code_guesses() -> Limit:
    """Wrong class codes per address in 10 minutes (QUIZ_CODE_GUESS_LIMIT)."""
    return Limit("code", int(current_app.config["CODE_GUESS_LIMIT"]), 600)


def retry_after(limit: Limit, key: str, now: float | None = None) -> int | None:
    """Seconds until `key` may try again, or None while it is within the limit.

    A sliding window, estimated from two fixed ones (this one and the one before, its count
    weighed by how much of it the sliding window still covers), so a burst that straddles the
    edge of a window is not let through twice.
    """
    now = time.time() if now is None else now
    slot = limit.window(now)
    counts = dict(
        db.session.execute(
            db.select(RateCount.slot, RateCount.count).where(
                RateCount.kind == limit.kind, RateCount.key == key[:200], RateCount.slot.in_([slot - 1, slot])
            )
        ).all()
    )
    current, previous = counts.get(slot, 0), counts.get(slot - 1, 0)
    into = now / limit.seconds - slot  # how far into this window, 0 to 1
    if current + math.ceil(previous * (1 - into)) < limit.count:
        return None
    if current < limit.count:  # the previous window's share must fall far enough
        wait = (1 - (limit.count - 1 - current) / previous - into) * limit.seconds
    else:  # this window's count must become the previous one, and fall far enough
        wait = (1 - into + 1 - (limit.count - 1) / current) * limit.seconds
    return max(1, math.ceil(wait))


def count(limit: Limit, key: str, now: float | None = None) -> None:
    """Count one more for `key` in the current window (one statement, safe under concurrency)."""
    now = time.time() if now is None else now
    slot = limit.window(now)
    # Kept while it weighs in the sliding window: this window and the next.
    expires = datetime.fromtimestamp((slot + 2) * limit.seconds, UTC)
    add = counting_insert(db.session.get_bind().dialect.name, RateCount.__table__, ("kind", "key", "slot"))
    db.session.execute(
        add, {"kind": limit.kind, "key": key[:200], "slot": slot, "count": 1, "expires_at": expires}
    )
    if random.random() < PRUNE_CHANCE:  # a spray of new keys leaves no pile of ended windows
        prune(datetime.fromtimestamp(now, UTC))


def prune(now: datetime) -> int:
    """Delete the windows that have ended; how many."""
    return db.session.execute(db.delete(RateCount).where(RateCount.expires_at < now)).rowcount or 0
