#!/usr/bin/env python3
"""Load benchmark: simulated players against the production server (`quiz serve`).

Starts `quiz serve` on a free loopback port with a fresh temporary SQLite database, or on the
PostgreSQL database of --database (or targets a running server with --url), lets N players play
complete rounds like a browser does (cookie, CSRF token, form posts, redirects), measures the
answer endpoint alone and GET /healthz under the same concurrency, then prints per-endpoint
throughput and latency, and checks in the database that every acknowledged answer was stored
exactly once. Exit status 1 on any error, lost or duplicated answer.

Needs only the standard library and SQLAlchemy (with psycopg for PostgreSQL), which the project
installs. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))  # run as a script from any folder: the project's own package

from quiz.testing import (  # noqa: E402
    Abort,
    Browser,
    Server,
    answer_form,
    check_database,
    database_url,
    form_inputs,
    start_form,
    start_server,
)

ENDPOINTS = ("home", "start", "question", "answer", "reveal", "summary", "answer_only", "healthz")
#: The phase each endpoint's requests are counted in (req/s is over that phase's wall time).
PHASE_OF = {"answer_only": "answers", "healthz": "healthz"}
LOOPBACK_NAMES = {"127.0.0.1", "localhost"}
CHOICES = ("plausible", "dubious")

TITLE_RE = re.compile(r"<title>\s*Question\s+(\d+)\s+of\s+(\d+)", re.I)
REVEAL_PATH_RE = re.compile(r"^/play/([^/]+)/reveal/([^/?#]+)$")
QUESTION_PATH_RE = re.compile(r"^/play/([^/?#]+)$")


# --------------------------------------------------------------------------- measurements


@dataclass
class EndpointStats:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0  # status not 2xx/3xx, or an exception (timeout, reset, ...)
    server_errors: int = 0  # 5xx
    locked: int = 0  # body mentions "database is locked"
    exceptions: Counter = field(default_factory=Counter)
    unexpected: int = 0  # 2xx/3xx but not what a browser expects (wrong redirect, no form)


class Recorder:
    """Thread-safe collection of request results, per endpoint."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stats = {name: EndpointStats() for name in ENDPOINTS}
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
        with self.lock:
            self.stats[endpoint].unexpected += 1
            self.notes[f"{endpoint}: {why}"] += 1


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 for an empty one)."""
    if not sorted_values:
        return 0.0
    rank = max(1, -(-len(sorted_values) * p // 100))  # ceil
    return sorted_values[int(rank) - 1]


# --------------------------------------------------------------------------- HTTP client


# --------------------------------------------------------------------------- players


@dataclass
class PlayerResult:
    rounds_started: int = 0
    rounds_finished: int = 0
    answers_sent: int = 0
    acknowledged: list[tuple[str, str]] = field(default_factory=list)  # (token, question_id)
    failed: str | None = None


class Lockstep:
    """A barrier before every answer, plus the moments each answer went out and came back."""

    def __init__(self, players: int, timeout: float) -> None:
        self.barrier = threading.Barrier(players)
        self.timeout = timeout
        self.lock = threading.Lock()
        self.sent: dict[int, list[float]] = {}
        self.done: dict[int, list[float]] = {}
        self.broken = False

    def wait(self) -> None:
        if self.broken:
            return
        try:
            self.barrier.wait(timeout=self.timeout)
        except threading.BrokenBarrierError:
            self.broken = True

    def mark(self, k: int, sent: float, done: float) -> None:
        with self.lock:
            self.sent.setdefault(k, []).append(sent)
            self.done.setdefault(k, []).append(done)


def play(
    index: int,
    args: argparse.Namespace,
    host: str,
    port: int,
    recorder: Recorder,
    deadline: float,
    rng: random.Random,
    lockstep: Lockstep | None,
    start_gate: threading.Barrier,
) -> PlayerResult:
    result = PlayerResult()
    browser = Browser(host, port, args.timeout, recorder.record, deadline)
    slots = args.rounds_per_player * args.round_size
    waited = [0]  # lockstep: barriers this player has met so far

    def before_answer() -> int:
        """Lockstep: wait for everyone; returns this answer's slot (its index across rounds)."""
        slot = waited[0]
        if lockstep is not None and slot < slots:
            lockstep.wait()
            waited[0] += 1
        return slot

    def keep_step() -> None:
        """A player who dropped out still meets the others at every barrier, so none hangs."""
        if lockstep is not None:
            while waited[0] < slots:
                lockstep.wait()
                waited[0] += 1

    try:
        try:
            start_gate.wait(timeout=args.timeout)
        except threading.BrokenBarrierError:
            pass
        for _round in range(args.rounds_per_player):
            if not _play_round(index, args, browser, recorder, rng, lockstep, result, before_answer):
                keep_step()
                return result
        return result
    except Abort as exc:
        result.failed = f"aborted ({exc})"
        if lockstep is not None:
            lockstep.broken = True
            lockstep.barrier.abort()
        return result
    except Exception as exc:  # noqa: BLE001 - a bench bug must not hang the other players
        result.failed = f"crashed: {type(exc).__name__}: {exc}"
        keep_step()
        return result
    finally:
        browser.close()


