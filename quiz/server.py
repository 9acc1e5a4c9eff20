"""The production server: gunicorn, with one worker process per core, one request at a time each.

Python runs one thread at a time, so a threaded server spends a single core, and much of it on
handing the interpreter lock between threads. Processes use every core and share nothing but
the database: the app keeps no state of its own (see the README on several servers).
"""

from __future__ import annotations

import contextvars
import logging
import os
import socket
import sys
from typing import Any

from flask import Flask

#: Seconds a worker waits for a new connection's request before leaving it to the poller.
IDLE_CONNECTION_WAIT = 0.02
#: Each worker listens on its own socket and the kernel spreads new connections evenly over them.
#: On one shared socket the worker that happens to be awake takes them: measured, 57 of 90
#: players' connections on one worker, 89 of 90 when they came while the other was starting,
#: and a connection stays with its worker for the whole game (keep-alive).
BALANCE_CONNECTIONS = sys.platform.startswith("linux")


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


def _has_address(record: logging.LogRecord) -> bool:
    """With a socket per worker the master has none, and gunicorn would log an empty
    "Listening at:" line (`quiz serve` prints the address itself)."""
    empty = isinstance(record.args, tuple) and record.args[:1] == ("",)
    return not (str(record.msg).startswith("Listening at:") and empty)


def run(app: Flask, host: str, port: int, workers: int) -> None:
    """Serve the app until SIGTERM or Ctrl-C; each worker is a fork of this process."""
    from gunicorn.app.base import BaseApplication
    from gunicorn.workers import gthread

    # A worker thread waits up to 5 s for a new connection's first request before passing it to
    # the poller. Browsers open spare connections they may not use for seconds, and with one
    # thread per worker that wait stalls every other player: pass idle connections on at once.
    gthread.DEFAULT_WORKER_DATA_TIMEOUT = IDLE_CONNECTION_WAIT

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for name, value in settings.items():
                self.cfg.set(name, value)

        def load(self) -> Flask:
            return app

    settings: dict[str, Any] = {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        # gthread, one thread: idle connections wait in the worker's poller, not in its thread,
        # and keep-alive saves a new connection per page.
        "worker_class": "gthread",
        "threads": 1,
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
