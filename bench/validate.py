"""Time deck validation and CSV import of a 1,000-question deck against `quiz --help`.

    python bench/validate.py                      # this checkout
    python bench/validate.py --project ../other   # another checkout of the project, same venv

Each command runs in a fresh process (as a teacher runs it), `--runs` times; the figure is the
median. The deck is made from the bundled deck's questions, shortened so 1,000 of them fit under
the 1 MB file limit, written with the fields every version of the format knows.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent


def make_deck(project: Path, count: int) -> dict:
    """A valid deck of `count` questions, each a bundled question under a new id."""
    bundled = yaml.safe_load((project / "questions" / "north-korea-photos.yaml").read_text(encoding="utf-8"))
    questions = []
    for number in range(count):
        source = bundled["questions"][number % len(bundled["questions"])]
        flags = [f if isinstance(f, str) else f["flag"] for f in source.get("red_flags", [])][:2]
        questions.append(
            {
                "id": f"{source['id']}-{number}",
                "title": source.get("title", ""),
                "claim": source["claim"][:200],
                "context": source.get("context", "")[:150],
                "answer": source["answer"],
                "explanation": source["explanation"][:200],
                "red_flags": flags,
                "sources": [{"title": s["title"][:60], "url": s["url"]} for s in source["sources"][:2]],
                "difficulty": source.get("difficulty", "medium"),
            }
        )
    return {"schema": 1, "id": "big", "title": "A big deck", "questions": questions}


def write_csv(deck: dict, path: Path) -> None:
    header = ["id", "title", "claim", "context", "answer", "explanation", "red_flags", "difficulty"]
    header += ["source_title", "source_url", "source_title_2", "source_url_2"]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for q in deck["questions"]:
            sources = [cell for s in q["sources"] for cell in (s["title"], s["url"])]
            sources += [""] * (4 - len(sources))
            row = [q["id"], q["title"], q["claim"], q["context"], q["answer"], q["explanation"]]
            writer.writerow(row + ["; ".join(q["red_flags"]), q["difficulty"], *sources])


def timed(
    command: list[str], project: Path, env: dict[str, str], runs: int, ok: tuple[int, ...] = (0,)
) -> float:
    """The median wall time of `command`, in seconds; it must exit with a status in `ok`."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode not in ok:
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--project", type=Path, default=PROJECT, help="the checkout to time (default: this one)"
    )
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    project = args.project.resolve()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        deck = make_deck(PROJECT, args.questions)
        deck_file = folder / "big.yaml"
        deck_file.write_text(yaml.safe_dump(deck, sort_keys=False, allow_unicode=True), encoding="utf-8")
        csv_file = folder / "big.csv"
        write_csv(deck, csv_file)
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZ_")}
        env["PYTHONPATH"] = str(project)  # that checkout's package, before this venv's
        env["QUIZ_DATABASE_URL"] = f"sqlite:///{folder / 'quiz.sqlite'}"
        quiz = [sys.executable, "-m", "quiz"]
        sizes = f"deck {deck_file.stat().st_size:,} bytes, CSV {csv_file.stat().st_size:,} bytes"
        print(f"{project}: {args.questions} questions, {sizes}")
        base = timed([*quiz, "--help"], project, env, args.runs)
        validate = timed([*quiz, "validate", str(deck_file)], project, env, args.runs)
        imported = timed(
            [*quiz, "import", "--from", "csv", str(csv_file), "-o", str(folder / "out.yaml")],
            project,
            env,
            args.runs,
        )
        print(f"quiz --help            {base:6.2f} s")
        print(f"quiz validate          {validate:6.2f} s  ({validate - base:+.2f} s)")
        print(f"quiz import --from csv {imported:6.2f} s  ({imported - base:+.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
