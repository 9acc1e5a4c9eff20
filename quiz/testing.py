"""Play the game over HTTP as a browser does, against `quiz serve` run as a child process.

Shared by the tests that need the real production server and by the load benchmarks, with what
the benchmarks count, measure and report with; it needs only the standard library (and SQLAlchemy
for `check_database`). Only `fill_rounds`, which writes a big table for the results tests and
benchmark, uses the app itself (imported when it is called).
"""

from __future__ import annotations

import contextlib
import html
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
INPUT_RE = re.compile(r"<input\b[^>]*>", re.I)
ATTR_RE = re.compile(r'([a-zA-Z_:][\w:.-]*)\s*=\s*"([^"]*)"')
#: What a Browser reports of each request: (endpoint, ms, status or None, body, exception name or None).
Record = Callable[[str, float, "int | None", bytes, "str | None"], None]
#: A column of an endpoint table: its heading, the key of its value in a row, its width and format.
Column = tuple[str, str, int, str]


class Abort(Exception):
    """A player's deadline passed (or its run was interrupted): it stops where it is."""


@dataclass
class EndpointStats:
    """What the requests to one endpoint came to."""

    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0  # status not 2xx/3xx, or an exception (timeout, reset, ...)
    server_errors: int = 0  # 5xx
    locked: int = 0  # body mentions "database is locked"
    exceptions: Counter = field(default_factory=Counter)
    unexpected: int = 0  # 2xx/3xx but not what a browser expects (wrong redirect, no form)