def think(args: argparse.Namespace, rng: random.Random) -> None:
    """A player reading the page: --think-ms on average, from half to one and a half times it."""
    if args.think_ms > 0:
        time.sleep(args.think_ms * rng.uniform(0.5, 1.5) / 1000)


def _play_round(
    index: int,
    args: argparse.Namespace,
    browser: Browser,
    recorder: Recorder,
    rng: random.Random,
    lockstep: Lockstep | None,
    result: PlayerResult,
    before_answer,  # type: ignore[no-untyped-def]
) -> bool:
    """One round from the home page to the summary; False when the player had to give up."""
    status, _, page = browser.request("home", "GET", "/")
    fields = form_inputs(page) if status == 200 else {}
    if "csrf_token" not in fields:
        if status is not None:
            recorder.unexpected("home", "no csrf_token in the start form")
        result.failed = "home"
        return False
    form = start_form(fields, args.deck) | {"nickname": f"bench-{index}"}
    status, location, _ = browser.request("start", "POST", "/play", form)
    match = QUESTION_PATH_RE.match(location or "") if status in (302, 303) else None
    if match is None:
        if status is not None and 200 <= status < 400:
            recorder.unexpected("start", f"status {status} to {location!r}, not a question page")
        result.failed = "start"
        return False
    token = match.group(1)
    result.rounds_started += 1
    question_path = f"/play/{token}"
    total = args.round_size
    k = 0
    while k < total:  # bounded: one answer per question of the round
        status, location, page = browser.request("question", "GET", question_path)
        if status != 200:
            if status is not None and 200 <= status < 400:
                recorder.unexpected("question", f"status {status} to {location!r} before the round ended")
            result.failed = "question"
            return False
        fields = form_inputs(page)
        title = TITLE_RE.search(page)
        if title:
            total = min(int(title.group(2)), args.round_size + 1000)
        if not {"csrf_token", "question_id"} <= fields.keys():
            recorder.unexpected("question", "no answer form on the question page")
            result.failed = "question"
            return False
        qid = fields["question_id"]
        answer = answer_form(fields, rng.choice(CHOICES))
        think(args, rng)
        slot = before_answer()
        sent = time.monotonic()
        result.answers_sent += 1
        status, location, _ = browser.request("answer", "POST", f"{question_path}/answer", answer)
        done = time.monotonic()
        reveal = REVEAL_PATH_RE.match(location or "") if status in (302, 303) else None
        if reveal is None or reveal.group(1) != token or reveal.group(2) != qid:
            if status is not None and 200 <= status < 400:
                recorder.unexpected("answer", f"status {status} to {location!r}, not this question's reveal")
            result.failed = "answer"
            return False
        result.acknowledged.append((token, qid))
        if lockstep is not None:
            lockstep.mark(slot, sent, done)
        k += 1
        status, location, page = browser.request("reveal", "GET", location)
        think(args, rng)
        if status != 200:
            if status is not None and 200 <= status < 400:
                recorder.unexpected("reveal", f"status {status} to {location!r}")
            result.failed = "reveal"
            return False
    status, location, page = browser.request("summary", "GET", f"{question_path}/summary")
    if status != 200:
        if status is not None and 200 <= status < 400:
            recorder.unexpected("summary", f"status {status} to {location!r}")
        result.failed = "summary"
        return False
    result.rounds_finished += 1
    return True


