"""Hostile deck text in Chromium: every field is shown literally and nothing in it ever runs."""

from __future__ import annotations

import re

import pytest
import yaml

from quiz.decks import parse_deck

from .conftest import TEACHER_PASSWORD, deck_folder, make_deck, make_question

pytestmark = pytest.mark.browser

# Each one alerts and sets window.pwned, so a payload that ran is seen even if its dialog was missed.
PAYLOADS = (
    "<script>alert(pwned=1)</script>",
    "<img src=x onerror=alert(pwned=1)>",
    '"><svg onload=alert(pwned=1)>',
    "' onmouseover='alert(pwned=1)",
    "</textarea><script>alert(pwned=1)</script>",
    "{{7*7}}",
)
NICKNAME = "<img src=x onerror=alert(pwned=1)>"  # a student's own hostile input, 34 of 40 characters
# Otherwise valid https addresses that try to break out of the href attribute.
BREAKOUT_URLS = (
    'https://example.org/a"><svg/onload=alert(pwned=1)>',
    "https://example.org/b'onmouseover='alert(pwned=1)'",
    "https://example.org/c?q=<script>alert(pwned=1)</script>",
)


def hostile(label: str) -> str:
    """A field's text: what it is, then every payload (under the 200-character title limit)."""
    return f"{label}: " + " ".join(PAYLOADS)


def hostile_question(number: int, answer: str) -> dict:
    return make_question(
        number,
        answer,
        title=hostile(f"Title {number}"),
        claim=hostile(f"Claim {number}"),
        context=hostile(f"Context {number}a") + "\n" + hostile(f"Context {number}b"),
        image_credit=hostile(f"Credit {number}"),
        explanation=hostile(f"Explanation {number}"),
        sources=[{"title": hostile(f"Source {number}"), "url": f"https://example.org/{number}"}]
        + [{"title": f"Break-out {n} of {number}", "url": url} for n, url in enumerate(BREAKOUT_URLS, 1)],
    )


def hostile_deck() -> dict:
    return make_deck(
        0,
        0,
        id="hostile",
        title=hostile("Deck"),
        description=hostile("Description"),
        language=hostile("Language")[:20],
        origin={"title": hostile("Origin"), "note": hostile("Note"), "url": hostile("Origin url")},
        questions=[hostile_question(1, "plausible"), hostile_question(2, "dubious")]
        + [hostile_question(3, "plausible"), hostile_question(4, "dubious")],
    )


@pytest.fixture
def deck_dir(tmp_path):
    folder = deck_folder(tmp_path, hostile_deck(), "hostile.yaml")
    path = folder / "hostile.yaml"
    deck, problems = parse_deck(path.read_text(encoding="utf-8"), str(path))
    assert deck is not None, problems  # the payloads must fit the limits, or nothing is tested
    return folder


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True, "ROUND_SIZE": 4, "KIOSK_ROUND_SIZE": 2}


@pytest.fixture
def base_url(base_url, teacher):
    """The live server, with a teacher account to log in with."""
    return base_url


class Watched:
    """A Chromium page that records every dialog (and dismisses it)."""

    def __init__(self, page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message} on {self.page.url}")
        dialog.dismiss()


# Elements and attributes that only a payload could have put in the page.
INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const name of el.getAttributeNames()) {
      if (/^on/i.test(name)) found.push(`${el.tagName.toLowerCase()}[${name}]`);
    }
    if (el.tagName === "SCRIPT" && !el.getAttribute("src")) found.push("inline script");
    if (el.tagName === "IMG" && el.getAttribute("src") === "x") found.push("img src=x");
    if (el.tagName === "TEXTAREA") found.push("textarea");
  }
  return found;
}"""


def assert_inert(watched: Watched, *texts: str) -> None:
    """No dialog, no payload ran, no element from a payload, and each text shown literally."""
    page = watched.page
    for link in page.locator("main a").all()[:8]:
        link.hover()  # an injected onmouseover would fire now
    page.wait_for_timeout(50)
    assert watched.dialogs == []
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.evaluate(INJECTED) == []
    shown = page.evaluate("document.body.textContent")
    for text in texts:
        assert text in shown, f"{text!r} is not shown literally on {page.url}"


def question_texts(page) -> tuple[list[str], int]:
    """The hostile texts of the question on screen, found by its claim's number."""
    claim = page.locator(".claim").first.text_content()
    number = int(re.match(r"Claim (\d+):", claim).group(1))
    return [
        hostile(f"Title {number}"),
        hostile(f"Claim {number}"),
        hostile(f"Context {number}a"),
        hostile(f"Context {number}b"),
        hostile(f"Credit {number}"),
    ], number


