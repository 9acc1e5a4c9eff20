"""Forms of the kiosk's own pages (the round's are in quiz/round/forms.py)."""

from __future__ import annotations

from wtforms import RadioField
from wtforms.validators import Optional, ValidationError

from ..forms import PostedForm
from .names import is_generated_name


class KioskStartForm(PostedForm):
    """Start a kiosk round, with one of the offered names or none (nothing to type)."""

    nickname = RadioField("Player name", validators=[Optional()], validate_choice=False)

    def validate_nickname(self, field: RadioField) -> None:
        if field.data and not is_generated_name(field.data):
            raise ValidationError("Pick one of the names, or play without a name.")
