"""Teacher accounts, logins and their throttle. Database work only; callers commit."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import LoginAttempt, Teacher, utcnow

#: Failed logins from one address allowed within THROTTLE_WINDOW before it gets 429s.
MAX_FAILED_LOGINS = 5
THROTTLE_WINDOW = timedelta(minutes=1)
MIN_PASSWORD_LENGTH = 8


class AccountError(ValueError):
    """A teacher account cannot be made as asked; the message says why."""


def add_teacher(username: str, password: str) -> Teacher:
    """A new teacher with a hashed password."""
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise AccountError("a username is 1 to 64 characters without spaces")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters long")
    if db.session.scalar(db.select(Teacher).where(Teacher.username == username)):
        raise AccountError(f"a teacher called '{username}' already exists")
    teacher = Teacher(username=username, password_hash=generate_password_hash(password))
    db.session.add(teacher)
    db.session.flush()
    return teacher


def authenticate(username: str, password: str) -> Teacher | None:
    """The teacher with these credentials, or None (in the same time either way)."""
    teacher = db.session.scalar(db.select(Teacher).where(Teacher.username == username.strip()))
    if teacher is None:
        # Hash anyway, so response time does not tell which usernames exist.
        check_password_hash(_dummy_hash(), password)
        return None
    return teacher if check_password_hash(teacher.password_hash, password) else None


def is_throttled(address: str) -> bool:
    """Whether this address has used up its failed logins for the current minute."""
    since = utcnow() - THROTTLE_WINDOW
    failures = db.session.scalar(
        db.select(db.func.count(LoginAttempt.id)).where(
            LoginAttempt.address == address, LoginAttempt.attempted_at >= since
        )
    )
    return (failures or 0) >= MAX_FAILED_LOGINS


def record_failed_login(address: str) -> None:
    """Count a failed login against its address (and forget the ones older than the window)."""
    db.session.execute(db.delete(LoginAttempt).where(LoginAttempt.attempted_at < utcnow() - THROTTLE_WINDOW))
    db.session.add(LoginAttempt(address=address[:64]))


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not a password")
