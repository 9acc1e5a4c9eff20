"""Play the game over HTTP as a browser does, against `quiz serve` run as a child process.

Shared by the tests that need the real production server and by the load benchmarks; it needs
only the standard library (and SQLAlchemy for `check_database`), never the app itself.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
INPUT_RE = re.compile(r"<input\b[^>]*>", re.I)
ATTR_RE = re.compile(r'([a-zA-Z_:][\w:.-]*)\s*=\s*"([^"]*)"')
#: What a Browser reports of each request: (endpoint, ms, status or None, body, exception name or None).
Record = Callable[[str, float, "int | None", bytes, "str | None"], None]


class Abort(Exception):
    """A player's deadline passed (or its run was interrupted): it stops where it is."""


class Browser:
    """One player's browser: a keep-alive connection, a cookie jar, redirects by hand."""

    def __init__(
        self,
        host: str,
        port: int,
        timeout: float = 10,
        record: Record | None = None,
        deadline: float = float("inf"),
    ) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.record = record or (lambda *result: None)
        self.deadline = deadline
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _store_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            try:
                jar.load(header)
            except Exception:  # noqa: BLE001 - a cookie we cannot parse is simply not kept
                continue
            for name, morsel in jar.items():
                gone = morsel["max-age"] == "0" or not morsel.value or "1970" in morsel["expires"]
                if gone:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(
        self, endpoint: str, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int | None, str | None, str]:
        """Send one request; record it; return (status, Location path or None, body text).

        A status of None means an exception (already recorded). Idempotent GETs that fail on a
        stale keep-alive connection before any byte came back are retried once, as browsers do.
        """
        if time.monotonic() > self.deadline:
            raise Abort("deadline")
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "quiz-player/1"}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        attempts = 2 if method == "GET" else 1
        for attempt in range(attempts):
            fresh = self.conn is None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self.close()
                if not fresh and attempt + 1 < attempts:
                    continue  # a keep-alive connection the server had closed: retry once
                self.record(endpoint, _ms(started), None, b"", type(exc).__name__)
                return None, None, ""
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                self.record(endpoint, _ms(started), None, b"", type(exc).__name__)
                return None, None, ""
            elapsed = _ms(started)
            self.record(endpoint, elapsed, response.status, data, None)
            self._store_cookies(response)
            if response.will_close:
                self.close()
            location = response.getheader("Location")
            if location:
                location = urlsplit(urljoin(f"http://{self.host}:{self.port}{path}", location)).path
            return response.status, location, data.decode("utf-8", "replace")
        raise AssertionError("unreachable")


