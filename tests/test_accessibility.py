"""WCAG 2.2 AA in Chromium on every page type: axe-core in light and dark, reflow, motion, colour."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest

from quiz.extensions import db

from .browser import chromium, live_server
from .tour import AXE_SCRIPT, HAS_KIOSK, PAGE_TYPES, Site, app_config, make_app, prepare_site

pytestmark = pytest.mark.browser

ROUND_SIZE = 4
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

#: Only these rules look at colours: the rest see the same page in either scheme.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

RUN_AXE = """async (only) => {
  const result = await axe.run(document, {runOnly: only, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary.replace(/\\s+/g, " ")),
  }));
}"""

#: Elements wider than the viewport, for a message that says where the sideways scrolling comes from.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > width + 1 && !el.closest(".table-wrap"))
    .filter(el => getComputedStyle(el).position !== "fixed" && el.getClientRects().length)
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + "." + [...el.classList].join(".")
               + " right=" + Math.round(el.getBoundingClientRect().right));
}"""

#: Elements (and their ::before/::after) that still move: an animation or a transition that takes time.
MOVING = """() => {
  const takesTime = durations => durations.split(",").some(d => parseFloat(d) > 0);
  const moving = [];
  for (const el of document.querySelectorAll("*")) {
    for (const pseudo of [null, "::before", "::after"]) {
      const s = getComputedStyle(el, pseudo);
      if ((s.animationName !== "none" && takesTime(s.animationDuration)) || takesTime(s.transitionDuration)) {
        moving.push(el.tagName.toLowerCase() + "." + [...el.classList].join(".") + (pseudo || "")
                    + ": animation " + s.animationName + " " + s.animationDuration
                    + ", transition " + s.transitionDuration);
      }
    }
  }
  return moving.slice(0, 5);
}"""


#: 320 CSS px across (WCAG 1.4.10), and 1280 px at 200% zoom.
ZOOMS = (("320 px", {"width": 320, "height": 640}), ("200% zoom", {"width": 640, "height": 450}))
ANIMATED_PAGES = ["reveal", "summary"] + (["kiosk-attract", "kiosk-reveal"] if HAS_KIOSK else [])


