"""The kiosk through the test client: rounds, the reset, today's best, no way out, QUIZ_KIOSK_ONLY."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import segno

from quiz.extensions import db
from quiz.kiosk.names import ADJECTIVES, ANIMALS, generate_names, is_generated_name
from quiz.kiosk.views import SCREEN, start_of_today
from quiz.models import Answer, PlaySession
from quiz.qr import qr_svg
from quiz.round.browser import forget
from quiz.services.rounds import best_kiosk_scores

from .conftest import Player, make_deck, make_question, write_deck

# ---- helpers -------------------------------------------------------------------------------------


class KioskPlayer(Player):
    """Plays the kiosk through the test client, as a touch screen would."""

    prefix = "/kiosk/play"

    def start(self, nickname: str = ""):  # type: ignore[override]
        return super().start(nickname=nickname)

    def reset(self):
        return self.client.post("/kiosk/reset")

    def cookie_plays(self) -> list[str]:
        with self.client.session_transaction() as cookie:
            return list(cookie.get("plays", []))


@pytest.fixture
def kiosk(client) -> KioskPlayer:
    return KioskPlayer(client)


def verdict(qid: str) -> str:
    """The test deck's answer for a question id: q1-q6 plausible, q7-q12 dubious."""
    return "plausible" if int(qid[1:]) <= 6 else "dubious"


