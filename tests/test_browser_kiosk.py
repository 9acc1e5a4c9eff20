"""The kiosk in Chromium with touch emulation: taps, idle reset, no way out, QR codes, sizes, restarts."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from quiz.extensions import db
from quiz.models import PlaySession

from .conftest import PROJECT, deck_folder, make_deck
from .test_kiosk import encodes, matrix_from_svg

pytestmark = pytest.mark.browser

SCREENS = {"landscape": {"width": 1920, "height": 1080}, "portrait": {"width": 1080, "height": 1920}}
ROUND_SIZE = 5

#: A deck that reads like the real one, so the screenshots show real lengths.
CLAIMS = [
    (
        "plausible",
        "Pyongyang's metro runs more than 100 metres underground and doubles as a bomb shelter.",
        "The Pyongyang Metro is among the deepest in the world. Its stations were built to serve as "
        "shelters in case of war, which is why they lie so far below the surface.",
        ["missing-context"],
    ),
    (
        "dubious",
        "Only 3 cars drive in all of North Korea, and all of them belong to the government.",
        "North Korea has far fewer cars than its neighbours, but traffic in Pyongyang has grown "
        "for years, and taxis and private cars are common sights there.",
        ["impossible-number", "sweeping-generalisation"],
    ),
    (
        "plausible",
        "North Koreans need permission from the state to travel around their own country.",
        "For decades North Koreans needed a travel permit to leave their home county, and special "
        "permits to visit Pyongyang or the border areas.",
        [],
    ),
    (
        "dubious",
        "Taking any photo in North Korea is illegal, so these pictures were taken with a secret camera.",
        "Tourists may take photos, with rules about soldiers and military sites. And every picture in "
        "the article is credited to an AI image generator, so nobody took them with any camera.",
        ["ai-image", "contradiction"],
    ),
    (
        "plausible",
        "The Ryugyong Hotel in Pyongyang stood unfinished for decades.",
        "Construction of the 105-storey pyramid began in 1987 and stopped in 1992; the glass outside "
        "was added from 2008, but the hotel has never opened.",
        [],
    ),
    (
        "dubious",
        "Every North Korean citizen must get the same haircut as the leader.",
        "News reports of a compulsory leader haircut in 2014 could not be confirmed, and visitors "
        "see many different hairstyles.",
        ["unverifiable", "fabricated"],
    ),
]


def kiosk_deck() -> dict:
    deck = make_deck(0, 0, id="north-korea-kiosk", title="36+ Never Before Seen Photos of North Korea")
    deck["questions"] = [
        {
            "id": f"q{n}",
            "title": f"Entry {n}",
            "claim": claim,
            "context": "Get ready to see a whole new side of the country! " * 2,
            "image_credit": "Lauren/Midjourney",
            "answer": answer,
            "explanation": explanation,
            "red_flags": flags,
            "sources": [
                {"title": f"Encyclopaedia article {n}", "url": f"https://en.wikipedia.org/wiki/Claim_{n}"},
                {
                    "title": f"News report {n} with a longer title about the claim",
                    "url": f"https://www.example-news.org/world/asia/2024/05/claim-{n}?utm_source=kiosk&ref={n}",
                },
            ],
        }
        for n, (answer, claim, explanation, flags) in enumerate(CLAIMS, start=1)
    ]
    return deck


SOURCE_URLS = {
    source["title"]: source["url"] for question in kiosk_deck()["questions"] for source in question["sources"]
}
CLAIM_TEXTS = [claim for _, claim, _, _ in CLAIMS]


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    return deck_folder(tmp_path, kiosk_deck())


@pytest.fixture
def app_config(app_config, request):
    settings = {
        "WTF_CSRF_ENABLED": True,
        "KIOSK_ROUND_SIZE": ROUND_SIZE,
        "KIOSK_IDLE_SECONDS": 60,
        "KIOSK_WARNING_SECONDS": 20,
    }
    return {**app_config, **settings, **getattr(request, "param", {})}


@pytest.fixture
def touch_screen(browser):
    """Open a kiosk screen: a touch-only browser context of the given orientation."""
    contexts = []

    def open_screen(orientation: str = "landscape"):
        context = browser.new_context(
            viewport=SCREENS[orientation],
            has_touch=True,
            is_mobile=False,  # a touch screen on a desktop Chromium, not a phone
            reduced_motion="reduce",
        )
        contexts.append(context)
        return context.new_page()

    yield open_screen
    for context in contexts:
        context.close()


# ---- actions --------------------------------------------------------------------------------------


def tap_and_wait(page, selector: str, url_pattern: str) -> None:
    page.tap(selector)
    page.wait_for_url(re.compile(url_pattern))
    page.wait_for_load_state()


def start_round(page, base_url: str, name_index: int | None = 0) -> str:
    """From the attract screen to question 1; returns the picked name ('' for none)."""
    page.goto(base_url + "/kiosk/")
    tap_and_wait(page, "text=Tap to play", r"/kiosk/start$")
    name = ""
    if name_index is not None:
        tile = page.locator(".name-tile").nth(name_index)
        name = tile.inner_text().strip()
        tile.tap()
    tap_and_wait(page, "button:has-text('Start')", r"/kiosk/play/[\w-]+$")
    return name


def answer(page, choice: str) -> None:
    tap_and_wait(page, f"button:has-text('{choice.capitalize()}')", r"/reveal/")


def next_screen(page) -> None:
    tap_and_wait(page, "a:has-text('Next')", r"/kiosk/play/[\w-]+(/summary)?$")


def question_number(page) -> int:
    return int(re.search(r"Question (\d+) of", page.inner_text(".progress-text")).group(1))


def the_claim(page) -> str:
    return page.inner_text("#claim").strip().strip("“”")


def verdict_of(claim: str) -> str:
    return next(answer for answer, text, _, _ in CLAIMS if text == claim)


def idle_dialog_visible(page) -> bool:
    return page.evaluate("document.querySelector('[data-idle-dialog]').open")


# ---- measuring a screen -----------------------------------------------------------------------------

SMALL_TARGETS = """() => [...document.querySelectorAll('a, button, input, label, select, textarea, summary')]
  .filter(el => el.type !== 'hidden' && el.checkVisibility({visibilityProperty: true, opacityProperty: true}))
  .map(el => { const box = el.getBoundingClientRect();
               return {what: el.outerHTML.slice(0, 90), width: box.width, height: box.height}; })
  .filter(box => box.width < 44 || box.height < 44)"""

SMALL_TEXT = """() => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim()) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // visually hidden, for screen readers
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 20) small.push(node.textContent.trim().slice(0, 40) + ' (' + size + 'px)');
  }
  return small;
}"""

OUTSIDE_ADDRESSES = """() => [...document.querySelectorAll('[href], [src], [action], [formaction]')]
  .flatMap(el => ['href', 'src', 'action', 'formaction']
      .filter(name => el.hasAttribute(name)).map(name => [el.tagName, el.getAttribute(name)]))
  .filter(([, value]) => new URL(value, location.href).origin !== location.origin)
  .map(([tag, value]) => tag + ' ' + value)"""


def walk_every_screen(page, app, base_url: str, visit: Callable[[str], None]) -> None:
    """Tap through every kiosk screen; call visit(name) on each."""
    page.goto(base_url + "/kiosk/")
    visit("attract")
    tap_and_wait(page, "text=Tap to play", r"/kiosk/start$")
    page.locator(".name-tile").first.tap()
    visit("names")
    tap_and_wait(page, "button:has-text('Start')", r"/kiosk/play/[\w-]+$")
    visit("question")
    for number in range(1, ROUND_SIZE + 1):
        answer(page, "plausible" if number % 2 else "dubious")
        if number == 1:
            visit("reveal")
        next_screen(page)
    page.wait_for_url(re.compile(r"/summary$"))
    visit("summary")
    round_url = page.url
    # The idle warning, on a fresh round with a short idle time.
    app.config["KIOSK_IDLE_SECONDS"] = 1
    tap_and_wait(page, "button:has-text('Play again')", r"/kiosk/play/[\w-]+$")
    page.wait_for_selector("[data-idle-dialog][open]")
    visit("warning")
    tap_and_wait(page, "button:has-text('I’m done')", r"/kiosk/$")
    app.config["KIOSK_IDLE_SECONDS"] = 60
    page.wait_for_selector(".board-row")
    visit("attract-with-best")
    page.goto(round_url)
    visit("ended")


# ---- tests ----------------------------------------------------------------------------------------------


def test_round_played_by_taps(app, base_url, touch_screen):
    page = touch_screen("portrait")
    name = start_round(page, base_url, name_index=1)
    right = 0
    for number in range(1, ROUND_SIZE + 1):
        assert question_number(page) == number
        truth = verdict_of(the_claim(page))
        # Right every time but the second.
        choice = truth if number != 2 else {"plausible": "dubious", "dubious": "plausible"}[truth]
        answer(page, choice)
        right += choice == truth
        assert page.inner_text("#result").strip() == ("✓ Right!" if choice == truth else "✗ Not quite")
        next_screen(page)
    page.wait_for_url(re.compile(r"/summary$"))
    assert page.inner_text("h1").strip() == f"Well played, {name}!"
    assert page.inner_text(".score-number") == str(right)
    with app.app_context():
        play = db.session.scalar(db.select(PlaySession))
        assert (play.mode, play.nickname, play.finished_at is not None) == ("kiosk", name, True)
        assert sum(a.correct for a in play.answers) == right == ROUND_SIZE - 1
    tap_and_wait(page, "button:has-text('Done')", r"/kiosk/$")
    assert name in page.inner_text(".board")


@pytest.mark.parametrize("orientation", SCREENS)
def test_every_screen_has_big_targets_and_text(app, base_url, touch_screen, tmp_path, orientation):
    page = touch_screen(orientation)
    problems: dict[str, list] = {}
    screenshots = []

    def visit(screen: str) -> None:
        path = tmp_path / f"kiosk-{orientation}-{screen}.png"
        page.screenshot(path=path, full_page=True)
        screenshots.append(path)
        problems[f"{screen}: targets under 44x44"] = page.evaluate(SMALL_TARGETS)
        problems[f"{screen}: text under 20px"] = page.evaluate(SMALL_TEXT)
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        problems[f"{screen}: wider than the screen"] = [wide] if wide else []

    walk_every_screen(page, app, base_url, visit)
    assert [p.name.split("-")[-1] for p in screenshots] == [
        f"{s}.png" for s in ("attract", "names", "question", "reveal", "summary", "warning", "best", "ended")
    ]
    assert all(p.stat().st_size > 10_000 for p in screenshots)
    assert {what: found for what, found in problems.items() if found} == {}


def test_no_external_address_on_any_kiosk_screen(app, base_url, touch_screen):
    page = touch_screen("portrait")
    outside: dict[str, list] = {}
    links: dict[str, int] = {}

    def visit(screen: str) -> None:
        outside[screen] = page.evaluate(OUTSIDE_ADDRESSES)
        links[screen] = page.locator("a[href], form[action]").count()

    walk_every_screen(page, app, base_url, visit)
    assert {screen: found for screen, found in outside.items() if found} == {}
    assert all(links.values()), links  # the check looked at pages that do have addresses


@pytest.mark.parametrize(
    "app_config", [{"KIOSK_IDLE_SECONDS": 2, "KIOSK_WARNING_SECONDS": 3}], indirect=True, ids=["idle-2s"]
)
def test_idle_warning_counts_down_then_resets_to_attract(app, base_url, touch_screen):
    page = touch_screen("landscape")
    start_round(page, base_url)
    answer(page, "plausible")
    shown_at = time.monotonic()
    page.wait_for_selector("[data-idle-dialog][open]", timeout=5000)
    assert 1.5 < time.monotonic() - shown_at < 4.5
    assert page.is_visible("button:has-text('Keep playing')")
    first = int(page.inner_text("[data-countdown]"))
    page.wait_for_function(f"() => Number(document.querySelector('[data-countdown]').textContent) < {first}")
    page.wait_for_url(re.compile(r"/kiosk/$"), timeout=6000)
    assert "Tap to play" in page.inner_text("main")
    with app.app_context():
        play = db.session.scalar(db.select(PlaySession))
        assert play.abandoned_at is not None and len(play.answers) == 1
    # The kiosk's cookie no longer names the round.
    cookie = next(
        c["value"] for c in page.context.cookies() if c["name"] == app.config["SESSION_COOKIE_NAME"]
    )
    assert "plays" not in app.session_interface.get_signing_serializer(app).loads(cookie)


@pytest.mark.parametrize(
    "app_config", [{"KIOSK_IDLE_SECONDS": 2, "KIOSK_WARNING_SECONDS": 2}], indirect=True, ids=["idle-2s"]
)
def test_keep_playing_cancels_the_reset(app, base_url, touch_screen):
    page = touch_screen("portrait")
    start_round(page, base_url)
    claim = the_claim(page)
    page.wait_for_selector("[data-idle-dialog][open]", timeout=5000)
    page.tap("button:has-text('Keep playing')")
    assert not idle_dialog_visible(page)
    page.wait_for_timeout(3000)  # longer than the warning would have lasted
    assert re.search(r"/kiosk/play/[\w-]+$", page.url)
    assert the_claim(page) == claim
    with app.app_context():
        assert db.session.scalar(db.select(PlaySession.abandoned_at)) is None
    # The idle clock started again: the warning comes back after another quiet spell.
    page.wait_for_selector("[data-idle-dialog][open]", timeout=5000)


@pytest.mark.parametrize(
    "app_config", [{"KIOSK_IDLE_SECONDS": 2, "KIOSK_WARNING_SECONDS": 2}], indirect=True, ids=["idle-2s"]
)
def test_back_after_reset_shows_nothing_of_last_player(app, base_url, touch_screen):
    page = touch_screen("landscape")
    name = start_round(page, base_url)
    seen = []
    for _ in range(2):
        seen.append(the_claim(page))
        answer(page, "dubious")
        next_screen(page)
    seen.append(the_claim(page))
    page.wait_for_url(re.compile(r"/kiosk/$"), timeout=8000)  # idle, warning, reset
    traces = [name, "Question ", "You said", *seen]
    visited = []
    for _ in range(8):
        page.go_back()
        page.wait_for_load_state()
        if page.url == "about:blank":  # the new tab's first page: nothing further back
            break
        visited.append(page.url)
        text = page.inner_text("body")
        assert not page.url.startswith("chrome-error:")
        assert [t for t in traces if t in text] == [], page.url
        assert "Tap to play" in text
    assert any("/kiosk/play/" in url for url in visited), visited  # back did reach an old round address


def test_qr_codes_encode_their_source_urls(base_url, touch_screen):
    page = touch_screen("landscape")
    start_round(page, base_url, name_index=None)
    checked = 0
    for _ in range(ROUND_SIZE):
        answer(page, "plausible")
        cards = page.locator(".qr-card")
        assert cards.count() == 2
        for card in cards.all():
            title = card.locator(".qr-title").inner_text().strip()
            url = SOURCE_URLS[title]
            assert card.locator(".qr-domain").inner_text().strip() == re.sub(r"^www\.", "", url.split("/")[2])
            matrix = matrix_from_svg(card.locator("svg").evaluate("svg => svg.outerHTML"))
            assert encodes(matrix, url), title
            assert not encodes(matrix, url.replace("https", "http")), title
            box = card.locator("svg").bounding_box()
            assert box["width"] >= 150  # big enough to scan from a step away
            checked += 1
        next_screen(page)
    assert checked == 2 * ROUND_SIZE


# ---- a server restart mid-round --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server_process(app_config: dict, port: int, log: Path) -> Iterator[subprocess.Popen]:
    """The game in its own process (`quiz serve`), as it runs for real; stopped on exit."""
    env = {
        **os.environ,
        "QUIZ_SECRET_KEY": app_config["SECRET_KEY"],
        "QUIZ_DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"],
        "QUIZ_QUESTIONS_DIR": app_config["QUESTIONS_DIR"],
        "QUIZ_KIOSK_ROUND_SIZE": str(ROUND_SIZE),
    }
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", "from quiz.cli import main; main()", "serve", "--port", str(port)],
            cwd=PROJECT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start: {log.read_text()}") from None
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_server_restart_mid_round_recovers(app, app_config, touch_screen, tmp_path):
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    page = touch_screen("portrait")
    offline = page.locator("[data-offline]")

    with server_process(app_config, port, log):
        start_round(page, base_url)
        answer(page, "plausible")
        next_screen(page)
        assert question_number(page) == 2

    # The server is gone while the page just sits there: the page notices by itself.
    offline.wait_for(state="visible", timeout=10_000)
    page.screenshot(path=tmp_path / "kiosk-portrait-reconnecting.png")
    with server_process(app_config, port, log):
        offline.wait_for(state="hidden", timeout=10_000)
        page.wait_for_load_state()
        assert question_number(page) == 2
        assert page.is_visible("button:has-text('Plausible')")

    # Gone again, and this time the player taps an answer before the page has noticed.
    page.tap("button:has-text('Dubious')")
    offline.wait_for(state="visible", timeout=10_000)
    assert re.search(r"/kiosk/play/[\w-]+$", page.url)
    with server_process(app_config, port, log):
        offline.wait_for(state="hidden", timeout=10_000)
        page.wait_for_load_state()
        assert not page.url.startswith("chrome-error:")
        # The tap never reached the server: question 2 waits, and answering it works now.
        assert question_number(page) == 2
        answer(page, "dubious")
        assert page.inner_text("#result").strip() in ("✓ Right!", "✗ Not quite")
    with app.app_context():
        play = db.session.scalar(db.select(PlaySession))
        assert len(play.answers) == 2 and play.abandoned_at is None


# ---- what a visitor must see, on every common kiosk screen ----------------------------------------

KIOSK_SIZES = [(1920, 1080), (1366, 768), (1280, 800), (1080, 1920), (800, 1280)]


@pytest.fixture
def longest_entries(tmp_path) -> Path:
    """A deck of the bundled deck's six longest entries (claim and published text): the hardest to fit."""
    import yaml

    bundled = yaml.safe_load((PROJECT / "questions" / "north-korea-photos.yaml").read_text(encoding="utf-8"))
    entries = sorted(bundled["questions"], key=lambda q: -len(q["claim"] + q.get("context", "")))[:6]
    return deck_folder(tmp_path / "long", {**bundled, "id": "longest", "questions": entries})


