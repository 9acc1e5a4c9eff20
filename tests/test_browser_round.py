"""A whole round in Chromium, as a student plays it: with a keyboard only, and with JavaScript off."""

from __future__ import annotations

import re

import pytest

from quiz.extensions import db as _db

from .browser import chromium, live_server

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True, "ROUND_SIZE": 4}


@pytest.fixture
def base_url(app):
    with app.app_context():
        _db.create_all()
    with live_server(app) as url:
        yield url


@pytest.fixture
def browser():
    with chromium() as browser:
        yield browser


def test_full_round_by_keyboard_alone(browser, base_url, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page.goto(base_url + "/")
    page.screenshot(path=tmp_path / "home.png", full_page=True)

    # Tab to the skip link first, then on to the form; type a nickname; press Start with Enter.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.focus("#nickname")
    page.keyboard.type("Ada")
    page.focus("button:has-text('Start')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/play/[\w-]+$"))

    for number in range(1, 5):
        page.wait_for_url(re.compile(r"/play/[\w-]+$"))
        # The shortcuts are announced once the script has run; only then do P and D work.
        page.wait_for_selector("[data-shortcuts]:not([hidden])")
        assert page.locator(".progress-text").inner_text() == f"Question {number} of 4"
        if number == 1:
            page.screenshot(path=tmp_path / "question.png", full_page=True)
        # P answers Plausible, D answers Dubious (the announced shortcuts).
        page.keyboard.press("p" if number % 2 else "d")
        page.wait_for_url(re.compile(r"/reveal/"))
        # Focus lands on the result heading, so a screen reader announces it.
        assert page.evaluate("document.activeElement.id") == "result"
        assert page.locator("#result").inner_text().strip() in ("✓ Right!", "✗ Not quite")
        if number == 1:
            page.screenshot(path=tmp_path / "reveal.png", full_page=True)
        page.focus("a:has-text('Next')")
        page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/summary$"))
    assert "Your results, Ada" in page.locator("h1").inner_text()
    assert page.locator(".review-item").count() == 4
    assert re.search(r"Dubious claims caught\s+\d of 2", page.inner_text(".tallies"))
    page.screenshot(path=tmp_path / "summary.png", full_page=True)
    for name in ("home", "question", "reveal", "summary"):
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000


def test_shortcuts_can_be_switched_off(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/")
    page.click("text=Start")
    page.wait_for_url(re.compile(r"/play/[\w-]+$"))
    page.uncheck("[data-shortcuts-toggle]")
    page.keyboard.press("p")
    page.wait_for_timeout(300)
    assert "/reveal/" not in page.url
    page.reload()
    assert not page.is_checked("[data-shortcuts-toggle]")


def test_round_works_with_javascript_off_and_survives_reload_and_back(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/")
    assert page.locator("[data-shortcuts]").count() == 0 or not page.is_visible("[data-shortcuts]")
    page.click("text=Start")
    page.wait_for_url(re.compile(r"/play/[\w-]+$"))
    round_url = page.url
    page.click("button:has-text('Dubious')")
    page.wait_for_url(re.compile(r"/reveal/"))
    page.reload()  # a reload of the reveal answers nothing again
    page.go_back()  # back to the question page: it has moved on to question 2
    page.reload()
    assert page.locator(".progress-text").inner_text() == "Question 2 of 4"
    # Close the tab and open the round's link again: it resumes.
    page.close()
    page = context.new_page()
    page.goto(round_url)
    assert page.locator(".progress-text").inner_text() == "Question 2 of 4"
    context.close()