#: The game's cookie remembers a browser's last 8 rounds; a browser answers only in those.
ROUNDS_PER_COOKIE = 8


@dataclass
class ReadyAnswer:
    """An answer to the first question of a fresh round, ready to post with its browser's cookie."""

    cookies: dict[str, str]
    token: str
    form: dict[str, str]


def prepare_answers(
    args: argparse.Namespace,
    host: str,
    port: int,
    count: int,
    recorder: Recorder,
    deadline: float,
    rng: random.Random,
) -> list[ReadyAnswer]:
    """Start `count` rounds and read their first question pages (not measured)."""
    browser = Browser(host, port, args.timeout, recorder.record, deadline)
    ready: list[ReadyAnswer] = []
    try:
        while len(ready) < count:
            browser.cookies = {}  # a new browser every ROUNDS_PER_COOKIE rounds
            status, _, page = browser.request("home", "GET", "/")
            fields = form_inputs(page) if status == 200 else {}
            if "csrf_token" not in fields:
                recorder.unexpected("home", "no csrf_token in the start form")
                return ready
            start = start_form(fields, args.deck)
            batch = []
            for _ in range(min(ROUNDS_PER_COOKIE, count - len(ready))):
                status, location, _ = browser.request("start", "POST", "/play", start)
                match = QUESTION_PATH_RE.match(location or "") if status in (302, 303) else None
                if match is None:
                    recorder.unexpected("start", f"status {status} to {location!r}, not a question page")
                    return ready
                status, _, page = browser.request("question", "GET", match.group(0))
                fields = form_inputs(page) if status == 200 else {}
                if not {"csrf_token", "question_id"} <= fields.keys():
                    recorder.unexpected("question", "no answer form on the question page")
                    return ready
                batch.append((match.group(1), answer_form(fields, rng.choice(CHOICES))))
            ready += [ReadyAnswer(dict(browser.cookies), token, form) for token, form in batch]
        return ready
    except Abort:
        return ready
    finally:
        browser.close()


def post_answers(
    host: str,
    port: int,
    ready: list[ReadyAnswer],
    timeout: float,
    recorder: Recorder,
    deadline: float,
    gate: threading.Barrier,
    acknowledged: list[tuple[str, str]],
) -> None:
    """Post prepared answers back to back, without following their redirects."""
    with browser_after(gate, host, port, timeout, recorder, deadline) as browser:
        for item in ready:
            browser.cookies = dict(item.cookies)
            path = f"/play/{item.token}/answer"
            status, location, _ = browser.request("answer_only", "POST", path, item.form)
            reveal = REVEAL_PATH_RE.match(location or "") if status in (302, 303) else None
            if reveal is not None and reveal.groups() == (item.token, item.form["question_id"]):
                acknowledged.append((item.token, item.form["question_id"]))
            elif status is not None and 200 <= status < 400:
                why = f"status {status} to {location!r}, not this question's reveal"
                recorder.unexpected("answer_only", why)


def hammer_healthz(
    host: str,
    port: int,
    count: int,
    timeout: float,
    recorder: Recorder,
    deadline: float,
    gate: threading.Barrier,
) -> None:
    with browser_after(gate, host, port, timeout, recorder, deadline) as browser:
        for _ in range(count):
            status, _, body = browser.request("healthz", "GET", "/healthz")
            if status == 200 and body != "ok":
                recorder.unexpected("healthz", "body is not 'ok'")


@contextlib.contextmanager
def browser_after(
    gate: threading.Barrier, host: str, port: int, timeout: float, recorder: Recorder, deadline: float
) -> Iterator[Browser]:
    """One thread's browser for a measured phase, once every thread is ready; at the run's
    deadline it stops quietly, and it is always closed."""
    browser = Browser(host, port, timeout, recorder.record, deadline)
    try:
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait(timeout=timeout)
        yield browser
    except Abort:
        pass
    finally:
        browser.close()


def run_threads(targets: list[threading.Thread], deadline: float) -> float:
    """Start the threads, wait for them (never past the deadline + a grace), return wall seconds."""
    started = time.perf_counter()
    for thread in targets:
        thread.start()
    for thread in targets:
        thread.join(timeout=max(0.1, deadline - time.monotonic() + 5))
    return time.perf_counter() - started


