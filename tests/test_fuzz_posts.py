"""Hypothesis-generated form posts to every POST endpoint: never a 5xx, never a broken round.

Every rule of the url_map that accepts POST gets 300 generated posts: any field names and
values (unicode, control characters, ~5 KB strings, missing and repeated fields), multipart
bodies with files, raw bodies of any content type, sent from a fresh browser that is anonymous,
a logged-in teacher, or a player in the middle of a web and a kiosk round. After each post no
round holds more answers than questions, any question twice, or a score the server did not
compute, and a round of another browser is untouched.
"""

from __future__ import annotations

import enum
import io
import json
import operator
import re
import tempfile
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from quiz import create_app
from quiz.decks import ANSWERS
from quiz.extensions import db, decks
from quiz.models import Answer, PlaySession
from quiz.services import rounds

from .conftest import TEACHER_PASSWORD


def post_rules() -> list[tuple[str, str]]:
    """(endpoint, rule) of every URL rule that accepts POST, the kiosk's included, from the url_map."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "only-reading-the-url-map",
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "QUESTIONS_DIR": folder,
            }
        )
        with app.app_context():
            db.engine.dispose()
        return sorted((r.endpoint, r.rule) for r in app.url_map.iter_rules() if "POST" in (r.methods or ()))


POST_RULES = post_rules()
ROUND_SIZE = 4
KIOSK_ROUND_SIZE = 3

# ---- what a generated post is made of ------------------------------------------------------------


class Ref(enum.Enum):
    """A value only known once the example's browser exists: its rounds, their questions..."""

    TOKEN = "token"  # this browser's web round (another browser's when it has none)
    KIOSK_TOKEN = "kiosk token"
    VICTIM_TOKEN = "victim token"  # a round started by another browser
    QUESTION = "question"  # the web round's current question
    KIOSK_QUESTION = "kiosk question"
    ANSWERED = "answered question"
    OUTSIDE = "question outside the round"
    USERNAME = "username"
    PASSWORD = "password"


@dataclass(frozen=True)
class Post:
    """One generated POST: the browser's state, the URL's arguments and the body."""

    state: str
    answered_before: int
    url_args: dict[str, Any]
    fields: tuple[tuple[str, Any], ...] = ()
    files: tuple[tuple[str, bytes, str], ...] = ()
    raw: bytes | None = None
    content_type: str = ""


STATES = ("anonymous", "teacher", "player")
KNOWN_FIELDS = (
    "csrf_token",
    "deck",
    "nickname",
    "class_code",
    "question_id",
    "choice",
    "shown",
    "token",
    "username",
    "password",
    "next",
    "name",
    "format",
    "replace",
    "file",
    "score",
    "correct",
    "verdict",
    "mode",
    "finished_at",
)
INTERESTING = (
    "",
    " ",
    "plausible",
    "dubious",
    "Plausible",
    "maybe",
    "test-deck",
    "q1",
    "0",
    "-1",
    "1e9",
    "99999999999999999999",
    "１２３",
    "y",
    "on",
    "yaml",
    "csv",
    "gift",
    "auto",
    "Curious Otter",
    "//evil.example",
    "/teacher/upload",
    "javascript:alert(1)",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "\x00",
    "\r\n",
    "null",
)
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x9F)
TEXT = st.one_of(
    st.text(max_size=30),  # any unicode
    st.text(CONTROL, max_size=30),  # ASCII with C0, DEL and C1 control characters
    st.sampled_from(INTERESTING),
    st.builds(operator.mul, st.text(min_size=1, max_size=4), st.integers(min_value=100, max_value=1300)),
)
VALUES = st.one_of(TEXT, st.sampled_from(list(Ref)))
NAMES = st.one_of(st.sampled_from(KNOWN_FIELDS), st.text(max_size=20), st.text(CONTROL, max_size=8))
FILENAMES = st.one_of(
    st.sampled_from(["deck.yaml", "deck.csv", "deck.gift", "deck.txt", "../../escape.yaml", "", "a\\b.yml"]),
    st.text(max_size=40),
)
FILE_BODIES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    st.sampled_from(
        [
            b"schema: 1\ntitle: T\nquestions: []\n",
            b"a: &x [1]\nb: *x\n",
            b"!!python/object/apply:os.system ['true']\n",
            b"claim,answer,explanation,source_title,source_url\nX,dubious,Y,Z,javascript:alert(1)\n",
            b"::T:: claim {TRUE#no#yes}\n",
            b"\xff\xfe\x00",
        ]
    ),
)
CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=latin-1",
            "multipart/form-data",
            "multipart/form-data; boundary=zzz",
            "text/plain; charset=utf-16",
            "application/json",
            "application/vnd.api+json",
        ]
    ),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
)


