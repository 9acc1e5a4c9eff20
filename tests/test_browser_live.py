"""Class mode in Chromium: one projector and several phones through a whole live round."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import TEACHER_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def phone(browser, base_url: str, code: str, name: str):
    page = browser.new_context(viewport={"width": 390, "height": 844}, reduced_motion="reduce").new_page()
    page.goto(f"{base_url}/join/{code}")
    page.fill("#nickname", name)
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/play/[\w-]+$"))
    return page


def test_a_live_round_with_a_projector_three_phones_a_late_joiner_and_a_reload(browser, base_url, teacher):
    host = browser.new_context(viewport={"width": 1366, "height": 768}, reduced_motion="reduce").new_page()
    phones = []
    try:
        host.goto(f"{base_url}/teacher/login")
        host.fill("#username", "ms-lee")
        host.fill("#password", TEACHER_PASSWORD)
        host.get_by_role("button", name="Log in").click()
        host.fill("#name", "Year 9 Science")
        host.get_by_role("button", name="Create class").click()
        host.get_by_role("button", name="Start live round").click()
        code = host.inner_text(".host-code").strip()

        phones = [phone(browser, base_url, code, name) for name in ("Maya", "Maya", "Ben")]
        assert "You joined Year 9 Science as Maya (2)." in phones[1].inner_text(".flash")
        for page in phones:
            assert "Waiting for your teacher" in page.inner_text("h1")
        # The projector lists them by itself, without a reload.
        expect(host.locator("[data-joined] li")).to_have_count(3, timeout=5000)
        assert host.inner_text("[data-joined]").split() == ["Maya", "Maya", "(2)", "Ben"]

        # Next claim (by keyboard): every phone shows it within 3 seconds, by itself.
        host.get_by_role("button", name="Next claim").focus()
        host.keyboard.press("Enter")
        claim = host.inner_text("#claim")
        for page in phones:
            page.wait_for_selector("button[value=dubious]", timeout=6000)
            assert page.inner_text("#claim") == claim
        late = phone(browser, base_url, code, "Cy")  # joins at the claim on show
        phones.append(late)
        assert late.inner_text("#claim") == claim

        phones[0].get_by_role("button", name="Dubious").click()
        assert "Answer saved" in phones[0].inner_text(".waiting-message")
        phones[1].reload()  # a phone that slept: the same claim, still to answer
        assert phones[1].inner_text("#claim") == claim
        phones[1].get_by_role("button", name="Plausible").click()
        expect(host.locator("[data-answered]")).to_have_text("2", timeout=5000)
        assert "2 of 4 answered" in host.inner_text(".host-count")

        host.get_by_role("button", name="Show the answer").click()
        votes = {kind: host.inner_text(f".vote-{kind} .vote-count") for kind in ("plausible", "dubious")}
        assert votes == {"plausible": "1", "dubious": "1"}
        # Each phone that answered shows its own reveal; the others say so.
        expect(phones[0]).to_have_url(re.compile(r"/reveal/"), timeout=6000)
        assert "You said Dubious" in phones[0].inner_text(".verdict-line")
        phones[2].wait_for_selector("text=you did not answer this one", timeout=6000)

        host.reload()  # the teacher's reload loses nothing
        assert "how the room voted" in host.inner_text("h1")
        host.get_by_role("button", name="End").click()
        assert "The room's round" in host.inner_text("h1")
        for page in phones:
            expect(page).to_have_url(re.compile(r"/summary$"), timeout=6000)
        assert "Your results, Maya" in phones[0].inner_text("h1")
    finally:
        host.context.close()
        for page in phones:
            page.context.close()