# --------------------------------------------------------------------------- the server


# --------------------------------------------------------------------------- database check


# --------------------------------------------------------------------------- report


def summarize(recorder: Recorder, durations: dict[str, float]) -> dict[str, dict]:
    table = {}
    for name in ENDPOINTS:
        s = recorder.stats[name]
        phase = PHASE_OF.get(name, "game")
        lat = sorted(s.latencies_ms)
        seconds = durations.get(phase) or 0.0
        table[name] = {
            "requests": len(lat),
            "rps": len(lat) / seconds if seconds else 0.0,
            "p50_ms": percentile(lat, 50),
            "p95_ms": percentile(lat, 95),
            "p99_ms": percentile(lat, 99),
            "max_ms": lat[-1] if lat else 0.0,
            "errors": s.errors,
            "5xx": s.server_errors,
            "locked": s.locked,
            "unexpected": s.unexpected,
            "statuses": dict(s.statuses),
            "exceptions": dict(s.exceptions),
        }
    return table


def print_table(table: dict[str, dict]) -> None:
    head = f"{'endpoint':<9} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6} {'5xx':>5} {'locked':>6} {'unexp':>5}"  # noqa: E501
    print(head)
    print("-" * len(head))
    for name, row in table.items():
        print(
            f"{name:<9} {row['requests']:>8} {row['rps']:>8.1f} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['p99_ms']:>8.1f} {row['max_ms']:>8.1f} {row['errors']:>6} {row['5xx']:>5} "
            f"{row['locked']:>6} {row['unexpected']:>5}"
        )


