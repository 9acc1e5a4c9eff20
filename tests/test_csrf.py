"""With CSRF protection on (as in production), a POST without a token is refused."""

import re

import pytest

from quiz.extensions import db
from quiz.models import PlaySession


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def test_start_without_csrf_token_is_refused_and_creates_nothing(client, app):
    response = client.post("/play", data={"deck": "test-deck"})
    assert response.status_code == 400
    assert "did not come from this site" in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(PlaySession.id))) == 0


def test_start_with_the_page_csrf_token_works(client):
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/").text).group(1)
    response = client.post("/play", data={"deck": "test-deck", "csrf_token": token})
    assert response.status_code == 302 and "/play/" in response.headers["Location"]


def test_answer_without_csrf_token_is_refused_and_stores_nothing(client, app):
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/").text).group(1)
    location = client.post("/play", data={"deck": "test-deck", "csrf_token": token}).headers["Location"]
    page = client.get(location).text
    qid = re.search(r'name="question_id" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(f"{location}/answer", data={"question_id": qid, "choice": "dubious"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(PlaySession)).answers == []


def page_token(client, path: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(path).text).group(1)


def test_logout_without_csrf_token_is_refused_and_keeps_the_teacher_in(client, auth):
    auth.login(csrf_token=page_token(client, "/teacher/login"))
    assert client.get("/teacher/").status_code == 200
    assert client.post("/teacher/logout").status_code == 400
    assert client.get("/teacher/").status_code == 200
    client.post("/teacher/logout", data={"csrf_token": page_token(client, "/teacher/")})
    assert client.get("/teacher/").status_code == 302
