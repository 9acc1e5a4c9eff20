"""Every page: a CSP with no inline script, nothing inline for it to block, nosniff; safe cookies."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from quiz import create_app
from quiz.extensions import db
from quiz.services import limits, rounds

from .conftest import TEACHER_PASSWORD

ERROR_PAGES = (
    "404",
    "404 in the kiosk",
    "405",
    "400 csrf",
    "400 form",
    "401",
    "429",
    "500",
    "500 in the kiosk",
)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "ROUND_SIZE": 4, "KIOSK_ROUND_SIZE": 2}


class Https:
    """A test client whose every request comes over HTTPS (base_url https://localhost)."""

    def __init__(self, app) -> None:
        self.client = app.test_client()

    def get(self, path: str, **kwargs):
        return self.client.get(path, base_url="https://localhost", **kwargs)

    def post(self, path: str, **kwargs):
        return self.client.post(path, base_url="https://localhost", **kwargs)


def token_in(response) -> str:
    return response.headers["Location"].rsplit("/", 1)[-1]


def first_question(app, token: str) -> str:
    with app.app_context():
        play = rounds.find(token)
        return rounds.progress(play).next_question_id


class Visits:
    """GET responses by the url_map endpoint they came from, plus the error pages by name."""

    def __init__(self, app, client) -> None:
        self.app = app
        self.client = client
        self.adapter = app.url_map.bind("localhost")
        self.pages: dict[str, list[tuple[str, object]]] = {}

    def get(self, path: str, client=None):  # type: ignore[no-untyped-def]
        response = (client or self.client).get(path)
        response.get_data()  # read it all, then close it (a static file stays open otherwise)
        response.close()
        endpoint, _ = self.adapter.match(path.split("?")[0], method="GET")
        self.pages.setdefault(endpoint, []).append((path, response))
        assert response.status_code == 200, (path, response.status_code)
        return response

    def error(self, name: str, response) -> None:
        self.pages.setdefault(f"error {name}", []).append((name, response))

    def play_through(self, prefix: str, start_path: str, start_data: dict) -> None:
        """A round: question, answer, reveal, the next questions, the summary."""
        token = token_in(self.client.post(start_path, data=start_data))
        while (qid := first_question(self.app, token)) is not None:
            self.get(f"{prefix}/{token}")
            self.client.post(f"{prefix}/{token}/answer", data={"question_id": qid, "choice": "dubious"})
            self.get(f"{prefix}/{token}/reveal/{qid}")
        self.get(f"{prefix}/{token}/summary")

    def responses(self):
        for endpoint, visits in self.pages.items():
            for path, response in visits:
                yield f"{endpoint} {path}", response


@pytest.fixture
def visits(app, app_config, client, teacher, monkeypatch) -> Visits:
    """Every GET route of the url_map with sensible arguments, then every kind of error page."""
    seen = Visits(app, client)
    seen.get("/")
    seen.get("/healthz")
    seen.get("/static/style.css")
    seen.play_through("/play", "/play", {"deck": "test-deck"})
    seen.get("/kiosk/")
    seen.get("/kiosk/start")
    seen.play_through("/kiosk/play", "/kiosk/play", {})
    seen.get("/teacher/login?next=/teacher/")
    assert (
        client.post("/teacher/login", data={"username": "ms-lee", "password": TEACHER_PASSWORD}).status_code
        == 302
    )
    class_id = token_in(client.post("/teacher/classes", data={"name": "7B", "deck": "test-deck"}))
    for path in (
        "/teacher/",
        "/teacher/decks/test-deck",
        "/teacher/upload",
        "/teacher/decks/test-deck/results",
    ):
        seen.get(path)
    seen.get(f"/teacher/classes/{class_id}")
    seen.get(f"/teacher/classes/{class_id}/answers.csv")
    # Class mode: the projector in its lobby and with a claim, a phone waiting and polling.
    client.post(f"/teacher/classes/{class_id}/live")
    seen.get(f"/teacher/classes/{class_id}/live")
    seen.get(f"/teacher/classes/{class_id}/live/state")
    with app.app_context():
        from quiz.models import Classroom

        code = db.session.get(Classroom, class_id).code
    seen.get(f"/join/{code}")
    phone = app.test_client()
    phone_token = token_in(phone.post("/play", data={"class_code": code, "nickname": "Ada"}))
    seen.get(f"/play/{phone_token}", phone)
    seen.get(f"/play/{phone_token}/step", phone)
    client.post(f"/teacher/classes/{class_id}/live/next")
    seen.get(f"/teacher/classes/{class_id}/live")
    seen.get("/teacher/decks/test-deck/answers.csv")

    seen.error("404", client.get("/no-such-page"))
    seen.error("404 in the kiosk", client.get("/kiosk/no-such-page"))
    seen.error("405", client.get("/teacher/logout"))
    seen.error("400 form", client.post("/play", data={"deck": "no-such-deck"}))
    guarded = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    seen.error("400 csrf", guarded.test_client().post("/play", data={"deck": "test-deck"}))
    with guarded.app_context():
        db.engine.dispose()
    stranger = app.test_client()
    seen.error(
        "401", stranger.post("/teacher/login", data={"username": "ms-lee", "password": "wrong password"})
    )
    with app.app_context():  # four more failures, straight into the shared throttle table
        for _ in range(4):
            limits.hit(limits.LOGIN_FAILURES, "127.0.0.1 ms-lee")
        db.session.commit()
    seen.error(
        "429", stranger.post("/teacher/login", data={"username": "ms-lee", "password": "wrong password"})
    )

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(rounds, "summary", broken)
    web = app.test_client()
    token = token_in(web.post("/play", data={"deck": "test-deck"}))
    for qid in list(_round(app, token)):
        web.post(f"/play/{token}/answer", data={"question_id": qid, "choice": "dubious"})
    seen.error("500", web.get(f"/play/{token}/summary"))
    kiosk = app.test_client()
    token = token_in(kiosk.post("/kiosk/play", data={}))
    for qid in list(_round(app, token)):
        kiosk.post(f"/kiosk/play/{token}/answer", data={"question_id": qid, "choice": "dubious"})
    seen.error("500 in the kiosk", kiosk.get(f"/kiosk/play/{token}/summary"))
    return seen


def _round(app, token: str) -> list[str]:
    with app.app_context():
        return rounds.find(token).question_ids


class Inline(HTMLParser):
    """What a strict CSP would block or an attacker could use: inline script, handlers, styles."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower(): value or "" for name, value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> block")
        for name, value in names.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=>")
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value}>")

    handle_startendtag = handle_starttag


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed.setdefault(words[0].lower(), words[1:])
    return parsed


def cookie_attributes(response, name: str = "session") -> set[str]:
    """The attributes of the Set-Cookie header for `name`, lower-cased, values kept for SameSite."""
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert headers, f"no {name} cookie set: {response.headers.getlist('Set-Cookie')}"
    return {part.strip().lower() for part in headers[-1].split(";")[1:]}


# ---- every page ----------------------------------------------------------------------------------


def test_every_get_route_and_error_page_is_visited(app, visits):
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())}
    assert routes <= set(visits.pages), f"pages not checked: {routes - set(visits.pages)}"
    assert {f"error {name}" for name in ERROR_PAGES} <= set(visits.pages)
    statuses = {name: visits.pages[f"error {name}"][0][1].status_code for name in ERROR_PAGES}
    assert statuses == {name: int(name[:3]) for name in ERROR_PAGES}


def test_every_response_has_a_csp_without_inline_script(visits):
    problems = []
    for what, response in visits.responses():
        policy = directives(response.headers.get("Content-Security-Policy", ""))
        scripts = policy.get("script-src", policy.get("default-src"))
        styles = policy.get("style-src", policy.get("default-src"))
        if scripts is None or {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(scripts):
            problems.append(f"{what}: script-src {scripts}")
        if styles is None or "'unsafe-inline'" in styles:
            problems.append(f"{what}: style-src {styles}")
        if policy.get("object-src") != ["'none'"]:
            problems.append(f"{what}: object-src {policy.get('object-src')}")
    assert problems == []


def test_every_page_has_no_inline_script_event_handler_or_style_attribute(visits):
    problems = []
    pages = 0
    for what, response in visits.responses():
        if response.mimetype != "text/html":
            continue
        pages += 1
        parser = Inline()
        parser.feed(response.get_data(as_text=True))
        problems += [f"{what}: {found}" for found in parser.found]
    assert pages >= 25
    assert problems == []


def test_no_page_that_shows_answers_results_or_names_is_kept_in_a_cache(visits):
    """On a shared computer the next person's Back button must not bring back the last one's
    reveal, summary or teacher pages."""
    kept = [
        what
        for what, response in visits.responses()
        if response.mimetype == "text/html" and response.headers.get("Cache-Control") != "no-store"
    ]
    assert kept == []
    shown = ("play.reveal", "play.summary", "kiosk.reveal", "teacher.dashboard", "teacher.class_results")
    assert all(visits.pages[endpoint] for endpoint in shown)
    (_, csv), *_ = visits.pages["teacher.class_answers_csv"]
    assert csv.headers["Cache-Control"] == "no-store"


def test_every_response_says_nosniff(visits):
    missing = [what for what, r in visits.responses() if r.headers.get("X-Content-Type-Options") != "nosniff"]
    assert missing == []


def test_error_pages_show_the_games_words_not_a_traceback(visits):
    for name in ERROR_PAGES:
        (_, response), *_ = visits.pages[f"error {name}"]
        text = response.get_data(as_text=True)
        assert "Traceback" not in text and "Plausible" in text, name


# ---- cookies ---------------------------------------------------------------------------------------


def test_round_cookie_is_httponly_and_samesite_lax_over_http(client):
    attributes = cookie_attributes(client.post("/play", data={"deck": "test-deck"}))
    assert {"httponly", "samesite=lax"} <= attributes


@pytest.mark.parametrize(
    ("path", "data"),
    [("/play", {"deck": "test-deck"}), ("/kiosk/play", {}), ("/teacher/login", "teacher")],
    ids=["web round", "kiosk round", "teacher login"],
)
def test_session_cookie_is_secure_httponly_and_lax_over_https(app, teacher, path, data):
    client = Https(app)
    if data == "teacher":
        data = {"username": "ms-lee", "password": TEACHER_PASSWORD}
    response = client.post(path, data=data)
    assert response.status_code == 302
    assert {"secure", "httponly", "samesite=lax"} <= cookie_attributes(response)


@pytest.fixture
def production(app_config, teacher):
    """The app as a server runs it: not TESTING, CSRF on; the test app's database, with its teacher."""
    config = {key: app_config[key] for key in ("SQLALCHEMY_DATABASE_URI", "QUESTIONS_DIR", "ROUND_SIZE")} | {
        "SECRET_KEY": "a-production-secret-key-of-some-length"
    }
    app = create_app(config)
    assert not app.testing and app.config["WTF_CSRF_ENABLED"] is not False
    yield app
    with app.app_context():
        db.engine.dispose()


def csrf_token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_production_cookies_over_https_are_secure_httponly_and_lax(production):
    client = Https(production)
    first = client.get("/")
    assert {"secure", "httponly", "samesite=lax"} <= cookie_attributes(first)
    token = csrf_token(client, "/")
    response = client.post(
        "/play", data={"deck": "test-deck", "csrf_token": token}, headers={"Referer": "https://localhost/"}
    )
    assert response.status_code == 302 and "/play/" in response.headers["Location"]
    assert {"secure", "httponly", "samesite=lax"} <= cookie_attributes(response)


def test_production_teacher_login_over_https_sets_a_secure_cookie(production):
    client = Https(production)
    token = csrf_token(client, "/teacher/login")
    response = client.post(
        "/teacher/login",
        data={"username": "ms-lee", "password": TEACHER_PASSWORD, "csrf_token": token},
        headers={"Referer": "https://localhost/teacher/login"},
    )
    assert response.headers["Location"] == "/teacher/"
    assert {"secure", "httponly", "samesite=lax"} <= cookie_attributes(response)


def test_production_behind_a_trusted_tls_proxy_sets_a_secure_cookie(app_config, app):
    config = {key: app_config[key] for key in ("SQLALCHEMY_DATABASE_URI", "QUESTIONS_DIR")}
    app = create_app(config | {"SECRET_KEY": "a-production-secret-key-of-some-length", "TRUSTED_PROXIES": 1})
    response = app.test_client().get(
        "/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.9"}
    )
    assert {"secure", "httponly", "samesite=lax"} <= cookie_attributes(response)
    with app.app_context():
        db.engine.dispose()


def test_production_pages_carry_the_same_headers(production):
    client = Https(production)
    for path in ("/", "/kiosk/", "/teacher/login", "/no-such-page"):
        response = client.get(path)
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