def test_hostile_deck_text_stays_inert_through_a_round_and_the_teacher_pages(browser, base_url):
    teacher = Watched(browser.new_context().new_page())
    student = Watched(browser.new_context().new_page())

    # The teacher makes a class whose name is hostile too, and previews the deck.
    teacher.page.goto(base_url + "/teacher/login")
    teacher.page.fill("#username", "ms-lee")
    teacher.page.fill("#password", TEACHER_PASSWORD)
    teacher.page.click("button:has-text('Log in')")
    teacher.page.fill("#name", hostile("Class")[:100])
    teacher.page.click("button:has-text('Create class')")
    teacher.page.wait_for_url(re.compile(r"/teacher/classes/\d+$"))
    class_url = teacher.page.url
    code = teacher.page.locator(".join-code").first.text_content().strip()
    teacher.page.goto(base_url + "/teacher/")
    assert_inert(teacher, hostile("Deck"), hostile("Class")[:100])

    # A student plays the whole round with a hostile nickname.
    page = student.page
    page.goto(base_url + "/")
    assert_inert(student, hostile("Deck"), hostile("Description"))
    page.fill("#nickname", NICKNAME)
    page.fill("#class_code", code)
    page.click("button:has-text('Start')")
    for _ in range(4):
        page.wait_for_url(re.compile(r"/play/[\w-]+$"))
        texts, number = question_texts(page)
        assert_inert(student, *texts)
        page.click("button:has-text('Dubious')")
        page.wait_for_url(re.compile(r"/reveal/"))
        assert_inert(
            student, hostile(f"Claim {number}"), hostile(f"Explanation {number}"), hostile(f"Source {number}")
        )
        page.click("a:has-text('Next')")
    page.wait_for_url(re.compile(r"/summary$"))
    assert_inert(student, hostile("Deck"), NICKNAME, *(hostile(f"Claim {n}") for n in range(1, 5)))

    # The teacher's deck preview and results show every field, the nickname and the class name.
    teacher.page.goto(base_url + "/teacher/decks/hostile")
    every_field = [
        hostile(f"{label} {n}") for n in range(1, 5) for label in ("Title", "Claim", "Explanation")
    ]
    every_field += [hostile(f"{label} {n}") for n in range(1, 5) for label in ("Credit", "Source")]
    every_field += [hostile(f"Context {n}{part}") for n in range(1, 5) for part in "ab"]
    assert_inert(teacher, hostile("Deck"), hostile("Description"), *every_field)
    teacher.page.goto(class_url)
    assert_inert(teacher, hostile("Class")[:100], hostile("Deck"), NICKNAME, hostile("Claim 1"))
    teacher.page.goto(base_url + "/teacher/decks/hostile/results")
    assert_inert(teacher, hostile("Deck"), *(hostile(f"Claim {n}") for n in range(1, 5)))


def test_hostile_deck_text_stays_inert_on_the_kiosk(browser, base_url):
    watched = Watched(browser.new_page())
    page = watched.page
    page.goto(base_url + "/kiosk/")
    assert_inert(watched, hostile("Deck"))
    page.click("text=Tap to play")
    page.wait_for_url(re.compile(r"/kiosk/start$"))
    page.click("button:has-text('Start')")
    played = []
    for _ in range(2):
        page.wait_for_url(re.compile(r"/kiosk/play/[\w-]+$"))
        texts, number = question_texts(page)
        played.append(hostile(f"Claim {number}"))
        assert_inert(watched, *texts)
        page.click("button:has-text('Plausible')")
        page.wait_for_url(re.compile(r"/reveal/"))
        assert_inert(watched, hostile(f"Explanation {number}"), hostile(f"Source {number}"))
        # Sources are a title and a domain beside a QR code: no link, so no href to break out of.
        assert page.locator(".kiosk-sources a").count() == 0
        page.click("a:has-text('Next')")
    page.wait_for_url(re.compile(r"/summary$"))
    assert_inert(watched, *played)


def test_source_url_with_quotes_and_brackets_stays_inside_its_href(browser, base_url):
    watched = Watched(browser.new_page())
    page = watched.page
    page.goto(base_url + "/")
    page.click("button:has-text('Start')")
    page.wait_for_url(re.compile(r"/play/[\w-]+$"))
    _, number = question_texts(page)
    page.click("button:has-text('Plausible')")
    page.wait_for_url(re.compile(r"/reveal/"))
    links = page.eval_on_selector_all(
        ".sources a", "links => links.map(a => [a.getAttribute('href'), a.getAttributeNames().sort()])"
    )
    assert links == [
        [url, ["href", "rel", "target"]] for url in (f"https://example.org/{number}", *BREAKOUT_URLS)
    ]
    assert_inert(watched, *(f"Break-out {n} of {number}" for n in range(1, 4)))


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "javascript://example.org/%0Aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "https:alert(1)",
        "//evil.example/",
        "https://exa mple.org/",
        "https://example.org/\x00",
    ],
)
def test_source_url_that_is_not_a_web_address_is_refused_by_validation(url):
    deck = make_deck(1, 1)
    deck["questions"][1]["sources"] = [{"title": "Look here", "url": url}]
    text = yaml.safe_dump(deck, sort_keys=False, allow_unicode=True)
    loaded, problems = parse_deck(text, "nasty.yaml")
    assert loaded is None
    lines = text.splitlines()
    first = lines.index("- id: q2")
    url_line = next(n for n in range(first, len(lines)) if lines[n].lstrip().startswith("url:")) + 1
    assert [(p.line, p.message.split(": url")[0]) for p in problems] == [
        (url_line, "question 'q2': source 1")
    ]
    assert "url must be a web address starting with http:// or https://" in problems[0].message


def test_source_url_with_quotes_and_brackets_is_accepted_as_a_web_address():
    deck = make_deck(1, 1)
    deck["questions"][0]["sources"] = [
        {"title": f"Break-out {n}", "url": u} for n, u in enumerate(BREAKOUT_URLS)
    ]
    loaded, problems = parse_deck(yaml.safe_dump(deck, sort_keys=False), "quotes.yaml")
    assert problems == []
    assert [s.url for s in loaded.questions[0].sources] == list(BREAKOUT_URLS)