@pytest.fixture(scope="module")
def axe_script() -> str:
    """axe-core as installed by `npm ci`; required where browser tests are (CI)."""
    if not AXE_SCRIPT.exists():
        message = f"{AXE_SCRIPT} is missing: run `npm ci` in the project folder to install axe-core"
        if os.environ.get("QUIZ_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return str(AXE_SCRIPT)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    """One live server and one Chromium for the module, with a round played through every screen.

    Always SQLite: what is checked here is the HTML and CSS, whichever database is behind them.
    """
    config = app_config(tmp_path_factory.mktemp("a11y"), ROUND_SIZE=ROUND_SIZE)
    app = make_app(config)
    # The server outlives the browser: no page is left asking it for anything when it stops.
    with live_server(app) as base_url, chromium() as browser:
        yield prepare_site(browser, base_url, config)
    with app.app_context():
        db.engine.dispose()


def _finish_animations(page) -> None:  # type: ignore[no-untyped-def]
    """Show every page as it ends up: mid-animation colours would make contrast checks flaky."""
    # An endless animation (the kiosk's "Tap to play" beckons) cannot finish: it stops instead.
    page.evaluate("document.getAnimations().forEach(a => { try { a.finish() } catch { a.cancel() } })")


def _describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations
    )


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_has_no_axe_violations_in_light_or_dark(axe_script, site, name):
    page = site.open(name, color_scheme="light", bypass_csp=True)  # CSP would refuse the injected script
    try:
        page.add_script_tag(path=axe_script)
        _finish_animations(page)
        found = {"light": page.evaluate(RUN_AXE, {"type": "tag", "values": AXE_TAGS})}
        page.emulate_media(color_scheme="dark")
        _finish_animations(page)
        found["dark"] = page.evaluate(RUN_AXE, {"type": "rule", "values": COLOUR_RULES})
    finally:
        page.context.close()
    report = "\n".join(f"[{scheme}] {_describe(v)}" for scheme, v in found.items() if v)
    assert not report, f"axe found WCAG violations on the {name} page:\n{report}"


def test_axe_finds_a_violation_when_there_is_one(axe_script, site):
    """The check can fail: an image without a text alternative and low-contrast text are found."""
    page = site.open("home", bypass_csp=True)
    try:
        page.add_script_tag(path=axe_script)
        page.evaluate("""() => {
          const img = document.createElement("img");
          img.src = "/static/icon.svg";
          const faint = document.createElement("p");
          faint.textContent = "Faint text";
          faint.setAttribute("style", "color: #ccc; background: #fff");
          document.querySelector("main").append(img, faint);
        }""")
        ids = {v["id"] for v in page.evaluate(RUN_AXE, {"type": "tag", "values": AXE_TAGS})}
    finally:
        page.context.close()
    assert {"image-alt", "color-contrast"} <= ids


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_reflows_at_320_px_and_at_200_percent_zoom(site, name):
    """No sideways scrolling at 320 CSS px (WCAG 1.4.10), nor on a 1280 px screen zoomed to 200%.

    Zooming to 200% halves the CSS pixels across: 1280 px show 640 CSS px, and layout depends on
    CSS pixels only, so a 640 px viewport lays the page out as the zoomed screen does.
    """
    page = site.open(name, viewport={"width": 320, "height": 640}, reduced_motion="reduce")
    try:
        too_wide = {}
        for label, viewport in ZOOMS:
            page.set_viewport_size(viewport)
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if scroll > client:
                too_wide[label] = (scroll, client, page.evaluate(OVERFLOWING))
    finally:
        page.context.close()
    assert not too_wide, f"the {name} page scrolls sideways: " + "; ".join(
        f"at {label} it is {scroll} px wide in {client} px ({', '.join(culprits)})"
        for label, (scroll, client, culprits) in too_wide.items()
    )


@pytest.mark.parametrize("name", ANIMATED_PAGES)
def test_nothing_moves_when_reduced_motion_is_asked_for(site, name):
    page = site.open(name, reduced_motion="reduce")
    try:
        moving = page.evaluate(MOVING)
    finally:
        page.context.close()
    assert not moving, f"the {name} page animates despite prefers-reduced-motion: {moving}"


def test_reveal_animates_when_motion_is_welcome(site):
    """The other side of the reduced-motion test: the reveal is a moment, with motion, by default."""
    page = site.open("reveal", reduced_motion="no-preference")
    try:
        names = page.evaluate("document.getAnimations().map(a => a.animationName)")
    finally:
        page.context.close()
    assert "pop" in names


def test_right_and_wrong_are_told_in_words_and_icons_not_colour_alone(site):
    reveal = site.open("reveal")
    summary = site.context("student").new_page()
    try:
        heading = reveal.inner_text("#result").strip()
        assert heading in ("✓ Right!", "✗ Not quite")
        verdict = reveal.inner_text(".verdict-line")
        assert re.search(r"This claim is\s+(Plausible|Dubious)\s+You said (Plausible|Dubious)\.", verdict)
        summary.goto(site.urls["summary"])
        marks = [" ".join(m.split()) for m in summary.locator(".review-mark").all_text_contents()]
        assert len(marks) == ROUND_SIZE
        assert all(m in ("✓ Right:", "✗ Wrong:") for m in marks), marks
        # Badges say the verdict in a word and with an icon, beside their colour.
        badges = summary.locator(".review .badge").evaluate_all(
            "els => els.map(b => [b.textContent.trim(), getComputedStyle(b, '::before').content])"
        )
        for word, icon in badges:
            assert word in ("Plausible", "Dubious")
            assert ("✓" if word == "Plausible" else "?") in icon
    finally:
        reveal.context.close()
        summary.context.close()


def test_bias_meter_has_a_text_equivalent(site):
    page = site.open("summary")
    try:
        described = re.compile(r"^Bias meter: \d+ percent of the way from too sceptical to too trusting")
        assert page.get_by_role("img", name=described).count() == 1
        words = page.inner_text(".meter figcaption")
        lean = r"(You lean (sceptical|trusting)|You are balanced|Balanced and spot on|You did not lean)"
        assert re.match(lean, words)
        # The tallies say in words what their bars show.
        assert re.search(r"Dubious claims caught\s+\d of \d", page.inner_text(".tallies"))
    finally:
        page.context.close()


@pytest.mark.parametrize("name", ["home", "reveal", "dashboard"])
def test_dark_colour_scheme_turns_the_page_dark(site, name):
    luminance = """(selector) => {
      const colour = getComputedStyle(document.querySelector(selector)).backgroundColor;
      const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(c => {
        c = c / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    }"""
    page = site.open(name, color_scheme="light")
    try:
        light = page.evaluate(luminance, "body"), page.evaluate(luminance, ".site-header")
        page.emulate_media(color_scheme="dark")
        dark = page.evaluate(luminance, "body"), page.evaluate(luminance, ".site-header")
    finally:
        page.context.close()
    assert min(light) > 0.8 and max(dark) < 0.05, (light, dark)
