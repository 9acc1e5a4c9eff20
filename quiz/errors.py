"""Error pages: every failure is a page in the game's own words, never a traceback.

One handler per kind of failure, for every screen: it rolls back, then answers with the
screen's own page (a kiosk page, with its idle reset, on the kiosk and on a kiosk-only server).
"""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db
from .kiosk.views import in_kiosk, kiosk_context

log = logging.getLogger(__name__)

MESSAGES = {
    400: "The request could not be understood. Go back, reload the page and try again.",
    403: "This page is not yours to see.",
    404: "There is nothing at this address.",
    405: "This page cannot be used that way.",
    413: "That file is too large: the limit is 1 MB.",
    415: "Send answers with the page's own form.",
    429: "Too many tries. Wait a minute, then try again.",
    500: "Something went wrong on our side. Your answers so far are saved.",
    503: "The game is busy right now. Wait a moment, then try again: your answers so far are saved.",
}
STORAGE_FULL = (
    "The game cannot save anything right now: the server's storage is full or read-only. "
    "Answers saved before are kept. Please tell the person who runs the game."
)
STORAGE_FAILURES = ("readonly", "read-only", "disk is full", "database or disk is full", "no space left")


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_error)
    app.register_error_handler(Exception, _unexpected_error)


def render_error(code: int, message: str | None = None, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """The error page of the screen the request came from."""
    headers = dict(headers or {})
    if in_kiosk():
        # Inside the kiosk: no page with a way out, and the idle reset still runs. The kiosk has
        # its own words for the usual failures; a specific message (storage full) is shown.
        template = "kiosk/ended.html" if code < 500 else "kiosk/error.html"
        headers["Cache-Control"] = "no-store"
        page = render_template(template, code=code, message=message, **kiosk_context())
        return page, code, headers
    page = render_template("error.html", code=code, message=message or MESSAGES.get(code, ""))
    return page, code, headers


def _csrf_error(error: CSRFError):  # type: ignore[no-untyped-def]
    return render_error(
        400, "This form had expired or did not come from this site. Reload the page and try again."
    )


def _http_error(error: HTTPException):  # type: ignore[no-untyped-def]
    code = error.code or 500
    # Our own abort() calls carry a message for the player; Werkzeug's stock texts do not.
    custom = error.description if error.description != type(error).description else None
    headers = {}
    if code == 429:
        headers["Retry-After"] = str(getattr(error, "retry_after", None) or 60)
    return render_error(code, custom, headers)


def _database_error(error: OperationalError):  # type: ignore[no-untyped-def]
    db.session.rollback()
    reason = str(error.orig).lower()
    if any(marker in reason for marker in STORAGE_FAILURES):
        log.error("database cannot be written (storage full or read-only): %s", error.orig)
        return render_error(503, STORAGE_FULL, {"Retry-After": "30"})
    log.error("database unavailable: %s", error.orig)
    return render_error(503, headers={"Retry-After": "5"})


def _unexpected_error(error: Exception):  # type: ignore[no-untyped-def]
    db.session.rollback()
    log.exception("unexpected error", exc_info=error)
    return render_error(500)