def lockstep_report(lockstep: Lockstep) -> dict:
    """Per answer slot: how spread out the sends were, and how long until the last ack."""
    spreads, bursts = [], []
    for k in sorted(lockstep.sent):
        sent, done = lockstep.sent[k], lockstep.done[k]
        spreads.append((max(sent) - min(sent)) * 1000)
        bursts.append((max(done) - min(sent)) * 1000)
    if not bursts:
        return {}
    answers = sum(len(v) for v in lockstep.done.values())
    return {
        "slots": len(bursts),
        "send_spread_ms_max": max(spreads),
        "burst_ms_median": sorted(bursts)[len(bursts) // 2],
        "burst_ms_max": max(bursts),
        "burst_answers_per_s": answers / (sum(bursts) / 1000) if sum(bursts) else 0.0,
        "burst_ms": [round(ms, 1) for ms in bursts],
        "barrier_broken": lockstep.broken,
    }


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    p.add_argument("--players", type=int, default=50, help="simulated players (concurrent threads)")
    p.add_argument("--rounds-per-player", type=int, default=1)
    p.add_argument("--round-size", type=int, default=10, help="questions per round (QUIZ_ROUND_SIZE)")
    p.add_argument("--workers", type=int, help="worker processes of the server (default: its own)")
    p.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                   help="a setting for the server (repeatable), e.g. QUIZ_TRUSTED_PROXIES=1")  # fmt: skip
    p.add_argument("--scenario", choices=("games", "lockstep"), default="games",
                   help="games: complete rounds as fast as possible; lockstep: everyone answers "
                        "question k at the same moment (a barrier before each answer)")  # fmt: skip
    p.add_argument(
        "--questions-dir", help="deck folder for the server (QUIZ_QUESTIONS_DIR); default: bundled decks"
    )
    p.add_argument("--deck", help="deck id to play (default: the one the home page checks)")
    p.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="mean time a player reads before each answer and each Next (uniform, 0.5x to 1.5x); "
        "0: click as fast as possible (saturation)",
    )
    p.add_argument(
        "--url", help="target a running server instead, e.g. http://127.0.0.1:8000 (loopback only)"
    )
    p.add_argument(
        "--database",
        help="the database (SQLAlchemy URL or SQLite file) the server uses and answers are checked in: "
        "for a started server, e.g. postgresql+psycopg://quiz:quiz@127.0.0.1/quiz_bench (default: a "
        "fresh SQLite file); with --url, the running server's",
    )
    p.add_argument("--answer-only-requests", type=int, default=1800,
                   help="answers posted alone (first questions of fresh rounds, redirects not "
                        "followed), spread over --players threads: the answer endpoint's "
                        "throughput; 0 skips")  # fmt: skip
    p.add_argument("--healthz-requests", type=int, default=4000,
                   help="GET /healthz requests in all, spread over --players threads")  # fmt: skip
    p.add_argument("--healthz-when", choices=("before", "after"), default="after")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per request (and per barrier wait)")
    p.add_argument("--max-seconds", type=float, default=900.0, help="the whole run stops after this")
    p.add_argument("--seed", type=int, default=None, help="seed for the players' random choices")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    p.add_argument("--keep", action="store_true", help="keep the temporary database and server log")
    args = p.parse_args(argv)
    for name in ("players", "rounds_per_player", "round_size", "healthz_requests"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.workers is not None and args.workers < 1:
        p.error("--workers must be at least 1")
    if args.answer_only_requests < 0:
        p.error("--answer-only-requests must be 0 or more")
    if args.database:
        args.database = database_url(args.database)
    if args.players > 1000 or args.rounds_per_player * args.round_size > 10_000:
        p.error("keep it bounded: at most 1000 players and 10000 answers per player")
    return args


def target_of(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_NAMES:
        raise SystemExit(f"--url must be http://127.0.0.1:PORT (loopback only), not {url}")
    if parts.path not in ("", "/"):
        raise SystemExit("--url must be the server's root, without a path")
    return "127.0.0.1", parts.port or 80


def _interrupt(_signum, _frame):  # type: ignore[no-untyped-def]
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # A SIGTERM stops the run like Ctrl-C does, so the server is stopped in `finally`.
    signal.signal(signal.SIGTERM, _interrupt)
    workdir = Path(tempfile.mkdtemp(prefix="quiz-bench-"))
    server: Server | None = None
    failed_hard = False
    try:
        if args.url:
            host, port = target_of(args.url)
            database = args.database
            where = f"{args.url} (running server)"
        else:
            servers: list[Server] = []
            try:
                server = start_server(
                    workdir,
                    servers.append,
                    database=args.database,
                    round_size=args.round_size,
                    questions_dir=args.questions_dir,
                    workers=args.workers,
                    settings=dict(item.split("=", 1) for item in args.env),
                )
            finally:
                if server is None:
                    for started in servers:
                        started.stop()
            host, port, database = "127.0.0.1", server.port, server.database
            where = f"{server.describe()}  [db {database}]"
        print(f"target: {where}")
        print(
            f"scenario={args.scenario} players={args.players} rounds/player={args.rounds_per_player} "
            f"round_size={args.round_size} think_ms={args.think_ms:g} "
            f"server_workers={args.workers or 'default'} "
            f"cpus={os.cpu_count()} "
            f"loadavg(1 min) before={os.getloadavg()[0]:.2f} (other work on this machine skews the figures)",
            flush=True,
        )
        results = run(args, host, port, server.process.pid if server is not None else None)
        durations, recorder, players, lockstep, cpu, answered_alone, preparing = results
        table = summarize(recorder, durations)
        print()
        print_table(table)

        in_game = [pair for p in players for pair in p.acknowledged]
        acknowledged = set(in_game) | set(answered_alone)
        tokens = {token for token, _ in acknowledged}
        n_ack = len(in_game) + len(answered_alone)
        answers_sent = sum(p.answers_sent for p in players)
        report: dict = {
            "scenario": args.scenario,
            "players": args.players,
            "rounds_per_player": args.rounds_per_player,
            "round_size": args.round_size,
            "server_workers": args.workers,
            "think_ms": args.think_ms,
            "cpus": os.cpu_count(),
            "loadavg_after": os.getloadavg(),
            "durations_s": durations,
            "endpoints": table,
            "rounds_started": sum(p.rounds_started for p in players),
            "rounds_finished": sum(p.rounds_finished for p in players),
            "answers_sent": answers_sent,
            "answers_acknowledged": n_ack,
            "players_failed": Counter(p.failed for p in players if p.failed),
            "notes": dict(recorder.notes),
        }
        print()
        print(
            f"game phase {durations['game']:.2f} s, healthz phase {durations['healthz']:.2f} s; rounds "
            f"finished {report['rounds_finished']}/{args.players * args.rounds_per_player}; "
            f"answers sent {answers_sent}, acknowledged {len(in_game)}"
        )
        if args.answer_only_requests:
            print(
                f"answer-only phase {durations.get('answers', 0):.2f} s: {table['answer_only']['requests']} "
                f"answers posted alone, {len(answered_alone)} acknowledged"
            )
        report["cpu"] = cpu
        for phase, used in cpu.items():
            seconds = durations[phase]
            requests = sum(r["requests"] for name, r in table.items() if PHASE_OF.get(name, "game") == phase)
            line = f"{phase} phase CPU: bench {used['bench_cpu_s']:.2f} s"
            if used["server_cpu_s"] is not None:
                line += (
                    f", server {used['server_cpu_s']:.2f} s = {100 * used['server_cpu_s'] / seconds:.0f}% of "
                    f"one core, {1000 * used['server_cpu_s'] / max(1, requests):.2f} ms per request"
                )
            print(line)
        problems = []
        if database is not None:
            db_report = check_database(database, tokens, acknowledged)
            report["database"] = db_report
            print(
                f"answers stored {db_report['stored']} (acknowledged {n_ack}); lost {db_report['lost']}; "
                f"duplicates {db_report['duplicates']}; stored but not acknowledged "
                f"{db_report['stored_not_acknowledged']}"
            )
            if db_report["lost"]:
                problems.append(f"{db_report['lost']} acknowledged answers not stored")
            if db_report["duplicates"]:
                problems.append(f"{db_report['duplicates']} duplicated answers")
            if n_ack != len(acknowledged):
                problems.append("the same answer was acknowledged twice")
        else:
            print("answers stored: not checked (no --database for --url)")
        health_rps = table["healthz"]["rps"]
        alone_rps = table["answer_only"]["rps"]
        game_rps = sum(table[n]["rps"] for n in ENDPOINTS if PHASE_OF.get(n, "game") == "game")
        report["answer_only_rps_over_healthz_rps"] = alone_rps / health_rps if health_rps else None
        report["game_rps_over_healthz_rps"] = game_rps / health_rps if health_rps else None
        if health_rps:
            if alone_rps:
                print(
                    f"answer throughput / healthz throughput = {alone_rps:.1f} / {health_rps:.1f} req/s = "
                    f"{alone_rps / health_rps:.3f} (the answer endpoint alone, same concurrency)"
                )
            print(
                f"game requests of every kind: {game_rps:.1f} req/s = {game_rps / health_rps:.3f} of healthz "
                f"(of which answers {table['answer']['rps']:.1f} req/s)"
            )
        if lockstep is not None:
            ls = lockstep_report(lockstep)
            report["lockstep"] = ls
            if ls:
                print(
                    f"lockstep: {ls['slots']} answer bursts of {args.players}; sends spread at most "
                    f"{ls['send_spread_ms_max']:.0f} ms; burst until last ack median "
                    f"{ls['burst_ms_median']:.0f} ms, max {ls['burst_ms_max']:.0f} ms; "
                    f"{ls['burst_answers_per_s']:.1f} answers/s within bursts"
                    + ("; BARRIER BROKEN" if ls["barrier_broken"] else "")
                )
        if server is not None:
            report["server_log"] = server.log_counts()
            print("server log: " + ", ".join(f"{k} {v}" for k, v in report["server_log"].items()))
            if report["server_log"]["database is locked"]:
                problems.append("the server logged 'database is locked'")
        for note, count in recorder.notes.items():
            print(f"  note: {count} x {note}")
        for why, count in report["players_failed"].items():
            print(f"  player gave up at {why}: {count}")
        errors = sum(row["errors"] + row["unexpected"] for row in table.values())
        if errors:
            problems.append(f"{errors} failed or unexpected requests")
        prep_errors = sum(s.errors + s.unexpected for s in preparing.stats.values())
        if prep_errors:
            problems.append(f"{prep_errors} failed requests while starting the answer-only rounds")
        if len(answered_alone) < args.answer_only_requests:
            missing = args.answer_only_requests - len(answered_alone)
            problems.append(f"{missing} answer-only posts not acknowledged")
        if report["rounds_finished"] < args.players * args.rounds_per_player:
            problems.append("not every round was finished")
        report["problems"] = problems
        report["ok"] = not problems
        print("RESULT: " + ("ok" if not problems else "FAILED: " + "; ".join(problems)))
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=2, default=str) + "\n")
        return 0 if not problems else 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        failed_hard = True
        return 1
    finally:
        if server is not None:
            server.stop()
        if args.keep or failed_hard:
            print(f"kept {workdir} (database and server log)", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


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


def run(args: argparse.Namespace, host: str, port: int, server_pid: int | None = None):  # type: ignore[no-untyped-def]
    recorder = Recorder()
    cpu: dict[str, dict[str, float | None]] = {}

    def measured(name: str, phase) -> None:  # type: ignore[no-untyped-def]
        server_before, client_before = process_cpu_seconds(server_pid), time.process_time()
        phase()
        server_after, client_after = process_cpu_seconds(server_pid), time.process_time()
        cpu[name] = {
            "server_cpu_s": None if server_before is None else server_after - server_before,
            "bench_cpu_s": client_after - client_before,
        }

    deadline = time.monotonic() + args.max_seconds
    # Warm-up, not counted: the first requests compile templates and open connections.
    warm = Browser(host, port, args.timeout, Recorder().record, deadline)
    for path in ("/", "/healthz"):
        warm.request("home", "GET", path)
    warm.close()

    master = random.Random(args.seed)
    lockstep = Lockstep(args.players, args.timeout) if args.scenario == "lockstep" else None
    durations: dict[str, float] = {}
    players: list[PlayerResult] = [PlayerResult() for _ in range(args.players)]

    def game_phase() -> None:
        gate = threading.Barrier(args.players)

        def run_player(i: int, rng: random.Random) -> None:
            players[i] = play(i, args, host, port, recorder, deadline, rng, lockstep, gate)

        threads = [
            threading.Thread(
                target=run_player, args=(i, random.Random(master.random())), daemon=True, name=f"player-{i}"
            )
            for i in range(args.players)
        ]
        durations["game"] = run_threads(threads, deadline)

    answer_only: list[list[tuple[str, str]]] = [[] for _ in range(args.players)]
    preparing = Recorder()

    def answers_phase() -> None:
        per, extra = divmod(args.answer_only_requests, args.players)
        ready: list[list[ReadyAnswer]] = [[] for _ in range(args.players)]

        def prepare(i: int, rng: random.Random) -> None:
            count = per + (1 if i < extra else 0)
            ready[i] = prepare_answers(args, host, port, count, preparing, deadline, rng)

        run_threads(
            [
                threading.Thread(target=prepare, args=(i, random.Random(master.random())), daemon=True)
                for i in range(args.players)
            ],
            deadline,
        )
        gate = threading.Barrier(args.players)
        threads = [
            threading.Thread(
                target=post_answers,
                args=(host, port, ready[i], args.timeout, recorder, deadline, gate, answer_only[i]),
                daemon=True,
                name=f"answers-{i}",
            )
            for i in range(args.players)
        ]
        measured("answers", lambda: durations.__setitem__("answers", run_threads(threads, deadline)))

    def healthz_phase() -> None:
        gate = threading.Barrier(args.players)
        per, extra = divmod(args.healthz_requests, args.players)
        threads = [
            threading.Thread(
                target=hammer_healthz,
                args=(host, port, per + (1 if i < extra else 0), args.timeout, recorder, deadline, gate),
                daemon=True,
                name=f"healthz-{i}",
            )
            for i in range(args.players)
        ]
        durations["healthz"] = run_threads(threads, deadline)

    phases = [("game", game_phase), ("healthz", healthz_phase)]
    if args.healthz_when == "before":
        phases.reverse()
    for name, phase in phases:
        measured(name, phase)
    if args.answer_only_requests:
        answers_phase()  # measures itself, after its rounds are prepared
    if time.monotonic() > deadline:
        recorder.notes["the run hit --max-seconds"] += 1
    answered_alone = [pair for acks in answer_only for pair in acks]
    return durations, recorder, players, lockstep, cpu, answered_alone, preparing


if __name__ == "__main__":
    sys.exit(main())
