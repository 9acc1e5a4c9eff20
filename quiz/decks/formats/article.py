"""Plain-text listicles (like the seed article): each entry becomes a draft question.

The shape: the article's title on the first line; then, for each entry, its title, a blank
line, the title again, its paragraphs, and an optional "(Image via CREDIT)" line.
"""

from __future__ import annotations

import re
from typing import Any

from ..loading import Located, Problem, slugify, unique_id

CREDIT = re.compile(r"^\(\s*(?:image|photo|picture)s?\s+(?:via|by|credit:?)\s+(.+?)\s*\)$", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[A-Z“\"‘])")


def entry_starts(lines: list[str]) -> list[int]:
    """Indexes of the lines that open an entry: a title, a blank line, the same title again."""
    return [
        i
        for i in range(1, len(lines) - 2)
        if lines[i].strip() and lines[i + 1].strip() == "" and lines[i + 2].strip() == lines[i].strip()
    ]


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph: a draft claim for the teacher to sharpen."""
    return SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()


def read(text: str, path: str) -> tuple[dict[str, Any], list[Problem]]:
    """The article's entries as draft questions (answer, explanation and sources left empty)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title = next((line.strip() for line in lines if line.strip()), "")
    starts = entry_starts(lines)
    if not starts:
        return {}, [
            Problem(
                path,
                1,
                "no entries found: each entry is a title line, a blank line, then the same title again",
            )
        ]
    questions: list[dict[str, Any]] = []
    problems: list[Problem] = []
    taken: set[str] = set()
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        entry_title = lines[start].strip()
        paragraphs: list[str] = []
        credit = ""
        for line in lines[start + 3 : end]:
            stripped = line.strip()
            match = CREDIT.match(stripped)
            if match:
                credit = match.group(1)
            elif stripped:
                paragraphs.append(stripped)
        base = slugify(entry_title) or f"entry-{number + 1}"
        qid = unique_id(base, taken)
        if not paragraphs:
            problems.append(Problem(path, start + 1, f"entry '{entry_title}' has a title but no text"))
        question: dict[str, Any] = {
            "id": qid,
            "title": entry_title,
            "claim": first_sentence(paragraphs[0]) if paragraphs else "",
            "context": "\n\n".join(paragraphs),
        }
        if credit:
            question["image_credit"] = credit
        question.update({"answer": "", "explanation": "", "sources": []})
        questions.append(Located(question, line=start + 1))
    deck = {
        "schema": 1,
        "id": slugify(title)[:60].strip("-") or "article",
        "title": title,
        "origin": {"title": title},
        "questions": questions,
    }
    return deck, problems