def url_args_for(rule: str) -> st.SearchStrategy[dict[str, Any]]:
    """Values for the rule's placeholders: own or foreign round tokens or any text; ints for <int:>."""
    args = {}
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
        if converter == "int":
            args[name] = st.integers(min_value=-(2**63), max_value=2**63)
        else:
            args[name] = st.one_of(st.sampled_from([Ref.TOKEN, Ref.KIOSK_TOKEN, Ref.VICTIM_TOKEN]), TEXT)
    return st.fixed_dictionaries(args)


def posts(rule: str) -> st.SearchStrategy[Post]:
    """Generated posts to one rule: form-encoded (most), multipart with files, or a raw body."""
    # The forms' own field names (each one likely), then any names at all, in any order.
    fields = st.tuples(
        st.dictionaries(st.sampled_from(KNOWN_FIELDS), VALUES, max_size=10),
        st.lists(st.tuples(NAMES, VALUES), max_size=4),
    ).map(lambda both: tuple(both[0].items()) + tuple(both[1]))
    common = {
        "state": st.sampled_from(STATES),
        "answered_before": st.sampled_from([0, 1, ROUND_SIZE - 1, ROUND_SIZE]),
        "url_args": url_args_for(rule),
    }
    form = st.builds(Post, fields=fields, **common)
    # Files under the upload's own field name and under any other name.
    files = st.lists(
        st.tuples(st.one_of(st.just("file"), NAMES), FILE_BODIES, FILENAMES), min_size=1, max_size=2
    )
    multipart = st.builds(Post, fields=fields, files=files.map(tuple), **common)
    raw_bodies = st.binary(max_size=600)
    raw = st.builds(Post, raw=raw_bodies, content_type=CONTENT_TYPES, **common)
    return st.one_of(form, form, multipart, raw)


# ---- the browser a post comes from ---------------------------------------------------------------


@pytest.fixture
def app_config(app_config):
    # Short rounds: the generated posts reach the last question and finished rounds too.
    return {**app_config, "ROUND_SIZE": ROUND_SIZE, "KIOSK_ROUND_SIZE": KIOSK_ROUND_SIZE}