class Dribbler(threading.Thread):
    """A slow client: one connection that sends its request a byte at a time, for as long as the
    server lets it: the headers of a GET, or (`body`) a POST's headers at once and then its body."""

    def __init__(self, port: int, body: bool, every: float, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.port, self.every, self.stop = port, every, stop
        self.head = b"GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: " + b"s" * 4000 + b"\r\n\r\n"
        self.payload = b""
        if body:
            self.payload = b"csrf_token=x&deck=north-korea-photos" * 40
            form = "Content-Type: application/x-www-form-urlencoded\r\n"
            length = f"Content-Length: {len(self.payload)}\r\n"
            self.head = f"POST /play HTTP/1.1\r\nHost: x\r\n{form}{length}\r\n".encode()
        self.sent = 0
        self.closed_after: float | None = None  # seconds until the server answered or hung up
        self.answer = b""  # what the server sent back, if anything

    def run(self) -> None:
        started = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as conn:
                if self.payload:
                    conn.sendall(self.head)
                for byte in self.payload or self.head:
                    if self.stop.is_set():
                        return
                    conn.sendall(bytes([byte]))
                    self.sent += 1
                    # Wait for the next byte's turn, or for the server's answer.
                    if select.select([conn], [], [], self.every)[0]:
                        self.answer = conn.recv(4096)
                        break
        except OSError:
            pass
        self.closed_after = time.monotonic() - started


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


def form_inputs(page: str) -> dict[str, str]:
    """name -> value of the page's <input> elements (for radios: the checked one, else the first)."""
    values: dict[str, str] = {}
    for tag in INPUT_RE.findall(page):
        attrs = {k.lower(): html.unescape(v) for k, v in ATTR_RE.findall(tag)}
        name = attrs.get("name")
        if not name:
            continue
        checked = re.search(r"\schecked\b", tag, re.I) is not None
        if name not in values or (attrs.get("type") == "radio" and checked):
            values[name] = attrs.get("value", "")
    return values


def start_form(fields: dict[str, str], deck: str | None = None) -> dict[str, str]:
    """The home page's Start form as a browser sends it: its CSRF token, and `deck` or the one
    the page checks."""
    form = {"csrf_token": fields["csrf_token"]}
    if deck or fields.get("deck"):
        form["deck"] = deck or fields["deck"]
    return form


def answer_form(fields: dict[str, str], choice: str) -> dict[str, str]:
    """A question page's answer form as a browser sends it, with the button pressed."""
    return {k: fields.get(k, "") for k in ("csrf_token", "question_id", "shown")} | {"choice": choice}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tcp_sockets(port: int, state: str) -> list[str]:
    """The inodes of this machine's sockets on a local TCP port in a state of /proc/net/tcp
    ("0A" listening, "01" established); Linux only, none elsewhere."""
    inodes = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[1].rsplit(":", 1)[1] == f"{port:04X}" and fields[3] == state:
                inodes.append(fields[9])
    return inodes


def serve_command() -> list[str]:
    """`python -m quiz serve` with this interpreter: the same command as `quiz serve`."""
    return [sys.executable, "-m", "quiz"]


def secret_key(workdir: Path) -> str:
    """One key per work folder, so a restarted server still reads its players' cookies."""
    path = workdir / "secret_key"
    if not path.exists():
        path.write_text("player-" + os.urandom(16).hex())
    return path.read_text()


class Server:
    """`quiz serve` as a child process group on a free loopback port, with its own database
    (a SQLite file in `workdir` unless `database` is given); stop() always stops all of it."""

    def __init__(
        self,
        workdir: Path,
        *,
        database: str | None = None,
        round_size: int = 10,
        questions_dir: str | Path | None = None,
        workers: int | None = None,
        settings: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.database = database or f"sqlite:///{workdir / 'quiz.sqlite'}"
        self.log_path = workdir / "server.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZ_")}
        env.update(
            QUIZ_DATABASE_URL=self.database,
            QUIZ_SECRET_KEY=secret_key(workdir),
            QUIZ_ROUND_SIZE=str(round_size),
            # Every simulated browser comes from 127.0.0.1: one address, not one school.
            QUIZ_ROUND_START_LIMIT="1000000000",
            PYTHONUNBUFFERED="1",
        )
        if questions_dir:
            env["QUIZ_QUESTIONS_DIR"] = str(Path(questions_dir).resolve())
        env.update(settings or {})
        command = serve_command() + ["serve", "--host", "127.0.0.1", "--port", str(self.port)]
        if workers:
            command += ["--workers", str(workers)]
        self.command = command
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: the workers stop (or die) with it
        )

    def describe(self) -> str:
        return " ".join(self.command)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server exited with status {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    self.wait_for_every_worker(deadline)
                    return
                if response.status >= 500:
                    raise RuntimeError(f"GET /healthz answered {response.status}:\n{self.log_tail(12)}")
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer /healthz within {timeout:.0f} s:\n{self.log_tail()}")

    def wait_for_every_worker(self, deadline: float) -> None:
        """The first worker answers /healthz while the others may still be starting; on Linux
        each listens on its own socket, and connections made before it does would all go to the
        others and stay there."""
        match = re.search(r"with (\d+) workers?", self.log_tail())
        expected = int(match.group(1)) if match and sys.platform.startswith("linux") else 0
        while len(tcp_sockets(self.port, "0A")) < expected and time.monotonic() < deadline:
            time.sleep(0.05)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def log_counts(self) -> dict[str, int]:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return {
            "database is locked": text.count("database is locked"),
            "ERROR lines": sum(1 for line in text.splitlines() if " ERROR " in line or "[ERROR]" in line),
            "Traceback": text.count("Traceback"),
            "worker timeouts": text.count("WORKER TIMEOUT"),
        }

    def kill(self) -> None:
        """SIGKILL the whole server at once, as a power cut would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # the master stops its workers
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # anything left of the group
        if self.process.poll() is None:
            self.process.wait(timeout=10)
        self.log.close()


def start_server(workdir: Path, register: Callable[[Server], object], **options: Any) -> Server:
    """Start `quiz serve` (see Server for the options), hand it to `register` (which must see it
    stopped), and wait until it answers /healthz."""
    server = Server(workdir, **options)
    register(server)
    server.wait_ready(timeout=60)
    return server


def database_url(database: str) -> str:
    """A SQLAlchemy URL for --database: a URL as given, or a SQLite file's path."""
    return database if "://" in database else f"sqlite:///{Path(database).resolve()}"


def check_database(url: str, tokens: set[str], acknowledged: set[tuple[str, str]]) -> dict:
    """Answers stored for this run's rounds, duplicates, and acknowledged answers not stored."""
    from sqlalchemy import bindparam, create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows: list[tuple[str, str]] = []
            token_list = sorted(tokens)
            stored_for = text(
                "SELECT s.token, a.question_id FROM answer a JOIN play_session s ON s.id = a.session_id "
                "WHERE s.token IN :tokens"
            ).bindparams(bindparam("tokens", expanding=True))
            for i in range(0, len(token_list), 500):
                rows += [tuple(row) for row in conn.execute(stored_for, {"tokens": token_list[i : i + 500]})]
            duplicates = [
                tuple(row)
                for row in conn.execute(
                    text(
                        "SELECT session_id, question_id, COUNT(*) FROM answer "
                        "GROUP BY session_id, question_id HAVING COUNT(*) > 1"
                    )
                )
            ]
            total = conn.execute(text("SELECT COUNT(*) FROM answer")).scalar_one()
    finally:
        engine.dispose()
    stored = set(rows)
    return {
        "stored": len(rows),
        "stored_total_in_table": total,
        "duplicates": len(duplicates),
        "duplicate_examples": duplicates[:5],
        "lost": len(acknowledged - stored),
        "lost_examples": sorted(acknowledged - stored)[:5],
        "stored_not_acknowledged": len(stored - acknowledged),
    }
