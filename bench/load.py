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
import functools
import os
import random
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))  # run as a script from any folder: the project's own package

from quiz import testing  # noqa: E402

ENDPOINTS = ("home", "start", "question", "answer", "reveal", "summary", "answer_only", "healthz")
#: The phase each endpoint's requests are counted in (req/s is over that phase's wall time).
PHASE_OF = {"answer_only": "answers", "healthz": "healthz"}
LOOPBACK_NAMES = {"127.0.0.1", "localhost"}
CHOICES = ("plausible", "dubious")

TITLE_RE = re.compile(r"<title>\s*Question\s+(\d+)\s+of\s+(\d+)", re.I)
REVEAL_PATH_RE = re.compile(r"^/play/([^/]+)/reveal/([^/?#]+)$")
QUESTION_PATH_RE = re.compile(r"^/play/([^/?#]+)$")


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
    recorder: testing.Recorder,
    deadline: float,
    rng: random.Random,
    lockstep: Lockstep | None,
    start_gate: threading.Barrier,
) -> PlayerResult:
    result = PlayerResult()
    browser = testing.Browser(host, port, args.timeout, recorder.record, deadline)
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
    except testing.Abort as exc:
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
    browser: testing.Browser,
    recorder: testing.Recorder,
    rng: random.Random,
    lockstep: Lockstep | None,
    result: PlayerResult,
    before_answer,  # type: ignore[no-untyped-def]
) -> bool:
    """One round from the home page to the summary; False when the player had to give up."""
    status, _, page = browser.request("home", "GET", "/")
    fields = testing.form_inputs(page) if status == 200 else {}
    if "csrf_token" not in fields:
        if status is not None:
            recorder.unexpected("home", "no csrf_token in the start form")
        result.failed = "home"
        return False
    form = testing.start_form(fields, args.deck) | {"nickname": f"bench-{index}"}
    status, location, match = browser.submit("start", "/play", form, QUESTION_PATH_RE)
    if match is None:
        recorder.unexpected_reply("start", status, location, ", not a question page")
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
            recorder.unexpected_reply("question", status, location, " before the round ended")
            result.failed = "question"
            return False
        fields = testing.form_inputs(page)
        title = TITLE_RE.search(page)
        if title:
            total = min(int(title.group(2)), args.round_size + 1000)
        if not {"csrf_token", "question_id"} <= fields.keys():
            recorder.unexpected("question", "no answer form on the question page")
            result.failed = "question"
            return False
        qid = fields["question_id"]
        answer = testing.answer_form(fields, rng.choice(CHOICES))
        think(args, rng)
        slot = before_answer()
        sent = time.monotonic()
        result.answers_sent += 1
        status, location, reveal = browser.submit("answer", f"{question_path}/answer", answer, REVEAL_PATH_RE)
        done = time.monotonic()
        if reveal is None or reveal.group(1) != token or reveal.group(2) != qid:
            recorder.unexpected_reply("answer", status, location, ", not this question's reveal")
            result.failed = "answer"
            return False
        result.acknowledged.append((token, qid))
        if lockstep is not None:
            lockstep.mark(slot, sent, done)
        k += 1
        status, location, page = browser.request("reveal", "GET", location)
        think(args, rng)
        if status != 200:
            recorder.unexpected_reply("reveal", status, location)
            result.failed = "reveal"
            return False
    status, location, page = browser.request("summary", "GET", f"{question_path}/summary")
    if status != 200:
        recorder.unexpected_reply("summary", status, location)
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
    recorder: testing.Recorder,
    deadline: float,
    rng: random.Random,
) -> list[ReadyAnswer]:
    """Start `count` rounds and read their first question pages (not measured)."""
    browser = testing.Browser(host, port, args.timeout, recorder.record, deadline)
    ready: list[ReadyAnswer] = []
    try:
        while len(ready) < count:
            browser.cookies = {}  # a new browser every ROUNDS_PER_COOKIE rounds
            status, _, page = browser.request("home", "GET", "/")
            fields = testing.form_inputs(page) if status == 200 else {}
            if "csrf_token" not in fields:
                recorder.unexpected("home", "no csrf_token in the start form")
                return ready
            start = testing.start_form(fields, args.deck)
            batch = []
            for _ in range(min(ROUNDS_PER_COOKIE, count - len(ready))):
                status, location, match = browser.submit("start", "/play", start, QUESTION_PATH_RE)
                if match is None:
                    recorder.unexpected("start", f"status {status} to {location!r}, not a question page")
                    return ready
                status, _, page = browser.request("question", "GET", match.group(0))
                fields = testing.form_inputs(page) if status == 200 else {}
                if not {"csrf_token", "question_id"} <= fields.keys():
                    recorder.unexpected("question", "no answer form on the question page")
                    return ready
                batch.append((match.group(1), testing.answer_form(fields, rng.choice(CHOICES))))
            ready += [ReadyAnswer(dict(browser.cookies), token, form) for token, form in batch]
        return ready
    except testing.Abort:
        return ready
    finally:
        browser.close()


