"""Time the teacher's results pages over a big table: 100,000 rounds of the bundled deck.

    python bench/results.py                          # SQLite, 100,000 rounds of 5 answers
    python bench/results.py --rounds 200000
    python bench/results.py --database postgresql+psycopg://quiz:quiz@127.0.0.1:5432/quiz_bench

Fills a fresh database (the SQLite file in a temporary folder, or the `--database` URL, emptied
first) with `--rounds` finished rounds of `--answers` answers each, most anonymous, a few
hundred in three teachers' classes; then loads, `--runs` times each, the pages a teacher opens:
a class's results (30 players among all those rounds), the deck's results as a teacher (their
own classes' players only) and as an admin (everyone's), and a class's CSV. Prints the median
and slowest time of each, in the app itself (no network), and exits 1 when a median is over
`--max-ms`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz import create_app  # noqa: E402
from quiz.extensions import db  # noqa: E402
from quiz.testing import TEACHER_PASSWORD, fill_rounds, log_in  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=100_000, help="rounds in the table (default 100,000)")
    parser.add_argument("--answers", type=int, default=5, help="answers per round (default 5)")
    parser.add_argument("--runs", type=int, default=5, help="loads of each page (default 5)")
    parser.add_argument("--database", help="a SQLAlchemy URL (emptied first); default a new SQLite file")
    parser.add_argument("--max-ms", type=float, default=300.0, help="fail when a median is over this")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="quiz-results-") as workdir:
        url = args.database or f"sqlite:///{Path(workdir) / 'quiz.sqlite'}"
        app = create_app(
            {
                "SECRET_KEY": "a secret key for the results benchmark",
                "SQLALCHEMY_DATABASE_URI": url,
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            started = time.perf_counter()
            filled = fill_rounds(args.rounds, args.answers)
            took = time.perf_counter() - started
        print(
            f"{args.rounds:,} rounds of {args.answers} answers written in {took:.1f} s ({url.split(':')[0]})"
        )
        teacher, admin = app.test_client(), app.test_client()
        log_in(teacher, filled.teacher, TEACHER_PASSWORD)
        log_in(admin, filled.admin, TEACHER_PASSWORD)
        pages = {
            "class results (30 players)": (teacher, f"/teacher/classes/{filled.class_id}"),
            "deck results, a teacher's classes": (teacher, f"/teacher/decks/{filled.deck_id}/results"),
            "deck results, an admin (everyone)": (admin, f"/teacher/decks/{filled.deck_id}/results"),
            "class answers CSV": (teacher, f"/teacher/classes/{filled.class_id}/answers.csv"),
        }
        slow = False
        for name, (client, path) in pages.items():
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                response = client.get(path)
                response.get_data()
                times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    print(f"{name}: {path} answered {response.status_code}")
                    return 1
            median = statistics.median(times)
            slow |= median > args.max_ms
            print(f"{name:36} median {median:6.0f} ms, slowest {max(times):6.0f} ms")
        if slow:
            print(f"a median is over {args.max_ms:.0f} ms")
        return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
