"""Open-redirect payloads on every `next=` the app accepts: after login a teacher stays on the site.

The teacher login is the only view that reads `next` (from the link's query string, kept in a
hidden field of the form); the teacher area's guard writes it when it sends a visitor to log in.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.security import generate_password_hash

from quiz.extensions import db
from quiz.models import Teacher

SITE = "https://quiz.school.example/teacher/login"
PASSWORD = "correct horse battery"
PAYLOADS = [
    "//evil.example",
    "//evil.example/teacher/",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "\\/\\/evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "https:/evil.example",
    "http://evil.example",
    "HTTPS://evil.example/",
    "https://quiz.school.example@evil.example/",
    "//quiz.school.example@evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "\x00//evil.example",
    "/\x00/evil.example",
    "//evil.example%23.quiz.school.example",
    "/.//evil.example",
    '"><script>alert(1)</script>',
    "evil.example",
    "",
]


@pytest.fixture
def fast_teacher(app) -> str:
    """A teacher whose password hash is cheap to check: many logins, and hashing is not under test."""
    with app.app_context():
        db.session.add(
            Teacher(username="mr-ode", password_hash=generate_password_hash(PASSWORD, "pbkdf2:sha256:1000"))
        )
        db.session.commit()
    return "mr-ode"


def stays_on_the_site(location: str) -> bool:
    """Whether a Location header keeps a browser on this site, read as a browser reads it."""
    if not location.startswith("/") or location.startswith("//") or location.startswith("/\\"):
        return False
    parts = urlsplit(location)
    if parts.scheme or parts.netloc:
        return False
    # Browsers drop tabs and newlines anywhere in a URL and read backslashes as slashes.
    as_read = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    return urlsplit(urljoin(SITE, as_read)).netloc == "quiz.school.example"


def test_the_redirect_check_itself_refuses_the_payloads():
    # The property below must be able to fail: it rejects every payload the way a browser reads it.
    for payload in PAYLOADS:
        if payload.startswith("/") and not payload.startswith(("//", "/\\", "/\t", "/\n", "/\r")):
            continue  # a plain path (e.g. /%2F%2Fevil.example) is a page of this site
        assert not stays_on_the_site(payload), payload


def assert_no_way_off_the_site(response) -> None:
    """A redirect within the site, or (for a form carrying a NUL character) a refusal with none."""
    if response.status_code == 400:
        assert "Location" not in response.headers
        return
    assert response.status_code in (302, 303)
    assert stays_on_the_site(response.headers["Location"]), response.headers["Location"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_login_link_next_redirects_only_within_the_site(client, fast_teacher, payload):
    """The attack: a link to /teacher/login?next=PAYLOAD; the teacher logs in with the form it shows."""
    page = client.get("/teacher/login", query_string={"next": payload})
    assert page.status_code == 200
    hidden = re.search(r'<input id="next" name="next" type="hidden" value="([^"]*)">', page.text)
    assert hidden, "the login form must carry next as a hidden field"
    carried = html.unescape(hidden.group(1))
    response = client.post(
        "/teacher/login", data={"username": fast_teacher, "password": PASSWORD, "next": carried}
    )
    assert_no_way_off_the_site(response)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_login_post_with_next_in_the_query_string_redirects_only_within_the_site(
    client, fast_teacher, payload
):
    response = client.post(
        "/teacher/login",
        query_string={"next": payload},
        data={"username": fast_teacher, "password": PASSWORD},
    )
    assert stays_on_the_site(response.headers["Location"]), response.headers["Location"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_login_form_next_field_redirects_only_within_the_site(client, fast_teacher, payload):
    response = client.post(
        "/teacher/login", data={"username": fast_teacher, "password": PASSWORD, "next": payload}
    )
    assert_no_way_off_the_site(response)


@pytest.mark.parametrize("payload", ["//evil.example", "/\\evil.example", "https://evil.example"])
def test_repeated_next_fields_never_leave_the_site(client, fast_teacher, payload):
    data = [
        ("username", fast_teacher),
        ("password", PASSWORD),
        ("next", "/teacher/upload"),
        ("next", payload),
    ]
    response = client.post("/teacher/login", data=MultiDict(data))
    assert stays_on_the_site(response.headers["Location"])
    response = client.post("/teacher/login", data=MultiDict(reversed(data)))
    assert stays_on_the_site(response.headers["Location"])


@pytest.mark.parametrize(
    "path",
    [
        "/teacher/upload",
        "/teacher/decks/test-deck?next=//evil.example",
        "/teacher/decks/%5C%5Cevil.example",
        "/teacher/decks/%5Cevil.example/results",
        "/teacher/classes/1?x=https://evil.example",
    ],
)
def test_guard_next_leads_back_to_the_same_page_after_login(client, fast_teacher, path):
    """The guard's own next=: a teacher sent to log in comes back to the page asked for, on this site."""
    to_login = client.get(path)
    assert urlsplit(to_login.headers["Location"]).path == "/teacher/login"
    login_page = client.get(to_login.headers["Location"])
    carried = html.unescape(re.search(r'name="next" type="hidden" value="([^"]*)"', login_page.text).group(1))
    response = client.post(
        "/teacher/login", data={"username": fast_teacher, "password": PASSWORD, "next": carried}
    )
    location = response.headers["Location"]
    assert stays_on_the_site(location), location
    assert urlsplit(location).path.startswith("/teacher/")


def test_local_next_is_followed(client, fast_teacher):
    response = client.post(
        "/teacher/login",
        data={"username": fast_teacher, "password": PASSWORD, "next": "/teacher/decks/test-deck"},
    )
    assert response.headers["Location"] == "/teacher/decks/test-deck"


def test_only_the_teacher_login_reads_next():
    """If another view starts reading next=, it needs its own rows in this file."""
    readers = sorted(
        str(path.relative_to(Path(__file__).parent.parent))
        for path in (Path(__file__).parent.parent / "quiz").rglob("*.py")
        if re.search(r"""["']next["']""", path.read_text(encoding="utf-8"))
    )
    assert readers == ["quiz/teacher/views.py"]
