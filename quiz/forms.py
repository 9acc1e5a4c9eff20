"""The base of every form: reads only the fields a form can hold."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField


class PostedForm(FlaskForm):
    """A Flask-WTF form whose text fields never receive an uploaded file.

    Flask-WTF merges uploaded files into the form data, so a file part named like a text field
    would reach validators that expect text. Only forms with a file field read files.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):  # type: ignore[no-untyped-def]
            data = super().wrap_formdata(form, formdata)
            if data is not None and request.files and not any(isinstance(f, FileField) for f in form):
                return request.form
            return data


class EmptyForm(PostedForm):
    """Carries only the CSRF token, for POST-only buttons (log out, reset, ...)."""