class Recorder:
    """Thread-safe collection of request results, per endpoint (the names in `endpoints`), and
    of notes on what went wrong; its `record` is what a Browser reports to."""

    def __init__(self, endpoints: Iterable[str]) -> None:
        self.lock = threading.Lock()
        self.stats = {name: EndpointStats() for name in endpoints}
        self.notes: Counter = Counter()

    def record(self, endpoint: str, ms: float, status: int | None, body: bytes, exc: str | None) -> None:
        with self.lock:
            s = self.stats[endpoint]
            s.latencies_ms.append(ms)
            if exc is not None:
                s.errors += 1
                s.exceptions[exc] += 1
                s.statuses["exception"] += 1
                return
            s.statuses[str(status)] += 1
            if not 200 <= status < 400:
                s.errors += 1
            if status >= 500:
                s.server_errors += 1
            if b"database is locked" in body:
                s.locked += 1

    def unexpected(self, endpoint: str, why: str) -> None:
        """A request that went through but did not answer as a browser expects."""
        with self.lock:
            self.stats[endpoint].unexpected += 1
            self.notes[f"{endpoint}: {why}"] += 1

    def unexpected_reply(
        self, endpoint: str, status: int | None, location: str | None, what: str = ""
    ) -> None:
        """A request answered (2xx or 3xx), but not with the page or redirect a browser expects:
        unexpected, noted with its status, Location and `what`; a failed one is an error already."""
        if status is not None and 200 <= status < 400:
            self.unexpected(endpoint, f"status {status} to {location!r}{what}")

    def note(self, why: str) -> None:
        with self.lock:
            self.notes[why] += 1

    def statuses(self, endpoint: str) -> Counter:
        """A copy of an endpoint's status counts so far."""
        with self.lock:
            return Counter(self.stats[endpoint].statuses)


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 for an empty one)."""
    if not sorted_values:
        return 0.0
    rank = max(1, -(-len(sorted_values) * p // 100))  # ceil
    return sorted_values[int(rank) - 1]


def latency_summary(latencies_ms: list[float]) -> dict[str, float]:
    """The median, 95th and 99th percentiles and the slowest of some request times (ms)."""
    lat = sorted(latencies_ms)
    return {
        "p50_ms": percentile(lat, 50),
        "p95_ms": percentile(lat, 95),
        "p99_ms": percentile(lat, 99),
        "max_ms": lat[-1] if lat else 0.0,
    }


#: The latency columns of an endpoint table, for the rows of `latency_summary`.
LATENCY_COLUMNS: tuple[Column, ...] = (
    ("p50 ms", "p50_ms", 8, ".1f"),
    ("p95 ms", "p95_ms", 8, ".1f"),
    ("p99 ms", "p99_ms", 8, ".1f"),
    ("max ms", "max_ms", 8, ".1f"),
)


def print_endpoints(table: dict[str, dict], columns: Sequence[Column], *, statuses: bool = False) -> None:
    """Print `table` a line an endpoint: its name, its `columns`, and with `statuses` its status counts."""
    head = " ".join([f"{'endpoint':<9}"] + [f"{title:>{width}}" for title, _, width, _ in columns])
    if statuses:
        head += "  statuses"
    print(head)
    print("-" * len(head))
    for name, row in table.items():
        line = " ".join([f"{name:<9}"] + [f"{row[key]:>{width}{spec}}" for _, key, width, spec in columns])
        if statuses:
            line += "  " + " ".join(f"{k}:{v}" for k, v in sorted(row["statuses"].items()))
        print(line)


def process_cpu_seconds(group: int | None) -> float | None:
    """User + system CPU seconds so far of every live process in a process group (Linux /proc)."""
    if group is None or not Path("/proc/self/stat").exists():
        return None
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it exited meanwhile
        if int(fields[2]) == group:  # the process group id
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """The server's (every process of its group) and the bench's CPU seconds between two moments."""

    def __init__(self, group: int | None) -> None:
        self.group = group
        self.wall = time.monotonic()
        self.server = process_cpu_seconds(group)
        self.bench = time.process_time()

    def read(self) -> dict[str, float | None]:
        wall = time.monotonic() - self.wall
        server = process_cpu_seconds(self.group)
        used = None if server is None or self.server is None else server - self.server
        return {
            "wall_s": wall,
            "server_cpu_s": used,
            "server_cores": None if used is None else used / wall,
            "bench_cpu_s": time.process_time() - self.bench,
        }


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

    def submit(
        self, endpoint: str, path: str, form: dict[str, str], expect: re.Pattern[str]
    ) -> tuple[int | None, str | None, re.Match[str] | None]:
        """POST a form; return (status, Location path or None, the match of `expect` with the
        Location when the answer is a redirect (302 or 303), else None)."""
        status, location, _ = self.request(endpoint, "POST", path, form)
        match = expect.match(location or "") if status in (302, 303) else None
        return status, location, match


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
        self.workdir = workdir
        self.database = database or f"sqlite:///{workdir / 'quiz.sqlite'}"
        self.secret_key = secret_key(workdir)
        self.log_path = workdir / "server.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZ_")}
        env.update(
            QUIZ_DATABASE_URL=self.database,
            QUIZ_SECRET_KEY=self.secret_key,
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

    def add_teacher(self, username: str, password: str, *, admin: bool = False) -> None:
        """`quiz add-teacher USERNAME --password-file FILE [--admin]` on this server's database,
        with its secret key; the password passes through a file of the work folder, removed after."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZ_")}
        env.update(QUIZ_DATABASE_URL=self.database, QUIZ_SECRET_KEY=self.secret_key)
        handle, name = tempfile.mkstemp(prefix="password-", dir=self.workdir)
        try:
            with os.fdopen(handle, "w") as secret:
                secret.write(password + "\n")
            command = serve_command() + ["add-teacher", username, "--password-file", name]
            done = subprocess.run(
                command + (["--admin"] if admin else []),
                cwd=PROJECT_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
        finally:
            Path(name).unlink(missing_ok=True)
        if done.returncode != 0:
            raise RuntimeError(f"quiz add-teacher {username} failed: {done.stderr.strip()}")

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


def answer_problems(
    db_report: dict, acknowledged: list[tuple[str, str]], *, stored_unacknowledged: bool = False
) -> list[str]:
    """What is wrong with a run's answers: by `check_database`'s `db_report`, acknowledged ones
    not stored, duplicated ones and (with `stored_unacknowledged`) stored ones never acknowledged;
    and any of `acknowledged` acknowledged twice."""
    problems = []
    if db_report["lost"]:
        problems.append(f"{db_report['lost']} acknowledged answers not stored")
    if db_report["duplicates"]:
        problems.append(f"{db_report['duplicates']} duplicated answers")
    if stored_unacknowledged and db_report["stored_not_acknowledged"]:
        problems.append(f"{db_report['stored_not_acknowledged']} answers stored but not acknowledged")
    if len(acknowledged) != len(set(acknowledged)):
        problems.append("the same answer was acknowledged twice")
    return problems


def check_server_log(server: Server, report: dict, problems: list[str]) -> None:
    """Count what the server logged of trouble into `report` and print it; 'database is locked'
    is a problem."""
    report["server_log"] = server.log_counts()
    print("server log: " + ", ".join(f"{k} {v}" for k, v in report["server_log"].items()))
    if report["server_log"]["database is locked"]:
        problems.append("the server logged 'database is locked'")


def verdict(report: dict, problems: list[str], json_path: str | None) -> int:
    """Print a benchmark's RESULT line and write its `report` (with `problems`) as JSON to
    `json_path` if one is given; return its exit status: 1 on any problem."""
    report["problems"] = problems
    report["ok"] = not problems
    print("RESULT: " + ("ok" if not problems else "FAILED: " + "; ".join(problems)))
    if json_path:
        Path(json_path).write_text(json.dumps(report, indent=2, default=str) + "\n")
    return 0 if not problems else 1


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def bench_main(bench: Callable[[Path, list[Server]], int], *, prefix: str, keep: bool = False) -> int:
    """Run `bench(workdir, servers)` in a fresh temporary folder and return its exit status.

    A SIGTERM stops it as Ctrl-C does (status 130), a RuntimeError is printed (status 1); then
    every server it added to `servers` is stopped, and the folder is removed, unless `keep` or a
    RuntimeError stopped the run: then its database and server log are kept there to look at.
    """
    # A SIGTERM stops the run like Ctrl-C does, so the servers are stopped in `finally`.
    signal.signal(signal.SIGTERM, _interrupt)
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    servers: list[Server] = []
    failed_hard = False
    try:
        return bench(workdir, servers)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        failed_hard = True
        return 1
    finally:
        for server in servers:
            server.stop()
        if keep or failed_hard:
            print(f"kept {workdir} (database and server log)", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


#: The password of the teachers `fill_rounds` makes.
TEACHER_PASSWORD = "a password for big tables"


@dataclass(frozen=True)
class Filled:
    """What `fill_rounds` made: a teacher with a class of 30 (and one of 100), an admin, and
    the deck every round is of."""

    teacher: str
    admin: str
    class_id: int
    deck_id: str


def fill_rounds(count: int, answers: int, deck_id: str = "north-korea-photos") -> Filled:
    """Write `count` finished rounds of `answers` answers each into the app's database (inside
    an app context): 30 in the teacher's class, 100 in another of theirs, 100 in another
    teacher's class, the rest anonymous, started over the last 300 days. Fast: Core inserts."""
    from datetime import timedelta

    from .extensions import db, decks
    from .models import Answer, Classroom, PlaySession, utcnow
    from .services import tallies
    from .services.accounts import add_teacher

    deck = decks.get(deck_id)
    if deck is None:
        raise ValueError(f"no deck '{deck_id}' is loaded")
    teacher = add_teacher("big-table-teacher", TEACHER_PASSWORD)
    admin = add_teacher("big-table-admin", TEACHER_PASSWORD, admin=True)
    other = add_teacher("big-table-other", TEACHER_PASSWORD)
    made = (("KQ7RTA", "9A", teacher), ("KQ7RTC", "9B", teacher), ("KQ7RTD", "8C", other))
    rooms = [
        Classroom(code=code, name=name, deck_id=deck.id, teacher_id=owner.id) for code, name, owner in made
    ]
    db.session.add_all(rooms)
    db.session.flush()
    classes = [rooms[0].id] * 30 + [rooms[1].id] * 100 + [rooms[2].id] * 100
    questions = deck.questions
    now = utcnow()
    first_id = (db.session.scalar(db.select(db.func.max(PlaySession.id))) or 0) + 1
    chunk = 5_000
    for start in range(0, count, chunk):
        plays, given = [], []
        for n in range(start, min(count, start + chunk)):
            started = now - timedelta(minutes=(count - n) * 300 * 24 * 60 // max(count, 1))
            drawn = [questions[(n + k) % len(questions)] for k in range(answers)]
            plays.append(
                {
                    "id": first_id + n,
                    "token": f"big-{first_id + n}",
                    "deck_id": deck.id,
                    "mode": "class" if n < len(classes) else "web",
                    "nickname": f"Player {n}" if n < len(classes) or n % 3 == 0 else None,
                    "classroom_id": classes[n] if n < len(classes) else None,
                    "question_order": json.dumps([q.id for q in drawn]),
                    "started_at": started,
                    "finished_at": started + timedelta(minutes=3),
                }
            )
            for k, question in enumerate(drawn):
                right = (n + k) % 3 != 0
                other_verdict = "plausible" if question.answer == "dubious" else "dubious"
                given.append(
                    {
                        "session_id": first_id + n,
                        "question_id": question.id,
                        "choice": question.answer if right else other_verdict,
                        "correct": right,
                        "answered_at": started + timedelta(seconds=20 * (k + 1)),
                        "elapsed_ms": 4_000 + 700 * k,
                        "confidence": (n + k) % 4 or None,
                    }
                )
        connection = db.session.connection()
        connection.execute(PlaySession.__table__.insert(), plays)
        connection.execute(Answer.__table__.insert(), given)
    tallies.rebuild()
    postgres = db.session.get_bind().dialect.name == "postgresql"
    if postgres:  # the ids were given: move the sequence on
        db.session.execute(
            db.text("SELECT setval(pg_get_serial_sequence('play_session', 'id'), max(id)) FROM play_session")
        )
    db.session.commit()
    if postgres:  # the planner's statistics, as autovacuum would soon gather them
        for table in ("play_session", "answer", "answer_tally"):
            db.session.execute(db.text(f"ANALYZE {table}"))
        db.session.commit()
    return Filled(teacher.username, admin.username, rooms[0].id, deck.id)


def log_in(client: Any, username: str, password: str) -> None:
    """Log a Flask test client in to the teacher area (CSRF checks off)."""
    response = client.post("/teacher/login", data={"username": username, "password": password})
    if response.status_code != 302:
        raise RuntimeError(f"cannot log in as {username}: {response.status_code}")
