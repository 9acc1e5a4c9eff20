"""Who may change a deck from the web: the teacher who uploaded it, or an admin. Decks nobody
uploaded (the bundled ones, or files put in the folder by hand) are changed on the server only.
Database work only; callers commit."""

from __future__ import annotations

from ..extensions import db
from ..models import DeckOwner, Teacher

#: A dashboard lists each upload with its uploader's name: read with the row, not one by one.
_UPLOADER = db.joinedload(DeckOwner.teacher)


def owner_of(deck_id: str) -> DeckOwner | None:
    return db.session.get(DeckOwner, deck_id)


def owned_ids() -> set[str]:
    """The ids of every uploaded deck."""
    return set(db.session.scalars(db.select(DeckOwner.deck_id)))


def every() -> list[DeckOwner]:
    return list(db.session.scalars(db.select(DeckOwner).options(_UPLOADER).order_by(DeckOwner.deck_id)))


def of_teacher(teacher: Teacher) -> list[DeckOwner]:
    return list(
        db.session.scalars(
            db.select(DeckOwner)
            .options(_UPLOADER)
            .where(DeckOwner.teacher_id == teacher.id)
            .order_by(DeckOwner.deck_id)
        )
    )


def refusal(teacher: Teacher, deck_id: str, exists: bool) -> str | None:
    """Why this teacher may not replace (or delete) the deck, or None when they may."""
    owner = owner_of(deck_id)
    if owner is None:
        if not exists:
            return None
        return (
            f"the deck '{deck_id}' came with the game (or was put in the deck folder on the server): "
            "it cannot be replaced from the web. Give your deck another id"
        )
    if owner.teacher_id == teacher.id or teacher.is_admin:
        return None
    uploader = owner.teacher.username
    return f"the deck '{deck_id}' was uploaded by {uploader}: only they or an admin can change it"


def claim(teacher: Teacher, deck_id: str, exists: bool) -> str | None:
    """Make the teacher the owner of a new deck, or say why they may not change this one (None
    when they may). Another upload of the same id claimed at the same moment makes this fail
    with IntegrityError (the id is the key)."""
    if not exists and owner_of(deck_id) is None:
        db.session.add(DeckOwner(deck_id=deck_id, teacher_id=teacher.id))
        db.session.flush()
        return None
    return refusal(teacher, deck_id, exists)
