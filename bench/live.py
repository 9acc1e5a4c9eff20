#!/usr/bin/env python3
"""Class-mode benchmark: live rounds with phones and projectors against `quiz serve`.

    python bench/live.py                                   # 3 classes of 30 phones, 10 claims each
    python bench/live.py --classes 1 --phones 60 --claims 5
    python bench/live.py --database postgresql+psycopg://quiz:quiz@127.0.0.1:5432/quiz_bench

Starts `quiz serve` on a free loopback port with a fresh temporary SQLite database (or the
--database URL), makes one teacher account per class with `quiz add-teacher`, and plays a class
as its browsers do. Each teacher logs in, makes a class and starts a live round; its projector
polls the round's state every --poll-s seconds (static/host.js); each of its phones joins with
the class code and a name of its own, then polls its step address with If-None-Match every
--poll-s seconds (static/live.js), loads the round's page when the step changes, and answers
each claim once with a random verdict after reading it for a moment. Once every phone has
joined, phones and projectors only poll for --idle-s seconds: the server's CPU time then, over
that wall time, is the cores that polling costs. Then each teacher shows --claims claims: Next
claim, waits until the projector says all its phones answered, Show the answer, a pause, and
finally End.

Prints per endpoint requests, latency and errors; answers acknowledged against those stored in
the database (lost, duplicated); how long after each press (Next, Show, End) each phone saw the
new step; and the server's CPU use while idle and over the whole run. Exit status 1 on any
error, a lost or duplicated answer, or a step seen more than 3 s after its press.

Needs only the standard library and SQLAlchemy (with psycopg for PostgreSQL), which the project
installs.
"""

from __future__ import annotations

import argparse
import functools
import http.client
import json
import os
import random
import re
import select
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))  # run as a script from any folder: the project's own package

from quiz import testing  # noqa: E402

ENDPOINTS = ("teacher", "press", "host", "state", "join", "page", "answer", "step")
CHOICES = ("plausible", "dubious")
DECK = "north-korea-photos"  # the bundled deck with the most claims; else the first one offered
TIMEOUT_S = 30.0  # per request
ANSWER_WAIT_S = 30.0  # a teacher waits this long for every phone's answer, then shows it anyway
REVEAL_S = 4.0  # the answer stays on the projector this long before Next claim
READ_S = (1.0, 4.0)  # a student reads a claim for this long (uniform) before answering
JOIN_SPREAD_S = 5.0  # the phones of a class join within this many seconds
SEEN_TARGET_S = 3.0  # every phone sees each new step within this long of its press
IDLE_CPU_TARGET = 0.25  # cores the server may spend on polling alone

CODE_RE = re.compile(r'class="join-code">([0-9A-Z]+)<')
HOST_VERSION_RE = re.compile(r'data-host-version="(\d+)"')
LIVE_VERSION_RE = re.compile(r'data-live-version="(\d+)"')
CLASS_PATH_RE = re.compile(r"^/teacher/classes/(\d+)$")
ROUND_PATH_RE = re.compile(r"^/play/([^/?#]+)$")
SELECT_RE = re.compile(r'<select\b[^>]*name="deck"[^>]*>(.*?)</select>', re.S | re.I)
OPTION_RE = re.compile(r'<option\b[^>]*value="([^"]*)"', re.I)
#: What the page after an answer says when the answer was not taken.
REFUSED = (
    "Too late for that claim",
    "You had already answered this one",
    "That question is not part of your round",
    "Choose Plausible or Dubious to answer",
)


# --------------------------------------------------------------------------- HTTP client


