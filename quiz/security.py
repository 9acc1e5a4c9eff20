"""Security defaults: the secret key, response headers and safe `next=` targets."""

from __future__ import annotations

import ipaddress
import os
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from .services import limits

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


class InsecureSecretKey(RuntimeError):
    """Raised at start-up when production would sign cookies with a guessable key."""


class SessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions, marked Secure whenever the request came over HTTPS.

    A fixed Secure flag would silently break the game on a school network served over plain
    HTTP; a request over HTTPS (directly or through a trusted proxy) always gets it.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def init_app(app: Flask) -> None:
    app.config["SECRET_KEY"] = _secret_key(app)
    app.session_interface = SessionInterface()
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    app.before_request(_forms_only)
    app.after_request(_headers)


def _forms_only() -> None:
    """Every POST here is an HTML form: refuse other bodies (Flask-WTF would try to read JSON)."""
    if request.method == "POST" and request.mimetype not in (
        "",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        abort(415, description="Send answers with the page's own form.")
    if request.method == "POST" and any("\x00" in value for value in request.form.values()):
        # No form of ours takes a NUL character, and PostgreSQL text cannot hold one.
        abort(400)


def _secret_key(app: Flask) -> str:
    """QUIZ_SECRET_KEY when set; else a random key kept in the instance folder.

    The kept key lets a single server restart without logging everyone out; several servers
    behind a load balancer must share one QUIZ_SECRET_KEY.
    """
    key = app.config.get("SECRET_KEY")
    if key:
        if len(str(key)) < 16 and not (app.debug or app.testing):
            raise InsecureSecretKey("QUIZ_SECRET_KEY must be at least 16 characters long")
        return str(key)
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when several workers start at once, exactly one writes the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_hex(32))
    return _read_key(path)


def _read_key(path: Path) -> str:
    for _ in range(50):  # another worker may be between creating and writing the file
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.02)
    raise InsecureSecretKey(f"{path} is empty: delete it or set QUIZ_SECRET_KEY")


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if response.mimetype == "text/html":
        # Pages show answers, results, names and join codes: on a shared computer, the next
        # person's Back button or the browser's cache must not bring them back.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def is_local_path(target: str | None) -> bool:
    """Whether a `next=` target stays on this site: a path, no scheme, no host, no backslash."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and not any(ord(c) < 32 for c in target)


def client_address() -> str:
    """The address a request came from (the proxy's forwarded one with QUIZ_TRUSTED_PROXIES),
    as the throttles count it: an IPv6 address by its /64, which one home or school holds."""
    address = request.remote_addr or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return address


def throttle(limit: limits.Limit, key: str, refusal: str) -> None:
    """Count one for `key`; a 429 page saying when to try again once it has used up `limit`."""
    wait = limits.hit(limit, key)
    if wait is not None:
        raise TooManyRequests(f"{refusal} Try again in {in_words(wait)}.", retry_after=wait)


def in_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
