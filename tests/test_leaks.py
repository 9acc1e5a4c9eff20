"""Before a question is answered, nothing in any response gives its verdict away."""

import html
import json

import pytest

from quiz.decks import load_deck_file
from quiz.extensions import db
from quiz.models import PlaySession

from .conftest import BUNDLED_DECKS

BUNDLED = [
    (path, q) for path in sorted(BUNDLED_DECKS.glob("*.yaml")) for q in load_deck_file(path)[0].questions
]


@pytest.fixture
def app_config(app_config):
    return {**app_config, "QUESTIONS_DIR": str(BUNDLED_DECKS)}


def open_question(app, client, deck_id: str, question_id: str) -> str:
    """The question page of a one-question round holding exactly this question."""
    with app.app_context():
        play = PlaySession(
            token=f"t-{question_id}"[:32], deck_id=deck_id, question_order=json.dumps([question_id])
        )
        db.session.add(play)
        db.session.commit()
        token = play.token
    with client.session_transaction() as cookie:
        cookie["plays"] = [token]
    response = client.get(f"/play/{token}")
    assert response.status_code == 200
    return html.unescape(response.text)


def test_bundled_decks_have_questions():
    assert len(BUNDLED) >= 57


@pytest.mark.parametrize(("path", "question"), BUNDLED, ids=[q.id for _, q in BUNDLED])
def test_question_page_does_not_reveal_verdict_explanation_or_sources(app, client, path, question):
    deck = load_deck_file(path)[0]
    page = open_question(app, client, deck.id, question.id)
    assert question.claim in page
    assert question.explanation not in page
    for source in question.sources:
        assert source.url not in page
        assert source.title not in page
    for hint in ("badge-plausible", "badge-dubious", "is-right", "is-wrong", "Red flags", "Why"):
        assert hint not in page
