"""The production server: gunicorn's asyncio workers, one process per core, in front of the app.

Each worker receives its connections on an event loop, so a client that sends its request a
byte at a time, or a connection that sends nothing at all, costs the worker a little memory and
holds up no one; a request body that has not arrived within BODY_SECONDS is refused (408) and
logged. The app then runs for one complete request at a time, on the loop's own thread: Python
runs one thread at a time, so more threads would only pass the interpreter lock back and forth,
while processes use every core and share nothing but the database (see the README on several
servers). Measured against the other ways of doing it: bench/README.md.
"""

from __future__ import annotations

import asyncio
import contextvars
import io
import ipaddress
import logging
import os
import socket
import sys
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)

#: Seconds a request body may take to arrive: a form or an upload is sent well within it.
BODY_SECONDS = 10.0
#: Largest body read (the app refuses anything over its own 1 MB limit with a page).
MAX_BODY_BYTES = 2 * 1_048_576

#: Each worker listens on its own socket and the kernel spreads new connections over them. On
#: one shared socket, a busy machine lets one worker take every connection (60 of 60 players
#: in tests/test_server.py while other tests ran), and a connection stays with its worker for
#: the whole game (keep-alive).
BALANCE_CONNECTIONS = sys.platform.startswith("linux")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def default_workers() -> int:
    """One process per core (at least two): the game's requests keep a core busy, they do not wait."""
    return max(2, os.cpu_count() or 1)


def check_address(host: str, port: int) -> None:
    """Raise OSError when another program listens on host:port. Workers that share a port by
    SO_REUSEPORT would otherwise share it with another `quiz serve` of the same user, silently."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        probe.bind(address)


def is_loopback(host: str) -> bool:
    """Whether an address to listen on is reachable from this machine only."""
    try:
        return all(
            ipaddress.ip_address(info[4][0]).is_loopback
            for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        )
    except (OSError, ValueError):
        return False


def _has_address(record: logging.LogRecord) -> bool:
    """With a socket per worker the master has none, and gunicorn would log an empty
    "Listening at:" line (`quiz serve` prints the address itself, and so does each worker)."""
    empty = isinstance(record.args, tuple) and record.args[:1] == ("",)
    return not (str(record.msg).startswith("Listening at:") and empty)


class _TooLarge(Exception):
    pass


class WholeRequests:
    """An ASGI app that serves a WSGI app one whole request at a time.

    The body is received on the event loop, within BODY_SECONDS, while other requests go on;
    then the WSGI app runs for it, and its response is sent as it comes.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        try:
            body = await asyncio.wait_for(self._body(receive), BODY_SECONDS)
        except TimeoutError:
            client = (scope.get("client") or ("unknown",))[0]
            log.warning(
                "slow client %s: its %s %s did not arrive within %.0f s; refused",
                client,
                scope["method"],
                scope["path"],
                BODY_SECONDS,
            )
            await _plain(send, 408, b"Request Timeout: the request took too long to arrive.\n")
            return
        except _TooLarge:
            await _plain(send, 413, b"Request Entity Too Large\n")
            return
        if body is not None:  # else the client went away while sending it
            await self._respond(scope, body, send)

    async def _body(self, receive: Receive) -> bytes | None:
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise _TooLarge
            parts.append(chunk)
            if not message.get("more_body"):
                return b"".join(parts)

    async def _respond(self, scope: Scope, body: bytes, send: Send) -> None:
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None):  # type: ignore[no-untyped-def]
            started[:] = [status, headers]
            return _no_write

        result = self.app(environ(scope, body), start_response)
        try:
            chunks = iter(result)
            first = next(chunks, b"")  # the app has called start_response by now
            status, headers = started
            await send(
                {
                    "type": "http.response.start",
                    "status": int(status.split(" ", 1)[0]),
                    "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
                }
            )
            if first:
                await send({"type": "http.response.body", "body": first, "more_body": True})
            for chunk in chunks:
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()


def _no_write(data: bytes) -> None:
    raise RuntimeError("the app must return its body, not write it")


async def _plain(send: Send, status: int, text: bytes) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": text})


def environ(scope: Scope, body: bytes) -> dict[str, Any]:
    """The WSGI environ of an ASGI HTTP request whose body has arrived (PEP 3333)."""
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    result: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode("utf-8").decode("latin-1"),
        "PATH_INFO": scope["path"].encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1] or 80),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": client[0],
        "REMOTE_PORT": str(client[1]),
        "CONTENT_LENGTH": str(len(body)) if body else "",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        if name == "CONTENT_TYPE":
            result["CONTENT_TYPE"] = value
        elif name != "CONTENT_LENGTH":  # the body's own length is given above
            key = f"HTTP_{name}"
            result[key] = f"{result[key]},{value}" if key in result else value
    return result


def run(app: Flask, host: str, port: int, workers: int) -> None:
    """Serve the app until SIGTERM or Ctrl-C; each worker is a fork of this process."""
    from gunicorn.app.base import BaseApplication

    served = WholeRequests(app)

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for name, value in settings.items():
                self.cfg.set(name, value)

        def load(self) -> WholeRequests:
            return served

    settings: dict[str, Any] = {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "worker_class": "asgi",
        "asgi_lifespan": "off",
        "asgi_loop": "asyncio",
        # Connections a worker holds at once (a class of 90 needs about two each).
        "worker_connections": 1000,
        "keepalive": 5,
        "reuse_port": BALANCE_CONNECTIONS,
        # A worker that does not answer within 30 s is replaced; stopping waits 10 s at most.
        "timeout": 30,
        "graceful_timeout": 10,
        "proc_name": "quiz",
        "control_socket_disable": True,  # no runtime-control socket in the home folder
        "errorlog": "-",
        "loglevel": "info",
    }
    logging.getLogger("gunicorn.error").addFilter(_has_address)
    # Compiled here, once, the templates are in every worker from its first page: compiling them
    # there would hold up the first class's answers by tens of milliseconds per worker.
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    # Outside the command's app context: each request must get its own (its `g`, its database
    # session), not share one that every request of a worker would inherit through the fork.
    contextvars.Context().run(Server().run)
