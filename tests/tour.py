"""A tour of every page type in Chromium: the pages a student, a teacher and a kiosk player see.

`prepare_site` plays through the game once in a real browser (a teacher logs in and makes a
class, a student plays a class round and starts another, a kiosk round is played) and keeps the
browser states; `Site.open` then brings a fresh page to any page type, with any context options
(colour scheme, viewport, reduced motion). Used by the accessibility, reflow and page-weight tests
and by docs/screenshots.py.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.pool import NullPool

PROJECT = Path(__file__).resolve().parent.parent
BUNDLED_DECKS = PROJECT / "questions"
AXE_SCRIPT = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
HAS_KIOSK = (PROJECT / "templates" / "kiosk").is_dir() and (PROJECT / "quiz" / "kiosk").is_dir()

TEACHER = ("ms-lee", "correct horse battery")
CLASS_NAME = "Year 8 Media"

#: A deck file with mistakes, for the upload page that lists its problems.
BROKEN_DECK = b"""schema: 1
id: broken-deck
title: A deck with mistakes
questions:
  - id: one
    claim: ""
    answer: maybe
    explanation: Missing a source.
  - id: one
    claim: A second question with the same id.
    answer: dubious
    explanation: The sources say otherwise.
    sources:
      - title: Not a web address
        url: ftp://example.org/file
