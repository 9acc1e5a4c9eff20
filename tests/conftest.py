"""Fixtures: an app on a temporary database and deck folder, a client, and action helpers."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.pool import NullPool

from quiz import create_app
from quiz.extensions import db

PROJECT = Path(__file__).resolve().parent.parent
BUNDLED_DECKS = PROJECT / "questions"


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker empties and fills a database of its own (`quiz_test_gw0`...),
    made on first use (the role needs CREATEDB)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from sqlalchemy import create_engine, make_url, text

    shared = make_url(url)
    own = shared.set(database=f"{shared.database}_{worker}")
    engine = create_engine(shared, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = text("SELECT 1 FROM pg_database WHERE datname = :name")
        if not connection.scalar(exists, {"name": own.database}):
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    return own.render_as_string(hide_password=False)


#: Set (e.g. postgresql+psycopg://quiz:quiz@127.0.0.1/quiz_test) to run the suite on PostgreSQL.
TEST_DATABASE_URL = _worker_database(os.environ.get("QUIZ_TEST_DATABASE_URL", ""))


def make_question(number: int, answer: str, **overrides: Any) -> dict[str, Any]:
    """A valid question mapping; override any field."""
    question = {
        "id": f"q{number}",
        "claim": f"Claim number {number} is {answer}.",
        "answer": answer,
        "explanation": f"Explanation {number}: the sources say it is {answer}.",
        "red_flags": ["fabricated"] if answer == "dubious" else [],
        "sources": [{"title": f"Source {number}", "url": f"https://example.org/source/{number}"}],
    }
    question.update(overrides)
    return question


def make_deck(plausible: int = 6, dubious: int = 6, **overrides: Any) -> dict[str, Any]:
    """A valid deck mapping with the given numbers of plausible and dubious questions."""
    questions = [make_question(n, "plausible") for n in range(1, plausible + 1)]
    questions += [make_question(n, "dubious") for n in range(plausible + 1, plausible + dubious + 1)]
    deck = {
        "schema": 1,
        "id": "test-deck",
        "title": "Test deck",
        "description": "For tests.",
        "questions": questions,
    }
    deck.update(overrides)
    return deck


def write_deck(folder: Path, deck: dict[str, Any], name: str = "test-deck.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(deck, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def deck_folder(tmp_path: Path, deck: dict[str, Any], name: str = "test-deck.yaml") -> Path:
    """A deck folder in tmp_path holding one deck file."""
    folder = tmp_path / "questions"
    folder.mkdir(parents=True)
    write_deck(folder, deck, name)
    return folder


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    return deck_folder(tmp_path, make_deck())


def empty_postgres(url: str) -> str:
    """The PostgreSQL database at `url`, emptied of every table."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """An empty database: a new SQLite file, or the emptied PostgreSQL test database."""
    if TEST_DATABASE_URL:
        return empty_postgres(TEST_DATABASE_URL)
    return f"sqlite:///{tmp_path / 'quiz.sqlite'}"


@pytest.fixture
def app_config(tmp_path: Path, deck_dir: Path, database_url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-for-tests",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "QUESTIONS_DIR": str(deck_dir),
        "WTF_CSRF_ENABLED": False,
        "DECKS_CHECK_SECONDS": 0,
        "ROUND_SIZE": 10,
        # No pooled connections left open between tests (apps made by a test are not all disposed).
        "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": NullPool},
    }


@pytest.fixture
def app(app_config: dict[str, Any]):
    app = create_app(app_config)
    with app.app_context():
        # The schema straight from the models (fast); test_migrations proves the migrations agree.
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Player:
    """Plays the web game through the test client, as a browser would."""

    #: Where rounds are started; their pages are PREFIX/<token>.
    prefix = "/play"

    def __init__(self, client) -> None:
        self.client = client
        self.token: str | None = None

    def start(self, deck: str = "test-deck", **fields: str):
        response = self.client.post(self.prefix, data={"deck": deck, **fields})
        match = re.search(rf"{self.prefix}/([\w-]+)$", response.headers.get("Location", ""))
        self.token = match.group(1) if match else None
        return response

    @property
    def url(self) -> str:
        return f"{self.prefix}/{self.token}"

    def current_question_id(self) -> str | None:
        page = self.client.get(self.url)
        if page.status_code != 200:
            return None
        match = re.search(r'name="question_id" type="hidden" value="([^"]+)"', page.text)
        return match.group(1) if match else None

    def answer(self, question_id: str, choice: str):
        return self.client.post(f"{self.url}/answer", data={"question_id": question_id, "choice": choice})

    def play_round(self, choose) -> list[tuple[str, str]]:
        """Answer every question with choose(question_id); return (question_id, choice) pairs."""
        played = []
        while (qid := self.current_question_id()) is not None:
            choice = choose(qid)
            self.answer(qid, choice)
            played.append((qid, choice))
        return played


@pytest.fixture
def player(client) -> Player:
    return Player(client)


TEACHER_PASSWORD = "correct horse battery"


@pytest.fixture
def teacher(app):
    """A teacher account, 'ms-lee'."""
    from quiz.services.accounts import add_teacher

    with app.app_context():
        account = add_teacher("ms-lee", TEACHER_PASSWORD)
        db.session.commit()
        return account.id


class Auth:
    """Logs a test client in and out of the teacher area."""

    def __init__(self, client) -> None:
        self.client = client

    def login(self, username: str = "ms-lee", password: str = TEACHER_PASSWORD, **extra):
        return self.client.post("/teacher/login", data={"username": username, "password": password, **extra})

    def logout(self):
        return self.client.post("/teacher/logout")


@pytest.fixture
def auth(client, teacher) -> Auth:
    return Auth(client)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (skipped where there is none)."""
    from .browser import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture
def base_url(app):
    """The test's app served by waitress on a free local port."""
    from .browser import live_server

    with live_server(app) as url:
        yield url