class PollingBrowser(testing.Browser):
    """A Browser that can also send the conditional GET of a script's fetch() (If-None-Match),
    on the same keep-alive connection and with the same cookies, and that does not reuse an idle
    connection the server has closed (a browser's connection pool notices; http.client does not)."""

    def request(
        self, endpoint: str, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int | None, str | None, str]:
        self.drop_if_closed()
        return super().request(endpoint, method, path, form)

    def drop_if_closed(self) -> None:
        """An idle connection with something to read has been closed by the server (keep-alive)."""
        sock = self.conn.sock if self.conn is not None else None
        if sock is not None and select.select([sock], [], [], 0)[0]:
            self.close()

    def poll(self, endpoint: str, path: str, etag: str | None) -> tuple[int | None, str | None, str]:
        """Send one conditional GET; record it; return (status or None, ETag or None, body text)."""
        if time.monotonic() > self.deadline:
            raise testing.Abort("deadline")
        self.drop_if_closed()
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "quiz-player/1"}
        if etag:
            headers["If-None-Match"] = etag
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            fresh = self.conn is None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            started = time.perf_counter()
            try:
                self.conn.request("GET", path, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self.close()
                if not fresh and attempt == 0:
                    continue  # a keep-alive connection the server had closed: retry once
                self.record(endpoint, (time.perf_counter() - started) * 1000, None, b"", type(exc).__name__)
                return None, None, ""
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                self.record(endpoint, (time.perf_counter() - started) * 1000, None, b"", type(exc).__name__)
                return None, None, ""
            self.record(endpoint, (time.perf_counter() - started) * 1000, response.status, data, None)
            self._store_cookies(response)
            if response.will_close:
                self.close()
            return response.status, response.getheader("ETag"), data.decode("utf-8", "replace")
        raise AssertionError("unreachable")


# --------------------------------------------------------------------------- one class


@dataclass
class Press:
    kind: str  # next, show or end
    version: int  # the round's version it made
    at: float  # monotonic time the POST went out


@dataclass
class Classroom:
    """One class: its teacher, and what its projector last saw (shared by the teacher's thread)."""

    index: int
    username: str
    password: str
    class_id: int | None = None
    code: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    page_version: int = 0  # the version of the host page on the projector
    pressing: bool = False  # a press is on its way: its redirect reloads the host page
    showing: bool = False  # the host page offers Show the answer (a claim is on show)
    state_version: int = 0  # the last /live/state the projector read
    joined: int = 0
    answered: int = 0
    presses: list[Press] = field(default_factory=list)
    waits: list[dict] = field(default_factory=list)  # per claim: how long until all had answered
    failed: str | None = None


@dataclass
class PhoneResult:
    classroom: int
    name: str
    token: str | None = None
    seen: list[tuple[int, float]] = field(default_factory=list)  # (round version, monotonic time)
    answers_sent: int = 0
    acknowledged: list[tuple[str, str]] = field(default_factory=list)  # (token, question_id)
    summary: bool = False
    failed: str | None = None


def host_page(
    klass: Classroom, browser: testing.Browser, recorder: testing.Recorder
) -> tuple[int | None, dict[str, str]]:
    """Load the projector's page; return its round version and its form fields."""
    path = f"/teacher/classes/{klass.class_id}/live"
    status, _, page = browser.request("host", "GET", path)
    found = HOST_VERSION_RE.search(page) if status == 200 else None
    if status == 200 and found is None:
        recorder.unexpected("host", "no data-host-version on the projector's page")
    klass.showing = f'action="{path}/show"' in page
    return (int(found.group(1)) if found else None), testing.form_inputs(page)


def set_up_class(klass: Classroom, browser: testing.Browser, recorder: testing.Recorder) -> dict[str, str]:
    """Log in, make a class, start its live round; returns the host page's form fields."""
    status, _, page = browser.request("teacher", "GET", "/teacher/login")
    fields = testing.form_inputs(page)
    if "csrf_token" not in fields:
        raise RuntimeError(f"teacher {klass.index}: no login form (status {status})")
    login = {"csrf_token": fields["csrf_token"], "username": klass.username, "password": klass.password}
    status, location, _ = browser.request("teacher", "POST", "/teacher/login", login | {"next": ""})
    if status not in (302, 303):
        raise RuntimeError(f"teacher {klass.index}: login answered {status}")
    status, _, page = browser.request("teacher", "GET", location or "/teacher/")
    fields = testing.form_inputs(page)
    select = SELECT_RE.search(page)
    offered = OPTION_RE.findall(select.group(1)) if select else []
    if "csrf_token" not in fields or not offered:
        raise RuntimeError(f"teacher {klass.index}: no class form on the dashboard (status {status})")
    form = {"csrf_token": fields["csrf_token"], "name": f"Bench class {klass.index + 1}"}
    form["deck"] = DECK if DECK in offered else offered[0]
    status, location, made = browser.submit("teacher", "/teacher/classes", form, CLASS_PATH_RE)
    if made is None:
        raise RuntimeError(f"teacher {klass.index}: making a class answered {status} to {location!r}")
    klass.class_id = int(made.group(1))
    path = f"/teacher/classes/{klass.class_id}/live"
    status, location, _ = browser.request("teacher", "POST", path, {"csrf_token": fields["csrf_token"]})
    if status not in (302, 303) or location != path:
        raise RuntimeError(f"teacher {klass.index}: Start live round answered {status} to {location!r}")
    status, _, page = browser.request("host", "GET", path)
    code = CODE_RE.search(page) if status == 200 else None
    version = HOST_VERSION_RE.search(page) if status == 200 else None
    if code is None or version is None:
        raise RuntimeError(f"teacher {klass.index}: no join code on the projector (status {status})")
    klass.code = code.group(1)
    klass.page_version = int(version.group(1))
    klass.cookies = dict(browser.cookies)
    return testing.form_inputs(page)


def projector(
    klass: Classroom,
    args: argparse.Namespace,
    port: int,
    recorder: testing.Recorder,
    deadline: float,
    stop: threading.Event,
) -> None:
    """The teacher's screen: polls the round's state as static/host.js does, reloading the page
    when the round moved on without a press of this screen."""
    browser = PollingBrowser("127.0.0.1", port, TIMEOUT_S, recorder.record, deadline)
    browser.cookies = dict(klass.cookies)
    path = f"/teacher/classes/{klass.class_id}/live/state"
    etag = None
    try:
        while not stop.wait(args.poll_s):
            status, tag, body = browser.poll("state", path, etag)
            if status != 200:
                if status is not None and status != 304:
                    recorder.unexpected("state", f"status {status}")
                continue
            try:
                state = json.loads(body)
                version, answered = int(state["version"]), int(state["answered"])
                joined = len(state["joined"])
            except (ValueError, KeyError, TypeError):
                recorder.unexpected("state", "not the round's state as JSON")
                continue
            etag = tag
            with klass.lock:
                klass.state_version, klass.joined, klass.answered = version, joined, answered
                reload = version != klass.page_version and not klass.pressing
            if reload:
                shown, _ = host_page(klass, browser, recorder)
                if shown is not None:
                    with klass.lock:
                        klass.page_version = max(klass.page_version, shown)
    except testing.Abort:
        pass
    finally:
        browser.close()


def teacher(
    klass: Classroom,
    browser: testing.Browser,
    fields: dict[str, str],
    args: argparse.Namespace,
    recorder: testing.Recorder,
    go: threading.Event,
    stop: threading.Event,
) -> None:
    """Steps through the claims: Next, wait for every phone's answer, Show, a pause; then End."""
    base = f"/teacher/classes/{klass.class_id}/live"

    def press(kind: str) -> bool:
        nonlocal fields
        with klass.lock:
            klass.pressing = True
            before = klass.page_version
        at = time.monotonic()
        status, location, _ = browser.request("press", "POST", f"{base}/{kind}", fields)
        if status not in (302, 303) or location != base:
            if status is not None and 200 <= status < 400:
                recorder.unexpected("press", f"{kind}: status {status} to {location!r}")
            with klass.lock:
                klass.pressing = False
            return False
        version, fields = host_page(klass, browser, recorder)
        with klass.lock:
            klass.pressing = False
            klass.page_version = max(klass.page_version, version or before + 1)
        if version != before + 1:
            recorder.unexpected("press", f"{kind} took the round from version {before} to {version}")
        klass.presses.append(Press(kind, version or before + 1, at))
        return True

    try:
        if not go.wait(timeout=args.idle_s + 300):
            return
        for claim in range(args.claims):
            if stop.is_set() or not press("next"):
                break
            if not klass.showing:
                recorder.unexpected("press", f"Next claim {claim + 1} ended the round: too few claims")
                break
            started = time.monotonic()
            version = klass.page_version
            while not stop.is_set() and time.monotonic() - started < ANSWER_WAIT_S:
                with klass.lock:
                    expected = min(args.phones, klass.joined)
                    everyone = klass.state_version == version and klass.answered >= expected
                if everyone:
                    break
                time.sleep(0.05)
            with klass.lock:
                answered = klass.answered if klass.state_version == version else 0
            klass.waits.append(
                {"claim": claim + 1, "answered": answered, "wait_s": round(time.monotonic() - started, 2)}
            )
            if not press("show"):
                break
            if stop.wait(REVEAL_S):
                break
        press("end")
    except testing.Abort:
        klass.failed = "aborted (deadline)"
    except Exception as exc:  # noqa: BLE001 - a bench bug must not hang the others
        klass.failed = f"crashed: {type(exc).__name__}: {exc}"


def phone(
    klass: Classroom,
    number: int,
    args: argparse.Namespace,
    port: int,
    recorder: testing.Recorder,
    deadline: float,
    stop: threading.Event,
    joined: threading.Semaphore,
) -> PhoneResult:
    """A student's phone: joins, then follows the teacher as static/live.js does, and answers."""
    result = PhoneResult(klass.index, f"Student {number + 1:02d}")
    browser = PollingBrowser("127.0.0.1", port, TIMEOUT_S, recorder.record, deadline)
    rng = random.Random()
    answered: set[str] = set()

    def load(path: str) -> tuple[str, int | None, str, dict[str, str]]:
        """The round's page after its redirects: (kind, its version, its text, its form)."""
        for _ in range(4):
            status, location, page = browser.request("page", "GET", path)
            if status in (302, 303) and location and location.startswith(f"/play/{result.token}"):
                path = location
                continue
            break
        if status != 200:
            recorder.unexpected_reply("page", status, location)
            return "failed", None, "", {}
        found = LIVE_VERSION_RE.search(page)
        version = int(found.group(1)) if found else None
        fields = testing.form_inputs(page)
        if path.endswith("/summary"):
            return "summary", version, page, fields
        if "/reveal/" in path:
            return "reveal", version, page, fields
        if "question_id" in fields and "csrf_token" in fields:
            return "question", version, page, fields
        if "Waiting for your teacher" in page:
            return "wait", version, page, fields
        recorder.unexpected("page", f"not a page of a live round: {path}")
        return "failed", version, page, fields

    def answer(fields: dict[str, str]) -> tuple[str, int | None]:
        """Read the claim, answer it once; returns the kind and version of the page it leads to."""
        qid = fields["question_id"]
        answered.add(qid)
        if stop.wait(rng.uniform(*READ_S)):
            return "stopped", None
        result.answers_sent += 1
        round_path = f"/play/{result.token}"
        status, location, _ = browser.request(
            "answer", "POST", f"{round_path}/answer", testing.answer_form(fields, rng.choice(CHOICES))
        )
        if status not in (302, 303) or location != round_path:
            recorder.unexpected_reply("answer", status, location, ", not the round's page")
            return "failed", None
        kind, version, page, _ = load(round_path)
        if version is not None:
            result.seen.append((version, time.monotonic()))
        refused = [why for why in REFUSED if why in page]
        if kind == "failed":
            recorder.note("answer: the page after it did not load; not counted as acknowledged")
        elif refused:
            recorder.unexpected("answer", f"refused: {refused[0]}")
        else:
            result.acknowledged.append((result.token, qid))
        return kind, version

    try:
        if stop.wait(rng.uniform(0, JOIN_SPREAD_S)):
            return result
        status, _, page = browser.request("join", "GET", f"/join/{klass.code}")
        fields = testing.form_inputs(page) if status == 200 else {}
        if "csrf_token" not in fields:
            if status == 200:
                recorder.unexpected("join", "no join form")
            result.failed = "join page"
            return result
        form = {"csrf_token": fields["csrf_token"], "class_code": klass.code or "", "nickname": result.name}
        status, location, match = browser.submit("join", "/play", form, ROUND_PATH_RE)
        if match is None:
            recorder.unexpected_reply("join", status, location, ", not a round")
            result.failed = "join"
            return result
        result.token = match.group(1)
        round_path, step_path = match.group(0), f"{match.group(0)}/step"
        version = None
        while version is None and not stop.is_set():
            _, version, _, _ = load(round_path)
            if version is None:
                stop.wait(args.poll_s)
        if version is None:
            return result
        result.seen.append((version, time.monotonic()))
        joined.release()
        wait = args.poll_s
        while not stop.wait(wait):
            status, _, body = browser.poll("step", step_path, f'"v{version}"')
            wait = args.poll_s if status is not None else 2 * args.poll_s  # as live.js: twice on failure
            if status != 200:
                if status is not None and status != 304:
                    recorder.unexpected("step", f"status {status}")
                continue
            polled = int(body) if body.strip().isdigit() else version
            kind, shown, _, fields = load(round_path)
            if kind == "failed":
                continue  # the next poll sees the change again, and tries again
            now = max(polled, shown or 0)
            result.seen.append((now, time.monotonic()))
            if kind == "summary":
                result.summary = True
                return result
            if kind == "question" and fields["question_id"] not in answered:
                after, later = answer(fields)
                if after == "summary":
                    result.summary = True
                    return result
                shown = later or shown
            version = shown or now
        return result
    except testing.Abort:
        result.failed = "aborted (deadline)"
        return result
    except Exception as exc:  # noqa: BLE001 - a bench bug must not hang the others
        result.failed = f"crashed: {type(exc).__name__}: {exc}"
        return result
    finally:
        browser.close()


# --------------------------------------------------------------------------- the run


def run(args: argparse.Namespace, server: testing.Server) -> dict:
    recorder = testing.Recorder(ENDPOINTS)
    group = server.process.pid
    deadline = time.monotonic() + 180 + args.idle_s + args.claims * (ANSWER_WAIT_S + REVEAL_S + 20)
    suffix = os.urandom(3).hex()  # teachers of their own on a database used before
    classes = [
        Classroom(i, f"bench-{suffix}-teacher-{i + 1}", "bench-password-" + os.urandom(8).hex())
        for i in range(args.classes)
    ]
    whole = testing.CpuMeter(group)
    for klass in classes:
        server.add_teacher(klass.username, klass.password)
    browsers = [
        PollingBrowser("127.0.0.1", server.port, TIMEOUT_S, recorder.record, deadline) for _ in classes
    ]
    host_fields = [set_up_class(k, b, recorder) for k, b in zip(classes, browsers, strict=True)]

    stop, go = threading.Event(), threading.Event()
    joined = threading.Semaphore(0)
    phones: list[PhoneResult] = []
    lock = threading.Lock()

    def run_phone(klass: Classroom, number: int) -> None:
        result = phone(klass, number, args, server.port, recorder, deadline, stop, joined)
        with lock:
            phones.append(result)

    pollers = [
        threading.Thread(target=projector, args=(k, args, server.port, recorder, deadline, stop), daemon=True)
        for k in classes
    ]
    phone_threads = [
        threading.Thread(target=run_phone, args=(k, n), daemon=True, name=f"phone-{k.index}-{n}")
        for k in classes
        for n in range(args.phones)
    ]
    teachers = [
        threading.Thread(target=teacher, args=(k, b, f, args, recorder, go, stop), daemon=True)
        for k, b, f in zip(classes, browsers, host_fields, strict=True)
    ]
    report: dict = {}
    try:
        for thread in pollers + phone_threads + teachers:
            thread.start()
        # Every phone in the lobby, and every projector has seen them all: from now on nothing changes.
        joining = time.monotonic()
        everyone = len(classes) * args.phones
        for count in range(everyone):
            if not joined.acquire(timeout=max(0.1, JOIN_SPREAD_S + 60 - (time.monotonic() - joining))):
                recorder.note(f"only {count} of {everyone} phones joined within {JOIN_SPREAD_S + 60:.0f} s")
                break
        while time.monotonic() - joining < JOIN_SPREAD_S + 60:
            with lock:
                gone = len(phones)  # phones that gave up
            if all(k.joined >= args.phones for k in classes) or gone:
                break
            time.sleep(0.1)
        report["join_s"] = time.monotonic() - joining
        before = {name: recorder.statuses(name) for name in ("step", "state")}
        idle = testing.CpuMeter(group)
        time.sleep(args.idle_s)
        report["idle"] = idle.read()
        report["idle"]["polls"] = {
            name: dict(recorder.statuses(name) - before[name]) for name in ("step", "state")
        }
        live = testing.CpuMeter(group)
        go.set()
        for thread in teachers:
            thread.join(timeout=max(0.1, deadline - time.monotonic()))
        # Every phone polls once more and loads its summary.
        for thread in phone_threads:
            thread.join(timeout=max(0.1, min(deadline - time.monotonic(), 3 * args.poll_s + TIMEOUT_S)))
        report["live"] = live.read()
    finally:
        stop.set()
        for thread in pollers + phone_threads + teachers:
            thread.join(timeout=TIMEOUT_S + 5)
        for browser in browsers:
            browser.close()
    report["whole"] = whole.read()
    if time.monotonic() > deadline:
        recorder.note("the run hit its deadline")
    report["classes"] = classes
    report["phones"] = phones
    report["recorder"] = recorder
    return report


def seen_report(classes: list[Classroom], phones: list[PhoneResult]) -> dict:
    """For every press and every phone of its class: seconds until the phone showed that step."""
    lags: dict[str, list[float]] = {"next": [], "show": [], "end": []}
    missing: Counter = Counter()
    worst: list[tuple[float, str]] = []
    for klass in classes:
        members = [p for p in phones if p.classroom == klass.index and p.token]
        for number, press in enumerate(klass.presses):
            for member in members:
                at = next((t for v, t in member.seen if v >= press.version), None)
                if at is None:
                    missing[press.kind] += 1
                    continue
                lags[press.kind].append(at - press.at)
                worst.append((at - press.at, f"class {klass.index + 1} press {number + 1} ({press.kind})"))
    every = sorted(lag for values in lags.values() for lag in values)
    by_kind = {}
    for kind, values in lags.items():
        values.sort()
        by_kind[kind] = {
            "count": len(values),
            "p50_s": testing.percentile(values, 50),
            "p99_s": testing.percentile(values, 99),
            "max_s": values[-1] if values else 0.0,
            "never_seen": missing[kind],
        }
    return {
        "count": len(every),
        "p50_s": testing.percentile(every, 50),
        "p99_s": testing.percentile(every, 99),
        "max_s": every[-1] if every else 0.0,
        "over_target": sum(1 for lag in every if lag > SEEN_TARGET_S),
        "never_seen": sum(missing.values()),
        "by_press": by_kind,
        "slowest": [f"{lag:.2f} s: {where}" for lag, where in sorted(worst, reverse=True)[:3]],
    }


#: The endpoint table's columns after the endpoint's name (and before its statuses).
COLUMNS = (
    ("requests", "requests", 8, ""),
    *testing.LATENCY_COLUMNS,
    ("errors", "errors", 6, ""),
    ("unexp", "unexpected", 5, ""),
)


def summarize(recorder: testing.Recorder) -> dict[str, dict]:
    table = {}
    for name in ENDPOINTS:
        s = recorder.stats[name]
        table[name] = {
            "requests": len(s.latencies_ms),
            **testing.latency_summary(s.latencies_ms),
            "errors": s.errors,
            "unexpected": s.unexpected,
            "statuses": dict(s.statuses),
            "exceptions": dict(s.exceptions),
        }
    return table


def cpu_line(name: str, used: dict) -> str:
    line = f"{name}: {used['wall_s']:.1f} s wall, bench CPU {used['bench_cpu_s']:.2f} s"
    if used["server_cpu_s"] is not None:
        line += f", server CPU {used['server_cpu_s']:.2f} s = {used['server_cores']:.3f} cores"
    return line


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    p.add_argument("--classes", type=int, default=3, help="classes, each with its teacher and projector")
    p.add_argument("--phones", type=int, default=30, help="phones per class (one thread each)")
    p.add_argument("--claims", type=int, default=10, help="claims each teacher shows before End")
    p.add_argument("--poll-s", type=float, default=2.0, help="seconds between polls (live.js and host.js: 2)")
    p.add_argument("--idle-s", type=float, default=20.0, help="seconds of polling alone, measured for CPU")
    p.add_argument(
        "--database",
        help="the database (SQLAlchemy URL or SQLite file) the server uses and answers are checked in "
        "(default: a fresh SQLite file)",
    )
    p.add_argument("--workers", type=int, help="worker processes of the server (default: its own)")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = p.parse_args(argv)
    for name in ("classes", "phones", "claims"):
        if getattr(args, name) < 1:
            p.error(f"--{name} must be at least 1")
    if args.classes * args.phones > 500 or args.claims > 50:
        p.error("keep it bounded: at most 500 phones in all and 50 claims")
    if not 0.2 <= args.poll_s <= 30 or not 1 <= args.idle_s <= 600:
        p.error("--poll-s must be 0.2 to 30 and --idle-s 1 to 600")
    if args.workers is not None and args.workers < 1:
        p.error("--workers must be at least 1")
    if args.database:
        args.database = testing.database_url(args.database)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return testing.bench_main(functools.partial(bench, args), prefix="quiz-bench-live-")


def bench(args: argparse.Namespace, workdir: Path, servers: list[testing.Server]) -> int:
    """The run and its report, against a server started in `workdir` (added to `servers`)."""
    server = testing.start_server(workdir, servers.append, database=args.database, workers=args.workers)
    print(f"target: {server.describe()}  [db {server.database}]")
    print(
        f"classes={args.classes} phones/class={args.phones} claims={args.claims} poll={args.poll_s:g} s "
        f"idle={args.idle_s:g} s server_workers={args.workers or 'default'} cpus={os.cpu_count()} "
        f"loadavg(1 min) before={os.getloadavg()[0]:.2f} (other work on this machine skews the figures)",
        flush=True,
    )
    result = run(args, server)
    classes, phones, recorder = result["classes"], result["phones"], result["recorder"]
    table = summarize(recorder)
    print()
    testing.print_endpoints(table, COLUMNS, statuses=True)
    print()
    problems: list[str] = []
    report: dict = {
        "classes": args.classes,
        "phones_per_class": args.phones,
        "claims": args.claims,
        "poll_s": args.poll_s,
        "server_workers": args.workers,
        "cpus": os.cpu_count(),
        "loadavg_after": os.getloadavg(),
        "join_s": result["join_s"],
        "endpoints": table,
    }

    requests = sum(row["requests"] for row in table.values())
    errors = sum(row["errors"] for row in table.values())
    unexpected = sum(row["unexpected"] for row in table.values())
    print(f"requests {requests}, errors {errors}, unexpected {unexpected}")
    if errors or unexpected:
        problems.append(f"{errors} failed and {unexpected} unexpected requests")
    for name, label in (("step", "phone polls (step)"), ("state", "projector polls (state)")):
        row = table[name]
        print(
            f"{label}: {row['requests']} requests, p50 {row['p50_ms']:.1f} ms, "
            f"p95 {row['p95_ms']:.1f} ms, p99 {row['p99_ms']:.1f} ms, max {row['max_ms']:.1f} ms"
        )

    ready = sum(1 for p in phones if p.token)
    in_summary = sum(1 for p in phones if p.summary)
    print(
        f"phones joined {ready}/{args.classes * args.phones} in {result['join_s']:.1f} s; "
        f"saw their summary {in_summary}"
    )
    if ready < args.classes * args.phones:
        problems.append(f"{args.classes * args.phones - ready} phones did not join")
    if in_summary < ready:
        problems.append(f"{ready - in_summary} phones did not reach their summary")
    for why, count in Counter(p.failed for p in phones if p.failed).items():
        print(f"  phone gave up at {why}: {count}")
    for klass in classes:
        if klass.failed:
            problems.append(f"teacher {klass.index + 1} {klass.failed}")
        short = [w for w in klass.waits if w["answered"] < args.phones]
        if short:
            problems.append(f"class {klass.index + 1}: {len(short)} claims shown before all answered")
    waits = sorted(w["wait_s"] for k in classes for w in k.waits)
    if waits:
        print(
            f"teacher waited for all answers: median {testing.percentile(waits, 50):.1f} s, "
            f"max {waits[-1]:.1f} s (reading time, the phones' poll and the projector's poll)"
        )
    report["answer_waits"] = {k.index + 1: k.waits for k in classes}

    seen = seen_report(classes, phones)
    report["seen"] = seen
    presses = sum(len(k.presses) for k in classes)
    print(
        f"press to phone showing the new step ({presses} presses x phones, {seen['count']} in all): "
        f"p50 {seen['p50_s']:.2f} s, p99 {seen['p99_s']:.2f} s, max {seen['max_s']:.2f} s "
        f"(target under {SEEN_TARGET_S:g} s); over target {seen['over_target']}, never seen "
        f"{seen['never_seen']}"
    )
    for kind, row in seen["by_press"].items():
        print(f"  {kind:<4}: {row['count']} seen, p99 {row['p99_s']:.2f} s, max {row['max_s']:.2f} s")
    if seen["slowest"]:
        print("  slowest: " + "; ".join(seen["slowest"]))
    if seen["over_target"] or seen["never_seen"]:
        problems.append(
            f"{seen['over_target']} steps seen later than {SEEN_TARGET_S:g} s, "
            f"{seen['never_seen']} never seen"
        )
    expected_presses = args.classes * (2 * args.claims + 1)
    if presses < expected_presses:
        problems.append(f"{expected_presses - presses} teacher presses did not go through")

    acknowledged = [pair for p in phones for pair in p.acknowledged]
    sent = sum(p.answers_sent for p in phones)
    tokens = {p.token for p in phones if p.token}
    db_report = testing.check_database(server.database, tokens, set(acknowledged))
    report["answers"] = {"sent": sent, "acknowledged": len(acknowledged), "database": db_report}
    print(
        f"answers expected {args.classes * args.phones * args.claims}, sent {sent}, acknowledged "
        f"{len(acknowledged)}, stored {db_report['stored']}; lost {db_report['lost']}, duplicates "
        f"{db_report['duplicates']}, stored but not acknowledged {db_report['stored_not_acknowledged']}"
    )
    problems += testing.answer_problems(db_report, acknowledged, stored_unacknowledged=True)

    idle = result["idle"]
    polls = idle["polls"]
    count = sum(sum(p.values()) for p in polls.values())
    changed = sum(p.get("200", 0) for p in polls.values())
    print()
    rate = count / idle["wall_s"]
    print(cpu_line(f"polling only ({count} polls, {rate:.1f}/s, {changed} of them 200)", idle))
    if idle["server_cores"] is not None:
        per_poll = 1000 * idle["server_cpu_s"] / max(1, count)
        target = "met" if idle["server_cores"] < IDLE_CPU_TARGET else "MISSED"
        print(
            f"  polling costs {idle['server_cores']:.3f} cores ({per_poll:.2f} ms of server CPU a poll); "
            f"target under {IDLE_CPU_TARGET:g}: {target}"
        )
    print(cpu_line("live rounds (Next to End)", result["live"]))
    print(cpu_line("whole run (from the first add-teacher)", result["whole"]))
    report["cpu"] = {name: result[name] for name in ("idle", "live", "whole")}

    testing.check_server_log(server, report, problems)
    for note, n in recorder.notes.items():
        print(f"  note: {n} x {note}")
    report["notes"] = dict(recorder.notes)
    return testing.verdict(report, problems, args.json)


if __name__ == "__main__":
    sys.exit(main())
