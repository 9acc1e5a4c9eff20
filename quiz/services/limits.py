"""Throttles kept in the database, so that every worker and every app server counts alike:
failed logins, round starts and wrong class codes, per address (or address and username).
Each counts in fixed windows, and a key is over its limit while this window and the one before
hold `count` together: no span of one window ever lets more than `count` through, and a key
that used its count waits one to two windows. Database work only; callers commit."""

from __future__ import annotations

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
#: The settings that hold a limit or a number of days: whole numbers of 1 or more.
SETTINGS = ("ROUND_START_LIMIT", "CODE_GUESS_LIMIT", "RETENTION_DAYS")

#: Failed logins per address and username: a lockout keeps out the guesser, not the colleague
#: at the next desk (and a browser that has logged in as that teacher counts on its own).
LOGIN_FAILURES = Limit("login", 5, 60)


def round_starts() -> Limit:
    """Rounds started per address in 10 minutes (QUIZ_ROUND_START_LIMIT): a class behind one
    school router starts a few rounds each."""
    return Limit("start", current_app.config["ROUND_START_LIMIT"], 600)


def code_guesses() -> Limit:
    """Wrong class codes per address in 10 minutes (QUIZ_CODE_GUESS_LIMIT)."""
    return Limit("code", current_app.config["CODE_GUESS_LIMIT"], 600)


class SettingError(ValueError):
    """A setting that the game cannot start with; the message names it."""


def check_settings(config: dict) -> None:  # type: ignore[type-arg]
    """Refuse to start with a limit that is not a whole number of 1 or more, saying which."""
    for name in SETTINGS:
        value = config.get(name)
        try:
            number = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = 0
        if number < 1 or str(value).strip() != str(number):
            raise SettingError(f"QUIZ_{name} must be a whole number of 1 or more, not {value!r}")
        config[name] = number


def _counts(limit: Limit, key: str, slot: int) -> tuple[int, int]:
    """This window's count and the last one's."""
    counts = dict(
        db.session.execute(
            db.select(RateCount.slot, RateCount.count).where(
                RateCount.kind == limit.kind, RateCount.key == key[:200], RateCount.slot.in_([slot - 1, slot])
            )
        ).all()
    )
    return counts.get(slot, 0), counts.get(slot - 1, 0)


def _wait(limit: Limit, slot: int, now: float, current: int, previous: int) -> int | None:
    """Seconds to wait with these counts in this window and the last one, or None."""
    if current + previous < limit.count:
        return None
    # Within the limit again once the last window drops out, or, if this one alone is full,
    # once this one has dropped out too.
    until = (slot + 1) * limit.seconds if current < limit.count else (slot + 2) * limit.seconds
    return max(1, int(until - now) + 1)


def hit(limit: Limit, key: str, now: float | None = None) -> int | None:
    """Count one more for `key` and return None; or, when that would go over the limit, count
    nothing and return the seconds to wait. One upsert counts it, so requests sent at once are
    counted one after another, never all let through by a check made before any was counted."""
    now = time.time() if now is None else now
    slot = limit.window(now)
    # Kept while it weighs in: this window and the next.
    expires = datetime.fromtimestamp((slot + 2) * limit.seconds, UTC)
    add = counting_insert(db.session.get_bind().dialect.name, RateCount.__table__, ("kind", "key", "slot"))
    current = db.session.execute(
        add.returning(RateCount.__table__.c.count),
        {"kind": limit.kind, "key": key[:200], "slot": slot, "count": 1, "expires_at": expires},
    ).scalar_one()
    if random.random() < PRUNE_CHANCE:  # a spray of new keys leaves no pile of ended windows
        prune(datetime.fromtimestamp(now, UTC))
    wait = _wait(limit, slot, now, current - 1, _counts(limit, key, slot)[1])
    if wait is not None:
        take_back(limit, key, now)
    return wait


def take_back(limit: Limit, key: str, now: float | None = None) -> None:
    """Uncount one of `key`'s hits in this window (a login that turned out right)."""
    now = time.time() if now is None else now
    table = RateCount.__table__
    db.session.execute(
        db.update(table)
        .where(table.c.kind == limit.kind, table.c.key == key[:200], table.c.slot == limit.window(now))
        .values(count=table.c.count - 1)
    )


def prune(now: datetime) -> int:
    """Delete the windows that have ended; how many."""
    return db.session.execute(db.delete(RateCount).where(RateCount.expires_at < now)).rowcount or 0
