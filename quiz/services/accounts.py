"""Teacher accounts, logins and their throttle. Database work only; callers commit."""

from __future__ import annotations

from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import Teacher

MIN_PASSWORD_LENGTH = 8


class AccountError(ValueError):
    """A teacher account cannot be made as asked; the message says why."""


def add_teacher(username: str, password: str, *, admin: bool = False) -> Teacher:
    """A new teacher with a hashed password; an admin may replace any uploaded deck and sees
    every class's results."""
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise AccountError("a username is 1 to 64 characters without spaces")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters long")
    if db.session.scalar(db.select(Teacher).where(Teacher.username == username)):
        raise AccountError(f"a teacher called '{username}' already exists")
    teacher = Teacher(username=username, password_hash=generate_password_hash(password), is_admin=admin)
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


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not a password")
