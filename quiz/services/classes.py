"""Classes: made by a teacher for one deck, joined with a short code. Database work only."""

from __future__ import annotations

import secrets

from ..extensions import db
from ..models import Classroom, Teacher

#: Join codes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes, so a code read aloud or off a board works.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 6


def find(code: str) -> Classroom | None:
    """The class with this join code (case, spaces and dashes ignored), or None."""
    code = "".join(ch for ch in code if ch.isalnum()).upper()
    return db.session.scalar(db.select(Classroom).where(Classroom.code == code)) if code else None


def new_join_code() -> str:
    """A fresh class code of look-alike-free characters."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(db.select(Classroom.id).where(Classroom.code == code)) is None:
            return code


def create(teacher: Teacher, name: str, deck_id: str) -> Classroom:
    """A class for one deck, with its join code."""
    classroom = Classroom(code=new_join_code(), name=name.strip(), deck_id=deck_id, teacher_id=teacher.id)
    db.session.add(classroom)
    db.session.flush()
    return classroom


def of_teacher(teacher: Teacher) -> list[Classroom]:
    return list(
        db.session.scalars(
            db.select(Classroom)
            .where(Classroom.teacher_id == teacher.id)
            .order_by(Classroom.created_at.desc())
        )
    )
