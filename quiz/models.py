"""The tables: play sessions and their answers, teachers and their classes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class Teacher(db.Model):
    """A teacher account; the password is stored hashed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Bumped at logout: a copy of an older session cookie no longer opens the teacher area.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    #: An admin may replace and delete any uploaded deck and sees every class's results.
    is_admin: Mapped[bool] = mapped_column(default=False, server_default="0")


class RateCount(db.Model):
    """How often one address (or address and username) did one kind of thing in one time window:
    the throttles of logins, round starts and class-code guesses, seen alike by every worker."""

    __tablename__ = "rate_count"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    #: The window: seconds since the epoch divided by the window's length.
    slot: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    #: When the window ends (for pruning the table).
    expires_at: Mapped[datetime] = mapped_column(index=True)


class DeckOwner(db.Model):
    """The teacher who uploaded a deck. Decks without a row (the bundled ones, or files put in
    the folder by hand) cannot be replaced or deleted from the web."""

    __tablename__ = "deck_owner"

    deck_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    teacher: Mapped[Teacher] = relationship()


class Classroom(db.Model):
    """A class playing one deck, joined with a short code."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    deck_id: Mapped[str] = mapped_column(String(100))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("teacher.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: A closed class takes no new players (its code stops working); its results are kept.
    closed_at: Mapped[datetime | None]

    teacher: Mapped[Teacher] = relationship()

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class LiveRound(db.Model):
    """A teacher-paced round of a class: the claim on the projector and on every phone.

    `phase` is lobby (students joining), question (claim `step` shown, answers taken), answer
    (its verdict shown, no more answers) or ended. Every change bumps `version`, which is what
    the phones and the projector poll for.
    """

    __tablename__ = "live_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id", ondelete="CASCADE"), index=True)
    question_order: Mapped[str] = mapped_column(Text)
    step: Mapped[int] = mapped_column(default=-1)
    phase: Mapped[str] = mapped_column(String(10), default="lobby")
    version: Mapped[int] = mapped_column(default=1)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    classroom: Mapped[Classroom] = relationship()

    @property
    def question_ids(self) -> list[str]:
        return json.loads(self.question_order)

    @property
    def current_question_id(self) -> str | None:
        order = self.question_ids
        return order[self.step] if 0 <= self.step < len(order) else None


class PlaySession(db.Model):
    """One player's round of one deck: the drawn questions in order, and when it began and ended."""

    __tablename__ = "play_session"
    #: A results page lists a deck's latest rounds.
    __table_args__ = (Index("ix_play_session_deck_id_started_at", "deck_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    deck_id: Mapped[str] = mapped_column(String(100), index=True)
    mode: Mapped[str] = mapped_column(String(10), default="web")
    nickname: Mapped[str | None] = mapped_column(String(40))
    classroom_id: Mapped[int | None] = mapped_column(
        ForeignKey("classroom.id", ondelete="SET NULL"), index=True
    )
    #: The live round this player joined, if the teacher paces the round.
    live_round_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_round.id", ondelete="SET NULL"), index=True
    )
    question_order: Mapped[str] = mapped_column(Text)
    #: Indexed for pruning: unanswered rounds after a day, others after QUIZ_RETENTION_DAYS.
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    abandoned_at: Mapped[datetime | None]

    answers: Mapped[list[Answer]] = relationship(
        back_populates="play_session", order_by="Answer.id", cascade="all, delete-orphan"
    )
    classroom: Mapped[Classroom | None] = relationship()
    live_round: Mapped[LiveRound | None] = relationship()

    @property
    def question_ids(self) -> list[str]:
        return json.loads(self.question_order)

    @property
    def is_over(self) -> bool:
        return self.finished_at is not None or self.abandoned_at is not None


class Answer(db.Model):
    """A player's choice on one question of their round; one per session and question."""

    __table_args__ = (UniqueConstraint("session_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("play_session.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(100))
    choice: Mapped[str] = mapped_column(String(10))
    correct: Mapped[bool]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    elapsed_ms: Mapped[int | None]
    #: How sure the player said they were: 1 just guessing, 2 fairly sure, 3 very sure; None unrated.
    confidence: Mapped[int | None]

    play_session: Mapped[PlaySession] = relationship(back_populates="answers")

    @property
    def verdict(self) -> str:
        """The question's verdict when it was answered (kept even if the deck changes later)."""
        if self.correct:
            return self.choice
        return "plausible" if self.choice == "dubious" else "dubious"


class AnswerTally(db.Model):
    """How many answers to one question of a deck were given in one class (0: none), at one
    confidence (0: not rated), with one choice, right or wrong. Kept as answers are stored and
    pruned, so results over a hundred thousand rounds add up a few hundred rows."""

    __tablename__ = "answer_tally"

    deck_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    classroom_id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    confidence: Mapped[int] = mapped_column(primary_key=True)
    choice: Mapped[str] = mapped_column(String(10), primary_key=True)
    correct: Mapped[bool] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
