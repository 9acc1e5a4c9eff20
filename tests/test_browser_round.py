"""A whole round in Chromium, as a student plays it: with a keyboard only, and with JavaScript off."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True, "ROUND_SIZE": 4}


#: What has focus, and whether its focus can be seen: a ring (outline or box-shadow) of at least 2px.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)
               || (style.boxShadow !== "none" && style.boxShadow !== unfocusedShadow(el));
  function unfocusedShadow(element) {
    // A shadow counts as a focus ring only if the element does not wear it anyway.
    const copy = element.cloneNode(true);
    copy.removeAttribute("id");
    element.after(copy);
    const shadow = getComputedStyle(copy).boxShadow;
    copy.remove();
    return shadow;
  }
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    text: el.textContent.replace(/\\s+/g, " ").trim() || el.value || "",
    id: el.id,
    type: el.type || "",
    ring: ring,
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
              && box.top < innerHeight && box.left < innerWidth,
  };
}"""


def tab(page, times: int = 1) -> dict:
    """Press Tab; what has focus now, which must show it."""
    for _ in range(times):
        page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["ring"], f"no visible focus on {focused}"
    assert focused["onScreen"], f"the focused element is off screen: {focused}"
    return focused


def tab_to(page, text: str, limit: int = 25) -> dict:
    """Tab on until the element with this text has focus, every stop showing its focus."""
    for _ in range(limit):
        focused = tab(page)
        if focused["text"] == text:
            return focused
    raise AssertionError(f"Tab never reached {text!r}")


def test_full_round_by_keyboard_alone(browser, base_url):
    """Tab order, visible focus, Enter, the P and D shortcuts, and focus on each result heading."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page.goto(base_url + "/")

    # Home: skip link, the game's name, the deck, the nickname, the class code, Start.
    assert tab(page)["text"] == "Skip to content"
    assert tab(page)["text"] == "Plausible or Dubious?"
    assert tab(page)["type"] == "radio"
    assert tab(page)["id"] == "nickname"
    page.keyboard.type("Ada")
    assert tab(page)["id"] == "class_code"
    assert tab(page)["text"] == "Start"
    page.keyboard.press("Enter")

    for number in range(1, 5):
        page.wait_for_url(re.compile(r"/play/[\w-]+$"))
        # The shortcuts are announced once the script has run; only then do P and D work.
        page.wait_for_selector("[data-shortcuts]:not([hidden])")
        assert page.locator(".progress-text").inner_text() == f"Question {number} of 4"
        if number == 1:
            # Skip link, name, how sure (one stop for the group), the two answers, the switch.
            assert [tab(page)["text"] for _ in range(2)] == ["Skip to content", "Plausible or Dubious?"]
            sure = tab(page)
            assert (sure["type"], sure["id"]) == ("radio", "confidence-0")
            page.keyboard.press("ArrowRight")  # Fairly sure
            assert page.evaluate(FOCUSED)["id"] == "confidence-1"
            assert [tab(page)["text"] for _ in range(2)] == ["Plausible", "Dubious"]
            assert tab(page)["type"] == "checkbox"
            # Shift+Tab back to Dubious, and Enter answers.
            page.keyboard.press("Shift+Tab")
            assert page.evaluate(FOCUSED)["text"] == "Dubious"
            page.keyboard.press("Enter")
        else:
            # P answers Plausible, D answers Dubious (the announced shortcuts).
            page.keyboard.press("p" if number % 2 else "d")
        page.wait_for_url(re.compile(r"/reveal/"))
        # Focus lands on the result heading, so a screen reader announces it.
        assert page.evaluate("document.activeElement.id") == "result"
        assert page.locator("#result").inner_text().strip() in ("✓ Right!", "✗ Not quite")
        # From there Tab goes through the sources (each showing focus) to Next.
        tab_to(page, "Next")
        page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/summary$"))
    assert page.evaluate("document.activeElement.id") == "result"
    assert "Your results, Ada" in page.locator("h1").inner_text()
    assert page.locator(".review-item").count() == 4
    assert re.search(r"Dubious claims caught\s+\d of 2", page.inner_text(".tallies"))
    # Play again (after Practise the ones you missed, when there are any); Enter starts a new round.
    assert tab(page)["text"] in ("Practise the ones you missed", "Play again")
    tab_to(page, "Play again")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/play/[\w-]+$"))
    assert page.locator(".progress-text").inner_text() == "Question 1 of 4"


def test_focus_ring_check_can_fail(browser, base_url):
    """The visible-focus check is real: with the rings styled away, it reports the missing focus."""
    page = browser.new_page()
    page.goto(base_url + "/")
    page.evaluate("document.querySelector('#nickname').focus()")
    assert page.evaluate(FOCUSED)["ring"]
    page.evaluate("document.querySelector('#nickname').style.setProperty('outline', 'none', 'important')")
    assert not page.evaluate(FOCUSED)["ring"]
    page.close()


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


@pytest.mark.parametrize("javascript", [True, False], ids=["keyboard", "keyboard-javascript-off"])
def test_the_teaching_loop_by_keyboard_alone(app, browser, base_url, javascript):
    """A very sure wrong answer, its message, the summary's missed flags, then Practise the ones
    you missed: a round that has every claim got wrong."""
    from quiz.extensions import decks
    from quiz.services import rounds

    with app.app_context():
        verdicts = {q.id: q.answer for q in decks.get("test-deck").questions}
    context = browser.new_context(java_script_enabled=javascript, reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(base_url + "/")
        tab_to(page, "Start")
        page.keyboard.press("Enter")
        missed = []
        for _ in range(4):
            page.wait_for_url(re.compile(r"/play/[\w-]+$"))
            qid = page.get_attribute("input[name=question_id]", "value")
            # Believe every dubious claim (a round of 4 has 2), very sure; get the others right.
            wrong = verdicts[qid] == "dubious"
            choice = "plausible" if wrong else verdicts[qid]
            for _ in range(25):  # to the group of how sure, then Very sure with the arrow keys
                if tab(page)["type"] == "radio":
                    break
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
            assert page.evaluate("document.activeElement.value") == "3"
            tab_to(page, choice.capitalize())
            page.keyboard.press("Enter")
            page.wait_for_url(re.compile(r"/reveal/"))
            if wrong:
                missed.append(qid)
                assert "You were very sure, and it was wrong." in page.inner_text(".confident-miss")
            else:
                assert page.locator(".confident-miss").count() == 0
            tab_to(page, "Next")
            page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/summary$"))
        assert len(missed) == 2
        assert "You missed" in page.inner_text(".lessons") and "Fabricated" in page.inner_text(".flag-tally")
        assert page.locator(".review details").count() == 4
        tab_to(page, "Practise the ones you missed")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/play/[\w-]+$"))
        with app.app_context():
            practice = rounds.find(page.url.rsplit("/", 1)[1]).question_ids
        assert set(missed) <= set(practice)
    finally:
        context.close()