class Addresses(HTMLParser):
    """Every address a page could take the browser to: href, src, action, formaction."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self.inline_scripts = 0
        self.style_attributes = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src", "action", "formaction", "xlink:href", "data", "poster"):
            if values.get(name) is not None:
                self.found.append((tag, name, values[name] or ""))
        if tag == "script" and not values.get("src"):
            self.inline_scripts += 1
        if "style" in values:
            self.style_attributes += 1


def addresses(html: str) -> Addresses:
    parser = Addresses()
    parser.feed(html)
    return parser


def leaves_app(address: str) -> bool:
    """Whether an address goes anywhere but a path of this site."""
    parts = urlsplit(address)
    return bool(parts.scheme or parts.netloc) or not (address.startswith("/") or address.startswith("#"))


def qr_matrices(html: str) -> list[tuple[list[list[int]], str]]:
    """Each inline QR code of a page as a module matrix, with the source title printed under it."""
    cards = re.findall(
        r'<li class="qr-card">\s*<div class="qr-box">(<svg.*?</svg>)</div>\s*<p class="qr-title">(.*?)</p>',
        html,
        re.S,
    )
    return [(matrix_from_svg(svg), title) for svg, title in cards]


def matrix_from_svg(svg: str) -> list[list[int]]:
    """Redraw the dark modules of an SVG QR code (runs of a 1-unit stroke), cropped to the symbol."""
    width, height = (int(float(n)) for n in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    grid = [[0] * width for _ in range(height)]
    x = y = 0.0
    for path in re.findall(r'<path[^>]*\sd="([^"]+)"', svg):
        for command, a, b in re.findall(r"([MmHh])\s*(-?[\d.]+)(?:[\s,]+(-?[\d.]+))?", path):
            if command == "M":
                x, y = float(a), float(b)
            elif command == "m":
                x, y = x + float(a), y + float(b)
            else:
                end = float(a) if command == "H" else x + float(a)
                for column in range(round(x), round(end)):
                    grid[int(y)][column] = 1
                x = end
    rows = [r for r in range(height) if any(grid[r])]
    columns = [c for c in range(width) if any(grid[r][c] for r in range(height))]
    return [grid[r][columns[0] : columns[-1] + 1] for r in range(rows[0], rows[-1] + 1)]


def encodes(matrix: list[list[int]], url: str) -> bool:
    """Whether the matrix is a QR code of exactly `url` (any error level and mask segno could pick)."""
    size = len(matrix)
    if size < 21 or (size - 17) % 4 or any(len(row) != size for row in matrix):
        return False
    version = (size - 17) // 4
    for error in "LMQH":
        for mask in range(8):
            try:
                code = segno.make_qr(url, version=version, error=error, mask=mask, boost_error=False)
            except segno.DataOverflowError:
                continue
            if [list(row) for row in code.matrix] == matrix:
                return True
    return False


# ---- the attract screen and starting a round -----------------------------------------------------


def test_attract_shows_deck_title_tap_to_play_and_empty_board(client):
    page = client.get("/kiosk/")
    assert page.status_code == 200
    assert "Test deck" in page.text
    assert "Tap to play" in page.text
    assert "No scores yet today" in page.text


def test_kiosk_without_trailing_slash_leads_to_attract(client):
    response = client.get("/kiosk", follow_redirects=True)
    assert "Tap to play" in response.text


@pytest.fixture
def two_decks(deck_dir):
    write_deck(deck_dir, make_deck(id="zebra-deck", title="Zebra claims"), "zebra.yaml")
    write_deck(deck_dir, make_deck(id="aardvark-deck", title="Aardvark claims"), "aardvark.yaml")
    return deck_dir


def test_kiosk_plays_first_deck_by_default(client, two_decks):
    assert "Aardvark claims" in client.get("/kiosk/").text


def test_kiosk_plays_deck_named_by_config(app, client, two_decks, kiosk):
    app.config["KIOSK_DECK"] = "zebra-deck"
    assert "Zebra claims" in client.get("/kiosk/").text
    kiosk.start()
    with app.app_context():
        assert db.session.scalar(db.select(PlaySession.deck_id)) == "zebra-deck"


def test_kiosk_deck_config_naming_no_deck_falls_back_to_first(app, client, two_decks):
    app.config["KIOSK_DECK"] = "no-such-deck"
    assert "Aardvark claims" in client.get("/kiosk/").text


def test_attract_without_decks_offers_no_round(client, deck_dir):
    (deck_dir / "test-deck.yaml").unlink()
    page = client.get("/kiosk/")
    assert "No deck is loaded yet" in page.text
    assert 'href="/kiosk/start"' not in page.text
    assert client.post("/kiosk/play", data={"nickname": ""}).headers["Location"] == "/kiosk/"


def test_names_page_offers_generated_names_and_no_name(client):
    page = client.get("/kiosk/start")
    offered = re.findall(r'name="nickname" value="([^"]*)"', page.text)
    assert len(offered) == 5
    assert offered[-1] == ""
    assert all(is_generated_name(name) for name in offered[:-1])
    assert 'type="text"' not in page.text  # nothing to type


def test_generated_names_repeat_no_word():
    names = generate_names(4)
    words = [word for name in names for word in name.split(" ")]
    assert len(names) == 4 and len(set(words)) == 8


def test_generated_names_use_only_the_word_lists():
    assert is_generated_name(f"{ADJECTIVES[0]} {ANIMALS[-1]}")
    assert not is_generated_name("Swift Fox Extra")
    assert not is_generated_name("Mr Rude")
    assert not is_generated_name("")


def test_start_with_picked_name_starts_kiosk_round(app, kiosk):
    response = kiosk.start("Swift Fox")
    assert kiosk.token
    assert response.headers["Location"] == kiosk.url
    with app.app_context():
        play = db.session.scalar(db.select(PlaySession))
        assert (play.mode, play.nickname, len(play.question_ids)) == ("kiosk", "Swift Fox", 5)


def test_start_without_name_is_anonymous(app, kiosk):
    kiosk.start("")
    with app.app_context():
        assert db.session.scalar(db.select(PlaySession.nickname)) is None


def test_kiosk_round_size_follows_config(app, kiosk):
    app.config["KIOSK_ROUND_SIZE"] = 3
    kiosk.start()
    assert len(kiosk.play_round(verdict)) == 3


def test_start_with_a_typed_name_is_refused(app, client, kiosk):
    response = kiosk.start("Anything I like")
    assert response.headers["Location"] == "/kiosk/start"
    assert "Pick one of the names" in client.get("/kiosk/start").text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(PlaySession.id))) == 0


# ---- playing ---------------------------------------------------------------------------------------


def test_round_played_to_summary_scores_server_side(kiosk, client):
    kiosk.start("Calm Owl")
    played = kiosk.play_round(lambda qid: "dubious")
    right = sum(verdict(qid) == "dubious" for qid, _ in played)
    page = client.get(f"{kiosk.url}/summary")
    assert page.status_code == 200
    # Answering "dubious" every time is no better than guessing: the screen does not praise it.
    assert "Round over, Calm Owl!" in page.text and "Well played" not in page.text
    assert re.search(rf'<span class="score-number">{right}</span> of 5 right', page.text)
    assert "Play again" in page.text and ">Done<" in page.text


def test_question_page_keeps_verdict_and_sources_back(kiosk, client):
    kiosk.start()
    page = client.get(kiosk.url).text
    qid = re.search(r'name="question_id" type="hidden" value="([^"]+)"', page).group(1)
    assert f"Explanation {qid[1:]}:" not in page
    assert "example.org" not in page
    assert "qr-code" not in page


def test_reveal_shows_source_title_domain_and_qr_but_no_link(client, deck_dir, kiosk):
    deck = make_deck()
    deck["questions"] = [
        make_question(
            n,
            "plausible" if n <= 6 else "dubious",
            sources=[
                {"title": f"Atlas {n}", "url": f"https://www.atlas.example/entry/{n}?lang=en&id={n}"},
                {"title": f"Archive {n}", "url": f"http://archive.example.net/{n}"},
            ],
        )
        for n in range(1, 13)
    ]
    write_deck(deck_dir, deck)
    kiosk.start()
    qid = kiosk.current_question_id()
    reveal = client.get(kiosk.answer(qid, "plausible").headers["Location"])
    number = qid[1:]
    assert f"Atlas {number}" in reveal.text and "atlas.example" in reveal.text
    assert f"Archive {number}" in reveal.text and "archive.example.net" in reveal.text
    assert reveal.text.count('class="qr-code"') == 2
    assert not [a for a in addresses(reveal.text).found if leaves_app(a[2])]
    cards = qr_matrices(reveal.text)
    urls = {
        f"Atlas {number}": f"https://www.atlas.example/entry/{number}?lang=en&amp;id={number}",
        f"Archive {number}": f"http://archive.example.net/{number}",
    }
    assert [title for _, title in cards] == [f"Atlas {number}", f"Archive {number}"]
    for matrix, title in cards:
        assert encodes(matrix, urls[title].replace("&amp;", "&")), title
        assert not encodes(matrix, "https://example.org/somewhere-else"), title


def test_qr_svg_encodes_the_url_and_only_it():
    url = "https://en.wikipedia.org/wiki/Pyongyang_Metro"
    matrix = matrix_from_svg(str(qr_svg(url)))
    assert encodes(matrix, url)
    assert not encodes(matrix, url + "x")


def test_qr_svg_has_no_inline_style_for_the_csp():
    svg = str(qr_svg("https://example.org/a?b=c&d=<e>"))
    assert "style=" not in svg and "<script" not in svg and "<e>" not in svg


def test_answer_twice_counts_once(app, kiosk):
    kiosk.start()
    qid = kiosk.current_question_id()
    kiosk.answer(qid, "plausible")
    kiosk.answer(qid, "dubious")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Answer.id))) == 1


def test_play_again_starts_new_round_with_same_name_and_forgets_old(app, client, kiosk):
    kiosk.start("Keen Lynx")
    kiosk.play_round(verdict)
    old = kiosk.token
    response = client.post("/kiosk/again", data={"token": old})
    new = response.headers["Location"].rsplit("/", 1)[-1]
    assert new != old
    assert kiosk.cookie_plays() == [new]
    with app.app_context():
        play = db.session.scalar(db.select(PlaySession).where(PlaySession.token == new))
        assert (play.mode, play.nickname) == ("kiosk", "Keen Lynx")


def test_new_round_closes_the_previous_open_one(app, kiosk):
    kiosk.start()
    first = kiosk.token
    kiosk.start()
    assert kiosk.cookie_plays() == [kiosk.token]
    with app.app_context():
        old = db.session.scalar(db.select(PlaySession).where(PlaySession.token == first))
        assert old.abandoned_at is not None


# ---- the reset: nothing of the last player is left --------------------------------------------------


def test_reset_abandons_round_clears_cookie_and_goes_to_attract(app, kiosk):
    kiosk.start("Wise Heron")
    qid = kiosk.current_question_id()
    kiosk.answer(qid, "dubious")
    response = kiosk.reset()
    assert response.headers["Location"] == "/kiosk/"
    assert kiosk.cookie_plays() == []
    with app.app_context():
        play = db.session.scalar(db.select(PlaySession))
        assert play.abandoned_at is not None and play.finished_at is None


def test_reset_of_finished_round_keeps_it_finished(app, kiosk):
    kiosk.start()
    kiosk.play_round(verdict)
    kiosk.reset()
    with app.app_context():
        play = db.session.scalar(db.select(PlaySession))
        assert play.finished_at is not None and play.abandoned_at is None


@pytest.mark.parametrize("page", ["", "/reveal/{qid}", "/summary"])
def test_old_round_pages_after_reset_show_nothing_of_it(client, kiosk, page):
    kiosk.start("Brave Otter")
    qid = kiosk.current_question_id()
    kiosk.answer(qid, "dubious")
    kiosk.reset()
    response = client.get(kiosk.url + page.format(qid=qid))
    assert response.status_code == 404
    assert "This round is over" in response.text
    for trace in (f"Claim number {qid[1:]}", "Brave Otter", "Question", "of 5"):
        assert trace not in response.text
    assert not [a for a in addresses(response.text).found if leaves_app(a[2])]


def test_reset_forgets_only_kiosk_rounds(app, client, player, kiosk):
    player.start()
    kiosk.start()
    kiosk.reset()
    assert kiosk.cookie_plays() == [player.token]


def test_reset_drops_messages_meant_for_last_player(client, kiosk):
    kiosk.start()
    kiosk.client.post(f"{kiosk.url}/answer", data={})  # flashes "Tap Plausible or Dubious"
    kiosk.reset()
    page = client.get("/kiosk/").text
    assert "to answer" not in page and 'class="flash"' not in page


def test_web_and_kiosk_rounds_do_not_mix(client, player, kiosk):
    player.start()
    assert client.get(f"/kiosk/play/{player.token}").status_code == 404
    kiosk.start()
    assert client.get(f"/play/{kiosk.token}").status_code == 404


def test_another_browser_cannot_open_a_kiosk_round(app, kiosk):
    kiosk.start()
    assert app.test_client().get(kiosk.url).status_code == 404


def test_forgetting_kiosk_rounds_drops_rounds_that_no_longer_exist(app):
    with app.test_request_context("/kiosk/reset", method="POST"):
        from flask import session

        session["plays"] = ["gone-token"]
        forget(SCREEN)
        assert "plays" not in session


# ---- today's best ---------------------------------------------------------------------------------


def add_round(
    mode="kiosk",
    nickname=None,
    right=3,
    total=5,
    finished: datetime | None = None,
    abandoned=False,
    deck="test-deck",
):
    """A play session with `right` of `total` answers correct, finished at `finished`."""
    finished = finished or datetime.now(UTC)
    play = PlaySession(
        token=f"t{db.session.scalar(db.select(db.func.count(PlaySession.id)))}",
        deck_id=deck,
        mode=mode,
        nickname=nickname,
        question_order='["' + '","'.join(f"q{n}" for n in range(1, total + 1)) + '"]',
        finished_at=None if abandoned else finished,
        abandoned_at=finished if abandoned else None,
    )
    db.session.add(play)
    db.session.flush()
    for n in range(1, total + 1):
        db.session.add(
            Answer(session_id=play.id, question_id=f"q{n}", choice="plausible", correct=n <= right)
        )
    db.session.flush()
    return play


def test_best_scores_are_todays_finished_kiosk_rounds_best_first(app):
    today = start_of_today()
    with app.app_context():
        add_round(nickname="Calm Owl", right=3, finished=today + timedelta(minutes=5))
        add_round(nickname="Swift Fox", right=5, finished=today + timedelta(minutes=9))
        add_round(nickname=None, right=4, finished=today + timedelta(minutes=7))
        add_round(nickname="Keen Lynx", right=4, finished=today + timedelta(minutes=8))
        add_round(nickname="Yesterday", right=5, finished=today - timedelta(minutes=1))
        add_round(nickname="Walked Away", right=5, abandoned=True)
        add_round(nickname="Web Player", right=5, mode="web")
        add_round(nickname="Other Deck", right=5, deck="other-deck")
        db.session.commit()
        best = best_kiosk_scores("test-deck", today, limit=5)
    assert [(b.nickname, b.score, b.total) for b in best] == [
        ("Swift Fox", 5, 5),
        ("Keen Lynx", 4, 5),  # later than the unnamed round: ties go to the latest
        (None, 4, 5),
        ("Calm Owl", 3, 5),
    ]


def test_a_mornings_scripted_perfect_rounds_do_not_own_the_board(app):
    """Six perfect rounds in under a second at opening time, all under one name, take one line;
    a perfect round later in the day goes above them."""
    today = start_of_today()
    with app.app_context():
        for n in range(6):
            add_round(nickname="Bot Bot", right=5, finished=today + timedelta(hours=9, milliseconds=150 * n))
        add_round(nickname="Calm Owl", right=5, finished=today + timedelta(hours=15))
        add_round(nickname=None, right=5, finished=today + timedelta(hours=14))
        add_round(nickname=None, right=5, finished=today + timedelta(hours=13))
        db.session.commit()
        best = best_kiosk_scores("test-deck", today, limit=5)
    assert [b.nickname for b in best] == ["Calm Owl", None, None, "Bot Bot"]


def test_best_scores_are_limited(app):
    with app.app_context():
        for right in range(6):
            add_round(right=right)
        db.session.commit()
        assert [b.score for b in best_kiosk_scores("test-deck", start_of_today(), limit=3)] == [5, 4, 3]


def test_attract_lists_todays_best_after_a_round(client, kiosk):
    kiosk.start("Sunny Puffin")
    kiosk.play_round(verdict)
    page = client.get("/kiosk/").text
    assert "Sunny Puffin" in page
    assert re.search(r'<span class="board-score">5<span class="board-of"> / 5</span>', page)


def test_attract_board_leaves_out_abandoned_rounds(client, kiosk):
    kiosk.start("Plucky Raven")
    kiosk.answer(kiosk.current_question_id(), "plausible")
    kiosk.reset()
    assert "Plucky Raven" not in client.get("/kiosk/").text


# ---- no way out ------------------------------------------------------------------------------------


def kiosk_pages(client, kiosk) -> dict[str, object]:
    """One response of every kiosk page type."""
    pages = {"attract": client.get("/kiosk/"), "names": client.get("/kiosk/start")}
    kiosk.start("Steady Badger")
    pages["question"] = client.get(kiosk.url)
    qid = kiosk.current_question_id()
    pages["reveal"] = client.get(kiosk.answer(qid, verdict(qid)).headers["Location"])
    kiosk.play_round(verdict)
    pages["summary"] = client.get(f"{kiosk.url}/summary")
    old = kiosk.url
    kiosk.reset()
    pages["ended"] = client.get(old)
    pages["unknown"] = client.get("/kiosk/no-such-page")
    pages["wrong method"] = client.get("/kiosk/reset")
    return pages


def test_no_kiosk_page_links_out_of_the_app(client, kiosk):
    for name, page in kiosk_pages(client, kiosk).items():
        found = addresses(page.text).found
        assert found, name
        outside = [a for a in found if leaves_app(a[2])]
        assert not outside, f"{name}: {outside}"
        assert "/teacher" not in page.text, name
        # The web game's pages are in the app, but a kiosk never sends a player there.
        assert not [a for a in found if a[0] == "a" and not a[2].startswith(("/kiosk", "#"))], name


def test_kiosk_pages_have_no_inline_script_or_style(client, kiosk):
    for name, page in kiosk_pages(client, kiosk).items():
        found = addresses(page.text)
        assert (found.inline_scripts, found.style_attributes) == (0, 0), name


def test_kiosk_pages_are_never_cached(client, kiosk):
    for name, page in kiosk_pages(client, kiosk).items():
        assert page.headers.get("Cache-Control") == "no-store", name


def test_kiosk_pages_carry_idle_settings(app, client):
    app.config.update(KIOSK_IDLE_SECONDS=45, KIOSK_WARNING_SECONDS=25)
    page = client.get("/kiosk/start").text
    assert 'data-idle-seconds="45"' in page and 'data-warning-seconds="25"' in page
    assert "Keep playing" in page


def test_unknown_kiosk_path_is_a_kiosk_page(client):
    response = client.get("/kiosk/nothing/here")
    assert response.status_code == 404
    assert "Tap to play" in response.text
    assert 'href="/"' not in response.text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"x" * 1_100_000, "application/x-www-form-urlencoded"), (b"{not json", "application/json")],
    ids=["too-large", "not-a-form"],
)
def test_unreadable_post_gets_a_kiosk_page(client, body, content_type):
    response = client.post("/kiosk/reset", data=body, content_type=content_type)
    assert 400 <= response.status_code < 500
    assert "Tap to play" in response.text


def test_kiosk_error_is_a_kiosk_page_without_traceback(app, client, monkeypatch):
    from quiz.kiosk import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.rounds, "best_kiosk_scores", broken)
    response = client.get("/kiosk/")
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.text
    assert "boom" not in response.text and "Traceback" not in response.text
    assert not [a for a in addresses(response.text).found if leaves_app(a[2])]


# ---- QUIZ_KIOSK_ONLY -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/play/some-token", "/teacher/", "/teacher/login", "/no-such-page"])
def test_kiosk_only_sends_every_other_page_to_kiosk(app, client, path):
    app.config["KIOSK_ONLY"] = True
    response = client.get(path)
    assert response.status_code in (302, 303, 307)
    assert response.headers["Location"] == "/kiosk/"


def test_kiosk_only_sends_posts_to_kiosk_too(app, client):
    app.config["KIOSK_ONLY"] = True
    assert client.post("/play", data={"deck": "test-deck"}).headers["Location"] == "/kiosk/"


@pytest.mark.parametrize("path", ["/healthz", "/static/kiosk.css", "/kiosk/", "/kiosk/start"])
def test_kiosk_only_keeps_kiosk_static_and_health(app, client, path):
    app.config["KIOSK_ONLY"] = True
    response = client.get(path)
    response.close()
    assert response.status_code == 200


@pytest.mark.parametrize("failure", ["static 404", "csrf 400"])
def test_on_a_kiosk_only_server_every_error_page_is_a_kiosk_page_with_its_idle_reset(app, client, failure):
    app.config["KIOSK_ONLY"] = True
    if failure == "static 404":
        response = client.get("/static/no-such-file.css")
        assert response.status_code == 404
    else:
        app.config["WTF_CSRF_ENABLED"] = True
        response = client.post("/kiosk/play", data={})
        assert response.status_code == 400
    assert 'data-idle="on"' in response.text and "kiosk.js" in response.text
    assert "/teacher" not in response.text and 'href="/"' not in response.text


def test_without_kiosk_only_the_web_game_stays(client):
    assert client.get("/").status_code == 200


def test_kiosk_only_from_environment(monkeypatch, app_config):
    from quiz import create_app

    monkeypatch.setenv("QUIZ_KIOSK_ONLY", "1")
    monkeypatch.setenv("QUIZ_SECRET_KEY", "a-secret-key-long-enough")
    monkeypatch.setenv("QUIZ_DATABASE_URL", app_config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("QUIZ_QUESTIONS_DIR", app_config["QUESTIONS_DIR"])
    monkeypatch.setenv("QUIZ_KIOSK_DECK", "test-deck")
    app = create_app()
    assert app.config["KIOSK_ONLY"] == 1 and app.config["KIOSK_DECK"] == "test-deck"
    assert app.test_client().get("/").headers["Location"] == "/kiosk/"


# ---- CSRF ------------------------------------------------------------------------------------------


@pytest.fixture
def csrf_client(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app.test_client()


def test_reset_without_csrf_token_is_refused_and_closes_nothing(app, csrf_client):
    page = csrf_client.get("/kiosk/start").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    start = csrf_client.post("/kiosk/play", data={"nickname": "", "csrf_token": token})
    assert start.headers["Location"].startswith("/kiosk/play/")
    refused = csrf_client.post("/kiosk/reset")
    assert refused.status_code == 400
    assert "Tap to play" in refused.text
    with app.app_context():
        assert db.session.scalar(db.select(PlaySession.abandoned_at)) is None
    done = csrf_client.post("/kiosk/reset", data={"csrf_token": token})
    assert done.headers["Location"] == "/kiosk/"
    with app.app_context():
        assert db.session.scalar(db.select(PlaySession.abandoned_at)) is not None
