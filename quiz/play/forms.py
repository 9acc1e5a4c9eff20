"""Forms of the browser game's own pages (the round's are in quiz/round/forms.py)."""

from __future__ import annotations

from wtforms import RadioField, StringField
from wtforms.validators import Length, Optional, ValidationError

from ..forms import PostedForm


class StartForm(PostedForm):
    """Start a round: a deck, an optional nickname, an optional class code."""

    deck = RadioField("Deck", validators=[Optional()], validate_choice=False)
    nickname = StringField(
        "Your name (needed with a class code)",
        # Not Optional(): it would stop the chain before validate_nickname, which needs to run.
        validators=[Length(max=40, message="Keep your nickname under 40 characters.")],
    )
    class_code = StringField(
        "Class code (optional)",
        validators=[Optional(), Length(max=12, message="A class code has 6 characters.")],
    )

    def validate_nickname(self, field: StringField) -> None:
        # In a class the teacher reads the results by name: "anonymous, anonymous" says nothing.
        if (self.class_code.data or "").strip() and not (field.data or "").strip():
            raise ValidationError("Type your name: your teacher sees it beside your answers.")