"""

WEB_PAGES = [
    "home",
    "question",
    "reveal",
    "summary",
    "not-found",
    "bad-request",
    "teacher-login",
    "dashboard",
    "deck-preview",
    "upload-problems",
    "class-results",
    "join",
    "host-lobby",
    "host-answer",
    "phone-waiting",
]
KIOSK_PAGES = [
    "kiosk-attract",
    "kiosk-names",
    "kiosk-question",
    "kiosk-reveal",
    "kiosk-summary",
    "kiosk-idle-warning",
    "kiosk-ended",
]
PAGE_TYPES = WEB_PAGES + (KIOSK_PAGES if HAS_KIOSK else [])


def app_config(folder: Path, database_url: str = "", **overrides: Any) -> dict[str, Any]:
    """A test app's settings: the bundled decks copied into `folder`, CSRF on, a fresh database."""
    decks = folder / "questions"
    if not decks.exists():
        shutil.copytree(BUNDLED_DECKS, decks, ignore=shutil.ignore_patterns("*.md", "*.csv"))
    return {
        "TESTING": True,
        "SECRET_KEY": "tour-secret-key-for-tests",
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{folder / 'quiz.sqlite'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": NullPool},
        "QUESTIONS_DIR": str(decks),
        "DECKS_CHECK_SECONDS": 0,
        "WTF_CSRF_ENABLED": True,
        "ROUND_SIZE": 4,
        "KIOSK_ROUND_SIZE": 3,
        **overrides,
    }


def make_app(config: dict[str, Any]):  # type: ignore[no-untyped-def]
    """The app with its tables and one teacher account."""
    from quiz import create_app
    from quiz.extensions import db
    from quiz.services.accounts import add_teacher

    app = create_app(config)
    with app.app_context():
        db.create_all()
        add_teacher(*TEACHER)
        db.session.commit()
    return app


@dataclass
class Site:
    """A prepared live server: where each page type is, and the browser states that reach it."""

    base_url: str
    browser: Any
    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    idle_seconds: int = 60

    def context(self, state: str | None = "student", **options: Any):  # type: ignore[no-untyped-def]
        if state is not None:
            options["storage_state"] = self.states[state]
        return self.browser.new_context(base_url=self.base_url, **options)

    def open(self, name: str, *, on_page: Callable[[Any], None] | None = None, **options: Any):  # type: ignore[no-untyped-def]
        """A new page (in its own context) showing page type `name`; close it with page.context.close().

        `on_page` runs on the new page before it loads anything (to watch its requests).
        """
        context = self.context(STATES.get(name, "student"), **options)
        page = context.new_page()
        if on_page is not None:
            on_page(page)
        try:
            VISITS[name](self, page)
            page.wait_for_load_state("load")
        except Exception:
            context.close()
            raise
        return page


def _goto(url_key: str) -> Callable[[Site, Any], None]:
    def visit(site: Site, page: Any) -> None:
        response = page.goto(site.urls[url_key])
        assert response is not None and response.ok, f"{url_key}: {response and response.status}"

    return visit


def _not_found(site: Site, page: Any) -> None:
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404


def _bad_request(site: Site, page: Any) -> None:
    """The start form sent without its CSRF token: the 400 error page."""
    page.goto("/")
    page.locator("form.start-form input[name=csrf_token]").evaluate("input => input.remove()")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Start").click()
    assert posted.value.status == 400
    page.wait_for_load_state()


def _upload_problems(site: Site, page: Any) -> None:
    page.goto("/teacher/upload")
    page.set_input_files(
        "input[type=file]", files=[{"name": "broken.yaml", "mimeType": "text/yaml", "buffer": BROKEN_DECK}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Check and save").click()
    assert "Not saved" in page.inner_text("main")


def _idle_warning(site: Site, page: Any) -> None:
    """The kiosk's question page after the idle time: the "Still there?" warning."""
    page.clock.install()
    page.goto(site.urls["kiosk-question"])
    page.clock.fast_forward(site.idle_seconds * 1000 + 500)
    page.wait_for_selector("dialog[open]")


#: The browser state each page type needs (default: the student's, who is also the teacher).
STATES: dict[str, str | None] = {
    "teacher-login": None,
    "not-found": None,
    "kiosk-attract": "kiosk-playing",
    "kiosk-names": "kiosk-playing",
    "kiosk-question": "kiosk-playing",
    "kiosk-reveal": "kiosk-playing",
    "kiosk-idle-warning": "kiosk-playing",
    "kiosk-ended": "kiosk-playing",
    "kiosk-summary": "kiosk-done",
    "join": None,
    "phone-waiting": "phone",
}

VISITS: dict[str, Callable[[Site, Any], None]] = {
    "home": _goto("home"),
    "question": _goto("question"),
    "reveal": _goto("reveal"),
    "summary": _goto("summary"),
    "not-found": _not_found,
    "bad-request": _bad_request,
    "teacher-login": _goto("teacher-login"),
    "dashboard": _goto("dashboard"),
    "deck-preview": _goto("deck-preview"),
    "upload-problems": _upload_problems,
    "class-results": _goto("class-results"),
    "join": _goto("join"),
    "host-lobby": _goto("host-lobby"),
    "host-answer": _goto("host-answer"),
    "phone-waiting": _goto("phone-waiting"),
    "kiosk-attract": _goto("kiosk-attract"),
    "kiosk-names": _goto("kiosk-names"),
    "kiosk-question": _goto("kiosk-question"),
    "kiosk-reveal": _goto("kiosk-reveal"),
    "kiosk-summary": _goto("kiosk-summary"),
    "kiosk-idle-warning": _idle_warning,
    "kiosk-ended": lambda site, page: page.goto("/kiosk/play/no-such-round"),
}


class Visitor:
    """Sends the game's own forms over HTTP with a browser context's cookies: fast, and no rendering.

    Each form is read from the page that shows it (hidden fields, CSRF token included), as a
    browser would send it; the final URL after the redirects is where the browser would land.
    """

    HIDDEN = re.compile(r'<input[^>]*\bname="([^"]+)"[^>]*\btype="hidden"[^>]*\bvalue="([^"]*)"')

    def __init__(self, context: Any) -> None:
        self.request = context.request

    def get(self, path: str) -> tuple[str, str]:
        response = self.request.get(path)
        assert response.ok, f"GET {path}: {response.status}"
        return response.url, response.text()

    def submit(self, page_path: str, action: str, **fields: str) -> tuple[str, str]:
        """Send the form at `action` as found on `page_path`, with `fields` filled in."""
        _, html = self.get(page_path)
        form = dict(self.HIDDEN.findall(html))
        response = self.request.post(action, form={**form, **fields})
        assert response.ok, f"POST {action}: {response.status}"
        return response.url, response.text()

    def answer(self, question_url: str, choice: str) -> tuple[str, str]:
        """Answer the question at `question_url`; the reveal's URL and HTML."""
        path = question_url.split("://", 1)[-1].partition("/")[2]
        url, html = self.submit(question_url, f"/{path}/answer", choice=choice)
        assert "/reveal/" in url, url
        return url, html

    def play_to_summary(self, question_url: str, choices: list[str]) -> str:
        url, number = question_url, 0
        while "/summary" not in url:
            self.answer(question_url, choices[number % len(choices)])
            url, _ = self.get(question_url)  # the next question, or the summary
            number += 1
        return url

    def play_to_a_red_flag(self, question_url: str, total: int) -> str:
        """Answer dubious until a reveal shows red flags, leaving the round unfinished; that reveal."""
        reveal = ""
        for _ in range(total - 1):
            reveal, html = self.answer(question_url, "dubious")
            if 'class="flag-list"' in html:
                break
        return reveal


def prepare_site(browser: Any, base_url: str, config: dict[str, Any]) -> Site:
    """Play through the game once and keep where each page type is (and the cookies to see it).

    `config` is the served app's: it says how long rounds are and when the kiosk warns.
    """
    site = Site(base_url=base_url, browser=browser, idle_seconds=config.get("KIOSK_IDLE_SECONDS", 60))
    urls = site.urls
    urls.update({"home": "/", "teacher-login": "/teacher/login", "dashboard": "/teacher/"})

    context = site.context(None)
    visitor = Visitor(context)
    # The teacher logs in first: logging in starts a fresh session, rounds would be forgotten.
    url, _ = visitor.submit("/teacher/login", "/teacher/login", username=TEACHER[0], password=TEACHER[1])
    assert url.endswith("/teacher/"), url
    _, dashboard = visitor.get("/teacher/")
    deck_id = re.search(r'href="/teacher/decks/([\w-]+)"', dashboard).group(1)  # type: ignore[union-attr]
    urls["deck-preview"] = f"/teacher/decks/{deck_id}"
    url, html = visitor.submit("/teacher/", "/teacher/classes", name=CLASS_NAME, deck=deck_id)
    urls["class-results"] = url
    code = re.search(r'class="join-code">(\w+)<', html).group(1)  # type: ignore[union-attr]

    # A round of one's own, left unfinished (and so offered for resuming on the home page): a
    # reveal in the middle of a round, with red flags if one comes up, then the next question.
    urls["question"], _ = visitor.submit("/", "/play", deck=deck_id)
    urls["reveal"] = visitor.play_to_a_red_flag(urls["question"], config["ROUND_SIZE"])
    # A student round in the class, played to the summary, with right and wrong answers (after
    # the other: a round of one's own started later would leave the class round out of the
    # lasting cookie, as on a shared computer).
    question, _ = visitor.submit("/", "/play", deck=deck_id, nickname="Ada", class_code=code)
    urls["summary"] = visitor.play_to_summary(question, ["plausible", "dubious", "dubious"])

    # Class mode: a live round showing its first answer, with a phone that did not answer; and
    # a second class's live round in its lobby.
    class_id = urls["class-results"].rsplit("/", 1)[1]
    urls["join"] = f"/join/{code}"
    urls["host-answer"], _ = visitor.submit(urls["class-results"], f"/teacher/classes/{class_id}/live")
    phone_context = site.context(None)
    phone = Visitor(phone_context)
    urls["phone-waiting"], _ = phone.submit(urls["join"], "/play", class_code=code, nickname="Bo")
    talker = Visitor(site.context(None))
    talker_question, _ = talker.submit(urls["join"], "/play", class_code=code, nickname="Cy")
    visitor.submit(urls["host-answer"], f"/teacher/classes/{class_id}/live/next")
    talker.submit(
        talker_question, f"/{talker_question.split('://', 1)[1].partition('/')[2]}/answer", choice="dubious"
    )
    visitor.submit(urls["host-answer"], f"/teacher/classes/{class_id}/live/show")
    site.states["phone"] = phone_context.storage_state()
    phone_context.close()
    url, _ = visitor.submit("/teacher/", "/teacher/classes", name="Year 8", deck=deck_id)
    other_id = url.rsplit("/", 1)[1]
    urls["host-lobby"], _ = visitor.submit(url, f"/teacher/classes/{other_id}/live")
    site.states["student"] = context.storage_state()
    context.close()

    if HAS_KIOSK:
        urls.update({"kiosk-attract": "/kiosk/", "kiosk-names": "/kiosk/start"})
        # A kiosk screen whose round is over (starting a round closes the screen's last one) ...
        context = site.context(None)
        visitor = Visitor(context)
        _, names = visitor.get("/kiosk/start")
        name = re.search(r'name="nickname" value="([^"]+)"', names).group(1)  # type: ignore[union-attr]
        question, _ = visitor.submit("/kiosk/start", "/kiosk/play", nickname=name)
        urls["kiosk-summary"] = visitor.play_to_summary(question, ["plausible", "dubious"])
        site.states["kiosk-done"] = context.storage_state()
        context.close()
        # ... and another in the middle of its round.
        context = site.context(None)
        visitor = Visitor(context)
        urls["kiosk-question"], _ = visitor.submit("/kiosk/start", "/kiosk/play", nickname="")
        urls["kiosk-reveal"] = visitor.play_to_a_red_flag(urls["kiosk-question"], config["KIOSK_ROUND_SIZE"])
        site.states["kiosk-playing"] = context.storage_state()
        context.close()
    return site
