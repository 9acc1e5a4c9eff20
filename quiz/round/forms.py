"""Forms of the round, on every screen: an answer, and Play again."""

from __future__ import annotations

from wtforms import HiddenField, RadioField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from ..decks import ANSWERS
from ..forms import PostedForm
from ..game import LEVELS


class AnswerForm(PostedForm):
    """One answer: which question, and the button pressed."""

    question_id = HiddenField(validators=[InputRequired(), Length(max=100)])
    choice = StringField(validators=[InputRequired(), AnyOf(ANSWERS)])
    shown = HiddenField(validators=[Optional(), Length(max=20)])
    #: How sure the player is, if they say: never required, never part of the score.
    confidence = RadioField(
        "How sure are you? (optional)",
        choices={str(level): label for level, label in LEVELS.items()},
        validators=[Optional()],
    )

    def confidence_level(self) -> int | None:
        """1, 2 or 3 as the player chose, or None for an unrated answer."""
        return int(self.confidence.data) if self.confidence.data else None

    def shown_ms(self) -> int | None:
        """When the page showed the question (ms since the epoch), if the form says so."""
        value = (self.shown.data or "").strip()
        return int(value) if value.isascii() and value.isdigit() else None


class AgainForm(PostedForm):
    """Play the same deck again (or practise it), keeping the nickname and class."""

    token = HiddenField(validators=[InputRequired(), Length(max=32)])