def browser_in(app, post: Post, teacher_id: int, victim: str, address: str):
    """A fresh test client in the post's state, and what the post's Refs stand for in it."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address  # spreads the login throttle over many addresses
    refs = {ref: "q1" for ref in (Ref.QUESTION, Ref.KIOSK_QUESTION, Ref.ANSWERED, Ref.OUTSIDE)}
    refs |= {Ref.TOKEN: victim, Ref.KIOSK_TOKEN: victim, Ref.VICTIM_TOKEN: victim}
    refs |= {Ref.USERNAME: "ms-lee", Ref.PASSWORD: TEACHER_PASSWORD}
    if post.state == "teacher":
        with client.session_transaction() as cookie:
            cookie["teacher_id"] = teacher_id
    elif post.state == "player":
        # Set up through the services rather than requests: the same rows, much faster.
        with app.app_context():
            deck = decks.get("test-deck")
            web = rounds.start(deck, ROUND_SIZE)
            for qid in web.question_ids[: post.answered_before]:
                rounds.answer(web, qid, "dubious")
            kiosk = rounds.start(deck, KIOSK_ROUND_SIZE, mode="kiosk")
            db.session.commit()
            order = web.question_ids
            refs |= {
                Ref.TOKEN: web.token,
                Ref.KIOSK_TOKEN: kiosk.token,
                Ref.QUESTION: rounds.progress(web).next_question_id or order[-1],
                Ref.KIOSK_QUESTION: kiosk.question_ids[0],
                Ref.ANSWERED: order[0],
                Ref.OUTSIDE: next(q.id for q in deck.questions if q.id not in order),
            }
        with client.session_transaction() as cookie:
            cookie.permanent = True
            cookie["plays"] = [refs[Ref.TOKEN], refs[Ref.KIOSK_TOKEN]]
    return client, refs


def send(client, refs: dict[Ref, str], rule: str, post: Post):
    """Send the generated post as a browser (or a script) would."""

    def value(item: Any) -> Any:
        return refs[item] if isinstance(item, Ref) else item

    path = re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: quote(str(value(post.url_args[m.group(1)])), safe="") or "-", rule
    )
    if post.raw is not None:
        return client.post(path, data=post.raw, content_type=post.content_type)
    data = MultiDict([(name, value(item)) for name, item in post.fields])
    for name, body, filename in post.files:
        data.add(name, (io.BytesIO(body), filename))
    return client.post(path, data=data)


# ---- the invariants ------------------------------------------------------------------------------


def answers_of_every_round(app) -> dict[str, tuple[list[str], list[tuple[str, str, bool]]]]:
    """token -> (the round's questions, its answers), in one query."""
    with app.app_context():
        rounds: dict[str, tuple[list[str], list[tuple[str, str, bool]]]] = {}
        rows = db.session.execute(
            db.select(
                PlaySession.token,
                PlaySession.question_order,
                Answer.question_id,
                Answer.choice,
                Answer.correct,
            )
            .outerjoin(Answer, Answer.session_id == PlaySession.id)
            .order_by(Answer.id)
        )
        for token, order, question_id, choice, correct in rows:
            drawn, answers = rounds.setdefault(token, (json.loads(order), []))
            if question_id is not None:
                answers.append((question_id, choice, correct))
        return rounds


def assert_every_round_intact(app, victim: str, victim_answers: list[tuple[str, str, bool]]) -> None:
    """No round with more answers than questions, a question twice or from outside it, a bad score."""
    with app.app_context():
        verdicts = {q.id: q.answer for q in decks.get("test-deck").questions}
    for token, (drawn, answers) in answers_of_every_round(app).items():
        answered = [question_id for question_id, _, _ in answers]
        assert len(answered) <= len(drawn), token
        assert len(answered) == len(set(answered)), token
        assert set(answered) <= set(drawn), token
        for question_id, choice, correct in answers:
            assert choice in ANSWERS and correct == (verdicts[question_id] == choice), token
        if token == victim:
            assert answers == victim_answers


FUZZ_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def test_post_endpoints_are_found_in_the_url_map():
    endpoints = {endpoint for endpoint, _ in POST_RULES}
    assert {"play.start", "play.answer", "play.again", "teacher.login", "teacher.upload"} <= endpoints
    assert {"kiosk.start", "kiosk.answer", "kiosk.again", "kiosk.reset"} <= endpoints


@pytest.mark.fuzz
@pytest.mark.parametrize(("endpoint", "rule"), POST_RULES, ids=[endpoint for endpoint, _ in POST_RULES])
def test_generated_posts_never_get_a_server_error_or_break_a_round(app, teacher, endpoint, rule):
    # One app per test function (the `app` fixture); each example gets a fresh browser in it.
    stranger = app.test_client()
    response = stranger.post("/play", data={"deck": "test-deck"})
    victim = response.headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        first = rounds.find(victim).question_ids[0]
    stranger.post(f"/play/{victim}/answer", data={"question_id": first, "choice": "plausible"})
    victim_answers = answers_of_every_round(app)[victim][1]
    assert len(victim_answers) == 1
    addresses = iter(range(1, 2**24))

    @FUZZ_SETTINGS
    @given(post=posts(rule))
    def generated(post: Post) -> None:
        number = next(addresses)
        address = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
        client, refs = browser_in(app, post, teacher, victim, address)
        response = send(client, refs, rule, post)
        assert response.status_code < 500, response.text[:300]
        assert_every_round_intact(app, victim, victim_answers)

    generated()


# ---- bugs the fuzzing found, kept as regression tests -------------------------------------------


@pytest.mark.parametrize("prefix", ["/play", "/kiosk/play"])
@pytest.mark.parametrize("shown", ["²", "①"])
def test_answer_with_a_unicode_digit_timestamp_is_recorded_not_a_server_error(app, client, prefix, shown):
    token = client.post(prefix, data={}).headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        qid = rounds.find(token).question_ids[0]
    response = client.post(
        f"{prefix}/{token}/answer", data={"question_id": qid, "choice": "dubious", "shown": shown}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/reveal/{qid}")


@pytest.mark.parametrize("body", ["0", "[1]", '"text"', '{"nickname": 5}', "{not json"])
@pytest.mark.parametrize("path", ["/play", "/teacher/login", "/kiosk/play", "/kiosk/reset"])
def test_json_body_on_a_form_post_is_refused_with_a_page(client, path, body):
    # Flask-WTF would read a JSON body as the form and raise on anything but an object of strings.
    response = client.post(path, data=body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert "Plausible" in response.text


@pytest.mark.parametrize("path", ["/play", "/kiosk/reset"])
def test_body_over_the_size_limit_is_refused_with_a_page(client, path):
    # The kiosk's error page once rebuilt its reset form from the body it could not read: a bare 500.
    response = client.post(path, data=b"x" * 1_100_000, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "Plausible" in response.text


@pytest.mark.parametrize(
    ("path", "fields", "as_file"),
    [
        ("/play/{token}/answer", {"choice": "dubious"}, "question_id"),
        ("/play/{token}/answer", {"question_id": "q1", "choice": "dubious"}, "shown"),
        ("/play/again", {}, "token"),
        ("/play", {"deck": "test-deck"}, "nickname"),
        ("/play", {"deck": "test-deck"}, "class_code"),
        ("/teacher/login", {"password": "whatever-it-is"}, "username"),
        ("/teacher/login", {"username": "ms-lee", "password": TEACHER_PASSWORD}, "next"),
        ("/teacher/classes", {"deck": "test-deck"}, "name"),
    ],
    ids=[
        "answer",
        "answer-shown",
        "again",
        "start-nickname",
        "start-class-code",
        "login",
        "login-next",
        "class",
    ],
)
def test_text_field_sent_as_a_file_is_refused_not_a_server_error(client, auth, path, fields, as_file):
    auth.login()
    token = client.post("/play", data={"deck": "test-deck"}).headers["Location"].rsplit("/", 1)[-1]
    data = {**fields, as_file: (io.BytesIO(b"x"), "x.txt")}
    response = client.post(path.format(token=token), data=data, content_type="multipart/form-data")
    assert response.status_code < 500


@pytest.mark.parametrize("character", ["\x00", "\x03", "\x1b", "\ufffe"])
def test_deck_text_with_a_control_character_is_a_problem_with_a_line(character):
    from quiz.decks import parse_deck

    deck, problems = parse_deck(f"schema: 1\ntitle: Bad{character}\nquestions: []\n", "bad.yaml")
    assert deck is None
    assert [(p.path, p.line) for p in problems] == [("bad.yaml", 2)]


def test_upload_with_a_control_character_is_refused_with_a_message(client, auth, deck_dir):
    auth.login()
    response = client.post(
        "/teacher/upload",
        data={"file": (io.BytesIO(b"schema: 1\ntitle: T\x00\n"), "nul.yaml"), "format": "auto"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "nul.yaml:2:" in response.text
    assert sorted(p.name for p in deck_dir.iterdir()) == ["test-deck.yaml"]


def test_deck_file_with_a_control_character_does_not_stop_the_other_decks(client, deck_dir):
    assert "Test deck" in client.get("/").text
    (deck_dir / "broken.yaml").write_bytes(b"schema: 1\ntitle: Broken\x00\nquestions: []\n")
    response = client.get("/")
    assert response.status_code == 200 and "Test deck" in response.text


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/play", {"deck": "test-deck", "nickname": "Ada\x00"}),
        ("/play", {"deck": "test-deck", "class_code": "AB\x00CD"}),
        ("/teacher/login", {"username": "ms-lee\x00", "password": "not the password"}),
    ],
    ids=["nickname", "class-code", "username"],
)
def test_nul_character_in_a_text_field_is_never_a_server_error(client, path, data):
    response = client.post(path, data=data)
    assert response.status_code < 500