@pytest.mark.parametrize(("width", "height"), KIOSK_SIZES, ids=[f"{w}x{h}" for w, h in KIOSK_SIZES])
def test_answers_verdict_and_why_fit_without_scrolling(app_config, longest_entries, browser, width, height):
    from quiz import create_app

    from .browser import live_server

    app = create_app({**app_config, "QUESTIONS_DIR": str(longest_entries), "KIOSK_ROUND_SIZE": 6})
    with app.app_context():
        db.create_all()
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=True, reduced_motion="reduce"
    )
    page = context.new_page()

    def on_screen(selector: str) -> bool:
        box = page.locator(selector).first.bounding_box()
        return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height

    misfits = []
    try:
        with live_server(app) as url:
            page.goto(url + "/kiosk/start")
            page.tap("button:has-text('Start')")
            for _ in range(6):
                page.wait_for_url(re.compile(r"/kiosk/play/[\w-]+$"))
                for button in ("button[value=plausible]", "button[value=dubious]"):
                    if not on_screen(button):
                        misfits.append(f"question {page.url}: {button} below the fold")
                page.tap("button[value=plausible]")
                page.wait_for_url(re.compile(r"/reveal/"))
                # The verdict, and the first lines of Why, above the Next bar.
                next_top = page.locator(".kiosk-next").bounding_box()["y"]
                why = page.locator(".why p").first.bounding_box()
                if not on_screen(".verdict-line") or why["y"] + 40 > next_top:
                    misfits.append(f"reveal {page.url}: Why starts at {why['y']:.0f}, Next at {next_top:.0f}")
                page.tap("a.btn-next")
            page.wait_for_url(re.compile(r"/summary$"))
    finally:
        context.close()
        with app.app_context():
            db.engine.dispose()
    assert misfits == []
