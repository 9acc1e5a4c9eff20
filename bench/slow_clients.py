"""Slow clients against `quiz serve`: can a class still play while some connections dribble?

    python bench/slow_clients.py                     # 8 slow connections, one player's round
    python bench/slow_clients.py --slow 16 --players 10

Opens `--slow` connections that send their request a byte every `--byte-every` seconds (half
of them dribble the headers of a GET, half the body of a POST), then `--players` players each
play a whole round. Prints every player's slowest request and the requests served, and what
the server logged about the slow connections. Exit status 1 when a player's round did not end
or a request took longer than `--max-ms`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz.testing import Browser, Dribbler, answer_form, form_inputs, start_form, start_server  # noqa: E402


def play(port: int, round_size: int, results: list[dict]) -> None:
    browser = Browser("127.0.0.1", port, timeout=60)
    times: list[float] = []

    def timed(*args):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        answer = browser.request(*args)
        times.append((time.perf_counter() - started) * 1000)
        return answer

    answered = 0
    _, _, home = timed("home", "GET", "/")
    fields = form_inputs(home)
    question = None
    if "csrf_token" in fields:
        _, question, _ = timed("start", "POST", "/play", start_form(fields))
    while question and answered < round_size:
        status, _, page = timed("question", "GET", question)
        fields = form_inputs(page)
        if status != 200 or "question_id" not in fields:
            break
        _, reveal, _ = timed("answer", "POST", f"{question}/answer", answer_form(fields, "dubious"))
        if not reveal or "/reveal/" not in reveal:
            break
        timed("reveal", "GET", reveal)
        answered += 1
    browser.close()
    results.append({"answered": answered, "requests": len(times), "max_ms": max(times or [0])})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", type=int, default=8, help="slow connections (default 8)")
    parser.add_argument("--byte-every", type=float, default=0.5, help="seconds between their bytes")
    parser.add_argument("--players", type=int, default=1)
    parser.add_argument("--round-size", type=int, default=10)
    parser.add_argument("--max-ms", type=float, default=2000, help="slowest request a player may see")
    parser.add_argument("--workers", type=int)
    parser.add_argument("--observe", type=float, default=13, help="seconds to watch the slow connections")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        servers: list = []
        stop = threading.Event()
        try:
            server = start_server(
                Path(work), servers.append, round_size=args.round_size, workers=args.workers
            )
            slow = [Dribbler(server.port, n % 2 == 1, args.byte_every, stop) for n in range(args.slow)]
            opened = time.monotonic()
            for dribbler in slow:
                dribbler.start()
            time.sleep(2)  # every slow connection is in, and stuck in the middle of its request
            results: list[dict] = []
            started = time.monotonic()
            players = [
                threading.Thread(target=play, args=(server.port, args.round_size, results))
                for _ in range(args.players)
            ]
            for player in players:
                player.start()
            for player in players:
                player.join(timeout=300)
            took = time.monotonic() - started
            done = sum(r["answered"] == args.round_size for r in results)
            slowest = max((r["max_ms"] for r in results), default=0)
            requests = sum(r["requests"] for r in results)
            typical = statistics.median([r["max_ms"] for r in results] or [0])
            print(f"{args.slow} slow connections (a byte every {args.byte_every} s), {args.players} players")
            print(f"rounds finished {done}/{args.players} in {took:.1f} s; requests {requests}")
            print(f"slowest request {slowest:.0f} ms; median of the players' slowest {typical:.0f} ms")
            # A body that has not arrived within the server's limit is refused and logged.
            time.sleep(max(0.0, args.observe - (time.monotonic() - opened)))
            cut = [d.closed_after for d in slow if d.closed_after is not None]
            bodies = sum(1 for d in slow if d.payload)
            closed = f"{len(cut)} of {len(slow)} ({bodies} of them slow bodies)"
            print(f"slow connections closed by the server within {args.observe:.0f} s: {closed}")
            logged = [line for line in server.log_tail(400).splitlines() if "slow" in line.lower()]
            print(
                f"server log lines about slow clients: {len(logged)}"
                + (f"; e.g. {logged[0]}" if logged else "")
            )
            ok = done == args.players and slowest <= args.max_ms
            if not ok:
                print(server.log_tail(30))
            return 0 if ok else 1
        finally:
            stop.set()
            for started_server in servers:
                started_server.stop()


if __name__ == "__main__":
    sys.exit(main())
