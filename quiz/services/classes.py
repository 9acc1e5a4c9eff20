"""Classes: made by a teacher for one deck, joined with a short code. Database work only."""

from __future__ import annotations

import re
import secrets

from ..extensions import db
from ..models import Classroom, PlaySession, Teacher, utcnow

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


def close(classroom: Classroom) -> None:
    """No new players: the code stops working; results are kept."""
    if classroom.closed_at is None:
        classroom.closed_at = utcnow()


def reopen(classroom: Classroom) -> None:
    classroom.closed_at = None


_NUMBERED = re.compile(r"^(.*) \((\d+)\)$")


def player_name(classroom: Classroom, wanted: str, remembered: list[PlaySession]) -> str:
    """The name a player plays under in a class: the one typed, told apart from a classmate's
    ("Maya", then "Maya (2)"); a browser that played in the class under that name keeps it."""
    wanted = " ".join(wanted.split())[:34]
    for play in reversed(remembered):
        if play.classroom_id == classroom.id and play.nickname and _base(play.nickname) == wanted.casefold():
            return play.nickname
    taken = {
        name.casefold()
        for name in db.session.scalars(
            db.select(PlaySession.nickname).where(PlaySession.classroom_id == classroom.id).distinct()
        )
        if name
    }
    name, number = wanted, 2
    while name.casefold() in taken:
        name, number = f"{wanted} ({number})", number + 1
    return name


def _base(name: str) -> str:
    match = _NUMBERED.match(name)
    return (match.group(1) if match else name).casefold()
