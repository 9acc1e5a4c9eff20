"""The teacher's results over a big table: 100,000 rounds. The pages are read in SQL aggregates,
so they are right and quick whatever the table holds (bench/results.py times them)."""

from __future__ import annotations

import re

import pytest

from quiz import create_app
from quiz.extensions import db
from quiz.testing import TEACHER_PASSWORD, fill_rounds, log_in

from .conftest import PROJECT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """An app over 100,000 finished rounds of 3 answers of the bundled deck."""
    folder = tmp_path_factory.mktemp("big")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-for-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'quiz.sqlite'}",
            "QUESTIONS_DIR": str(PROJECT / "questions"),
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        filled = fill_rounds(100_000, 3)
    yield app, filled
    with app.app_context():
        db.engine.dispose()


def players_line(page: str) -> str:
    return re.sub(r"\s+", " ", re.search(r"Deck: .*?</p>", page, re.S).group(0))


def test_a_class_page_over_100000_rounds_shows_just_its_30_players(big):
    app, filled = big
    teacher = app.test_client()
    log_in(teacher, filled.teacher, TEACHER_PASSWORD)
    page = teacher.get(f"/teacher/classes/{filled.class_id}")
    assert page.status_code == 200
    assert "30 players" in players_line(page.text)
    assert re.search(r"Player 0\b", page.text) and re.search(r"Player 29\b", page.text)
    assert not re.search(r"Player 30\b", page.text)  # the teacher's other class
    csv = teacher.get(f"/teacher/classes/{filled.class_id}/answers.csv").text.strip().splitlines()
    assert len(csv) == 1 + 30 * 3


def test_deck_results_over_100000_rounds_count_everyone_for_an_admin_only(big):
    app, filled = big
    teacher, admin = app.test_client(), app.test_client()
    log_in(teacher, filled.teacher, TEACHER_PASSWORD)
    log_in(admin, filled.admin, TEACHER_PASSWORD)
    own = teacher.get(f"/teacher/decks/{filled.deck_id}/results").text
    assert "130 players in your classes" in players_line(own)
    assert "8C" not in own  # another teacher's class
    everyone = admin.get(f"/teacher/decks/{filled.deck_id}/results").text
    assert "100000 players" in players_line(everyone)
    assert "The latest 200 of 100000; the CSV has them all." in everyone
