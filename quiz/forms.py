"""The base of every form, and the CSRF field every form on a page carries."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from flask_wtf.file import FileField
from markupsafe import Markup


class PostedForm(FlaskForm):
    """A Flask-WTF form whose text fields never receive an uploaded file.

    Flask-WTF merges uploaded files into the form data, so a file part named like a text field
    would reach validators that expect text. Only forms with a file field read files.

    The app's CSRFProtect checks the token of every POST before any view runs, so a form does
    not check it again, nor sign a token no page will show: templates write it with `csrf_field()`.
    """

    class Meta(FlaskForm.Meta):
        csrf = False

        def wrap_formdata(self, form, formdata):  # type: ignore[no-untyped-def]
            data = super().wrap_formdata(form, formdata)
            if data is not None and request.files and not any(isinstance(f, FileField) for f in form):
                return request.form
            return data


def csrf_field() -> Markup:
    """The hidden CSRF token input that every POST form of a page carries."""
    return Markup('<input name="csrf_token" type="hidden" value="{}">').format(generate_csrf())
