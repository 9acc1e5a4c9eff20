"""Plausible or Dubious?: a media-literacy quiz game. `create_app` builds the Flask app."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_DIR = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then QUIZ_* variables (or test_config)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_DIR / "templates"),
        static_folder=str(PROJECT_DIR / "static"),
    )
    app.config.from_object("quiz.config")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("QUIZ")
    else:
        app.config.from_mapping(test_config)
    _resolve_paths(app)

    from . import cli, errors, extensions, forms, qr, security
    from .services import limits

    limits.check_settings(app.config)
    from .decks.model import highlight
    from .game import LEVELS

    security.init_app(app)
    extensions.db.init_app(app)
    extensions.csrf.init_app(app)
    app.jinja_env.globals["csrf_field"] = forms.csrf_field
    app.jinja_env.filters["qr"] = qr.qr_svg
    app.jinja_env.globals.update(highlight=highlight, levels=LEVELS)
    extensions.init_compression(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(PROJECT_DIR / "migrations"))
    from . import database

    database.init_app(app)
    extensions.decks.init_app(app)
    register_blueprints(app)
    errors.init_app(app)
    cli.init_app(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return app


def _resolve_paths(app: Flask) -> None:
    """Relative deck folders are taken from the project; the default database lives in instance/."""
    questions = Path(app.config["QUESTIONS_DIR"])
    if not questions.is_absolute():
        questions = PROJECT_DIR / questions
    app.config["QUESTIONS_DIR"] = str(questions)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        url = app.config.get("DATABASE_URL") or ""
        if not url:
            os.makedirs(app.instance_path, exist_ok=True)
            url = "sqlite:///" + os.path.join(app.instance_path, "quiz.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A database server may drop idle connections; a SQLite file never does.
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {}).setdefault("pool_pre_ping", True)


def register_blueprints(app: Flask) -> None:
    from .kiosk.views import bp as kiosk_bp
    from .play.views import bp as play_bp
    from .teacher import live  # noqa: F401 - adds class mode's projector pages to the teacher area
    from .teacher.views import bp as teacher_bp

    app.register_blueprint(play_bp)
    app.register_blueprint(kiosk_bp)
    app.register_blueprint(teacher_bp)
