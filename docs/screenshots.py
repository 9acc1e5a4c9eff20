"""Make the screenshots in docs/screenshots/ again: every page type, on a phone and on a desktop.

    .venv/bin/python docs/screenshots.py [--only NAME ...]

Starts the game on a temporary database with the bundled deck, plays rounds (on the web and on
the kiosk) and logs a teacher in, then saves a PNG of each page type in Debian's Chromium: on a
phone and a desktop, the kiosk on its big screen only, and a few in the dark colour scheme.
Needs what the browser tests need (`pip install -e '.[test]'`, Debian's chromium).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tests import tour  # noqa: E402  (the project root is on the path only now)
from tests.browser import chromium, live_server  # noqa: E402

OUT = PROJECT / "docs" / "screenshots"
DEVICES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}
#: Long pages are cut here (CSS px): the top of a page says what it is, and the folder stays small.
MAX_HEIGHT = {"phone": 1100, "desktop": 900}
#: The kiosk is a big touch screen: a phone shot of it would show nothing a visitor sees.
DESKTOP_ONLY = {name for name in tour.PAGE_TYPES if name.startswith("kiosk-")}
#: The dark colour scheme (prefers-color-scheme: dark), on a phone.
DARK = ("question", "reveal", "summary")


def shots(names: list[str]) -> list[tuple[str, str, str]]:
    """(page type, device, colour scheme) for every screenshot to make."""
    made = []
    for name in names:
        for device in DEVICES:
            if not (device == "phone" and name in DESKTOP_ONLY):
                made.append((name, device, "light"))
        if name in DARK:
            made.append((name, "phone", "dark"))
    return made


def shoot(site: tour.Site, name: str, device: str, scheme: str) -> Path:
    page = site.open(name, color_scheme=scheme, reduced_motion="reduce", **DEVICES[device])
    try:
        # Headings focused for screen readers show no ring; blur anyway so no caret or ring shows.
        page.evaluate("document.activeElement && document.activeElement.blur()")
        width = DEVICES[device]["viewport"]["width"]
        height = min(MAX_HEIGHT[device], page.evaluate("document.documentElement.scrollHeight"))
        suffix = "-dark" if scheme == "dark" else ""
        path = OUT / f"{name}-{device}{suffix}.png"
        page.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
        return path
    finally:
        page.context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", metavar="NAME", help=f"page types: {', '.join(tour.PAGE_TYPES)}")
    args = parser.parse_args()
    names = args.only or tour.PAGE_TYPES
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        config = tour.app_config(Path(folder), ROUND_SIZE=10, KIOSK_ROUND_SIZE=5)
        app = tour.make_app(config)
        with live_server(app) as base_url, chromium() as browser:
            site = tour.prepare_site(browser, base_url, config)
            for name, device, scheme in shots(names):
                path = shoot(site, name, device, scheme)
                print(f"{path.relative_to(PROJECT)}  {path.stat().st_size // 1024} KB")
        with app.app_context():
            from quiz.extensions import db

            db.engine.dispose()


if __name__ == "__main__":
    main()
