"""Light and self-contained: no request leaves the server, every page type is under 60 KB, CSP holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from quiz.extensions import db

from .browser import chromium, live_server
from .tour import PAGE_TYPES, Site, app_config, make_app, prepare_site

pytestmark = pytest.mark.browser

#: Transferred per page type, the page with its CSS, JavaScript and icon (compressed as sent).
BUDGET_BYTES = 60 * 1024


@dataclass
class Traffic:
    """What one page type asked for and received."""

    requested: list[str] = field(default_factory=list)
    received: dict[str, int] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.received.values())


def watch(traffic: Traffic, base_url: str) -> Callable:  # type: ignore[type-arg]
    """Record a page's requests, stopping any to another host before it leaves the machine."""
    own = urlsplit(base_url).netloc

    def on_page(page) -> None:  # type: ignore[no-untyped-def]
        def route(route) -> None:  # type: ignore[no-untyped-def]
            local = urlsplit(route.request.url).netloc == own or route.request.url.startswith("data:")
            route.continue_() if local else route.abort()

        def finished(request) -> None:  # type: ignore[no-untyped-def]
            sizes = request.sizes()
            response = request.response()
            traffic.received[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            if response is not None:
                traffic.encodings[request.url] = response.headers.get("content-encoding", "")

        page.route("**/*", route)
        page.on("request", lambda request: traffic.requested.append(request.url))
        page.on("requestfinished", finished)
        page.on("console", lambda message: message.type == "error" and traffic.errors.append(message.text))
        page.on("pageerror", lambda error: traffic.errors.append(str(error)))

    return on_page


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    """One live server and one Chromium for the module (SQLite: the pages are what is measured)."""
    config = app_config(tmp_path_factory.mktemp("weight"))
    app = make_app(config)
    with live_server(app) as base_url, chromium() as browser:
        yield prepare_site(browser, base_url, config)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def traffic_of(site) -> Callable[[str], Traffic]:
    """Each page type loaded once, in a fresh browser (nothing cached), and its traffic recorded."""
    seen: dict[str, Traffic] = {}

    def traffic(name: str) -> Traffic:
        if name not in seen:
            seen[name] = Traffic()
            page = site.open(name, on_page=watch(seen[name], site.base_url))
            try:
                page.wait_for_load_state("load")
            finally:
                page.context.close()
        return seen[name]

    return traffic


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_requests_nothing_from_another_host(site, traffic_of, name):
    traffic = traffic_of(name)
    outside = [url for url in traffic.requested if not url.startswith(site.base_url + "/")]
    assert traffic.requested, "no request was recorded"
    assert not outside, f"the {name} page asks another host for {outside}"


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_weighs_under_60_kb_with_its_css_and_javascript(traffic_of, name):
    traffic = traffic_of(name)
    assert any(url.endswith(".css") for url in traffic.received), "the stylesheet was not counted"
    listing = ", ".join(
        f"{url.rsplit('/', 1)[-1] or '/'}: {size / 1024:.1f} KB" for url, size in traffic.received.items()
    )
    assert traffic.total <= BUDGET_BYTES, f"the {name} page weighs {traffic.total / 1024:.1f} KB ({listing})"


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_keeps_to_its_content_security_policy_without_script_errors(traffic_of, name):
    errors = traffic_of(name).errors
    # A page that ends on an error status logs its status as a console error; that is not a fault.
    faults = [e for e in errors if "the server responded with a status of" not in e]
    assert not faults, f"the {name} page logged: {faults}"


def test_pages_and_static_files_are_sent_compressed(site, traffic_of):
    traffic = traffic_of("deck-preview")
    compressed = {url.rsplit("/", 1)[-1]: encoding for url, encoding in traffic.encodings.items()}
    page = next(url for url in traffic.encodings if "/teacher/decks/" in url).rsplit("/", 1)[-1]
    assert compressed.get(page) in ("br", "gzip", "zstd", "deflate"), compressed
    assert compressed.get("style.css") in ("br", "gzip", "zstd", "deflate"), compressed


def test_a_request_to_another_host_is_noticed(site):
    """The check can fail: a picture from elsewhere (here past the CSP, which would stop it) is seen."""
    traffic = Traffic()
    page = site.open("home", on_page=watch(traffic, site.base_url), bypass_csp=True)
    try:
        page.evaluate("""() => new Promise(done => {
          const img = new Image();
          img.onload = img.onerror = done;
          img.src = "https://cdn.example.com/picture.png";
        })""")
    finally:
        page.context.close()
    assert "https://cdn.example.com/picture.png" in traffic.requested