def post_answers(
    host: str,
    port: int,
    ready: list[ReadyAnswer],
    timeout: float,
    recorder: testing.Recorder,
    deadline: float,
    gate: threading.Barrier,
    acknowledged: list[tuple[str, str]],
) -> None:
    """Post prepared answers back to back, without following their redirects."""
    with browser_after(gate, host, port, timeout, recorder, deadline) as browser:
        for item in ready:
            browser.cookies = dict(item.cookies)
            path = f"/play/{item.token}/answer"
            status, location, reveal = browser.submit("answer_only", path, item.form, REVEAL_PATH_RE)
            if reveal is not None and reveal.groups() == (item.token, item.form["question_id"]):
                acknowledged.append((item.token, item.form["question_id"]))
            else:
                recorder.unexpected_reply("answer_only", status, location, ", not this question's reveal")


def hammer_healthz(
    host: str,
    port: int,
    count: int,
    timeout: float,
    recorder: testing.Recorder,
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
    gate: threading.Barrier, host: str, port: int, timeout: float, recorder: testing.Recorder, deadline: float
) -> Iterator[testing.Browser]:
    """One thread's browser for a measured phase, once every thread is ready; at the run's
    deadline it stops quietly, and it is always closed."""
    browser = testing.Browser(host, port, timeout, recorder.record, deadline)
    try:
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait(timeout=timeout)
        yield browser
    except testing.Abort:
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


#: The endpoint table's columns after the endpoint's name.
COLUMNS = (
    ("requests", "requests", 8, ""),
    ("req/s", "rps", 8, ".1f"),
    *testing.LATENCY_COLUMNS,
    ("errors", "errors", 6, ""),
    ("5xx", "5xx", 5, ""),
    ("locked", "locked", 6, ""),
    ("unexp", "unexpected", 5, ""),
)


def summarize(recorder: testing.Recorder, durations: dict[str, float]) -> dict[str, dict]:
    table = {}
    for name in ENDPOINTS:
        s = recorder.stats[name]
        seconds = durations.get(PHASE_OF.get(name, "game")) or 0.0
        table[name] = {
            "requests": len(s.latencies_ms),
            "rps": len(s.latencies_ms) / seconds if seconds else 0.0,
            **testing.latency_summary(s.latencies_ms),
            "errors": s.errors,
            "5xx": s.server_errors,
            "locked": s.locked,
            "unexpected": s.unexpected,
            "statuses": dict(s.statuses),
            "exceptions": dict(s.exceptions),
        }
    return table


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
        args.database = testing.database_url(args.database)
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


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return testing.bench_main(functools.partial(bench, args), prefix="quiz-bench-", keep=args.keep)


def bench(args: argparse.Namespace, workdir: Path, servers: list[testing.Server]) -> int:
    """The run and its report, against a server started in `workdir` (added to `servers`) or --url."""
    server: testing.Server | None = None
    if args.url:
        host, port = target_of(args.url)
        database = args.database
        where = f"{args.url} (running server)"
    else:
        server = testing.start_server(
            workdir,
            servers.append,
            database=args.database,
            round_size=args.round_size,
            questions_dir=args.questions_dir,
            workers=args.workers,
            settings=dict(item.split("=", 1) for item in args.env),
        )
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
    testing.print_endpoints(table, COLUMNS)

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
        db_report = testing.check_database(database, tokens, acknowledged)
        report["database"] = db_report
        print(
            f"answers stored {db_report['stored']} (acknowledged {n_ack}); lost {db_report['lost']}; "
            f"duplicates {db_report['duplicates']}; stored but not acknowledged "
            f"{db_report['stored_not_acknowledged']}"
        )
        problems += testing.answer_problems(db_report, in_game + answered_alone)
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
        testing.check_server_log(server, report, problems)
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
    return testing.verdict(report, problems, args.json)


def run(args: argparse.Namespace, host: str, port: int, server_pid: int | None = None):  # type: ignore[no-untyped-def]
    recorder = testing.Recorder(ENDPOINTS)
    cpu: dict[str, dict[str, float | None]] = {}

    def measured(name: str, phase) -> None:  # type: ignore[no-untyped-def]
        meter = testing.CpuMeter(server_pid)
        phase()
        used = meter.read()
        cpu[name] = {key: used[key] for key in ("server_cpu_s", "bench_cpu_s")}

    deadline = time.monotonic() + args.max_seconds
    # Warm-up, not counted: the first requests compile templates and open connections.
    warm = testing.Browser(host, port, args.timeout, testing.Recorder(ENDPOINTS).record, deadline)
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
    preparing = testing.Recorder(ENDPOINTS)

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
