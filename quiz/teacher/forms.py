"""Forms of the teacher area."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from ..forms import PostedForm

UPLOAD_FORMATS = {
    "auto": "From the file name",
    "yaml": "Deck file (YAML)",
    "csv": "Spreadsheet (CSV)",
    "gift": "Moodle GIFT",
}


class LoginForm(PostedForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=200)])
    next = HiddenField()


class UploadForm(PostedForm):
    file = FileField(
        "Question file (YAML, CSV or GIFT, at most 1 MB)",
        validators=[FileRequired("Choose a file to upload.")],
    )
    format = SelectField("Format", choices=UPLOAD_FORMATS, default="auto")
    replace = BooleanField("Replace the deck if one with the same id exists")


class ClassForm(PostedForm):
    name = StringField("Class name", validators=[InputRequired("Give the class a name."), Length(max=100)])
    deck = SelectField("Deck", validate_choice=True)
