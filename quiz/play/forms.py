"""Forms of the browser game's own pages (the round's are in quiz/round/forms.py)."""

from __future__ import annotations

from wtforms import RadioField, StringField
from wtforms.validators import Length, Optional

from ..forms import PostedForm


class StartForm(PostedForm):
    """Start a round: a deck, an optional nickname, an optional class code."""

    deck = RadioField("Deck", validators=[Optional()], validate_choice=False)
    nickname = StringField(
        "Nickname (optional)",
        validators=[Optional(), Length(max=40, message="Keep your nickname under 40 characters.")],
    )
    class_code = StringField(
        "Class code (optional)",
        validators=[Optional(), Length(max=12, message="A class code has 6 characters.")],
    )
