"""CSV spreadsheets: one row a question, under a header row naming the columns.

The header: `id,title,claim,context,image_credit,answer,explanation,red_flags,difficulty,
source_title,source_url`, then `source_title_2,source_url_2`, `source_title_3,source_url_3`...
for more sources. Columns may come in any order; `id, claim, answer, explanation, source_title,
source_url` are required. `red_flags` are separated by `;`. An empty id is made from the claim.
Files may start with a byte-order mark (Excel's "CSV UTF-8" does); a header written with `;` or
tabs between the names (spreadsheets in some languages) sets that separator for the whole file.

Spreadsheet formula injection: on export, a cell starting with `= + - @`, a tab or a carriage
return (after any apostrophes) gets one leading apostrophe, so a spreadsheet shows it as text
instead of running it; on import, that one apostrophe is taken off again, so round trips are
exact. `write` starts with a byte-order mark so Excel opens the file as UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..loading import QUESTION_FIELDS, Problem, slugify
from ..model import Deck

REQUIRED = ("id", "claim", "answer", "explanation", "source_title", "source_url")
#: Every question field but the sources, which take column pairs of their own.
TEXT_COLUMNS = tuple(name for name in QUESTION_FIELDS if name != "sources")
HEADER = (*TEXT_COLUMNS, "source_title", "source_url")
SOURCE_COLUMN = re.compile(r"^source_(title|url)(?:_(\d+))?$")
#: What a spreadsheet may take for the start of a formula (OWASP's list for CSV injection).
FORMULA_START = "=+-@\t\r"
#: A cell a spreadsheet would run, maybe behind apostrophes: ours, or ones the author typed.
NEEDS_APOSTROPHE = re.compile("^'*[" + re.escape(FORMULA_START) + "]")
BOM = "\ufeff"
MAX_ID = 60


def neutralise(cell: str) -> str:
    """A cell as exported: one apostrophe in front of anything a spreadsheet would run."""
    return "'" + cell if NEEDS_APOSTROPHE.match(cell) else cell


def restore(cell: str) -> str:
    """A cell as imported: the one apostrophe `neutralise` adds, taken off again."""
    # Only strip when it shields a formula, so "'tis" and a lone "'" stay as typed.
    return cell[1:] if cell.startswith("'") and NEEDS_APOSTROPHE.match(cell[1:]) else cell


def _column_key(name: str) -> tuple[str, int] | None:
    """(name, 0) for a text column, ('title' or 'url', n) for source n, None if unknown."""
    if name in TEXT_COLUMNS:
        return name, 0
    match = SOURCE_COLUMN.match(name)
    number = int(match.group(2) or 1) if match else 0
    # source_title_1 would be a second name for source_title: one spelling per column.
    if match is None or (match.group(2) is not None and number < 2):
        return None
    return match.group(1), number


def _source_column(kind: str, number: int) -> str:
    return f"source_{kind}" if number == 1 else f"source_{kind}_{number}"


def _delimiter(text: str) -> str:
    """The separator used in the header line: a comma, or `;`/tab from spreadsheets set so."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    for candidate in (",", ";", "\t"):
        if candidate in first:
            return candidate
    return ","


def _rows(text: str, path: str, problems: list[Problem]) -> Iterator[tuple[int, int, list[str]]]:
    """(row number, first physical line, cells) for every row, reporting unreadable ones."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    number = 0
    while True:
        start = reader.line_num + 1
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = str(exc)
            if "unexpected end of data" in message:
                message = 'a quoted cell is never closed (a " is missing)'
            elif "expected after" in message:
                message = 'a " inside a cell must be doubled ("") or the whole cell quoted'
            problems.append(Problem(path, start, f"row {number}: cannot read the row: {message}"))
            continue
        yield number, start, cells


def read(text: str, path: str) -> tuple[dict[str, Any], list[Problem]]:
    """A CSV spreadsheet as a deck mapping, and every problem the format itself can see."""
    text = text.removeprefix(BOM)
    stem = Path(path).stem
    deck: dict[str, Any] = {"schema": 1, "id": slugify(stem) or "deck", "title": stem, "questions": []}
    problems: list[Problem] = []
    rows = _rows(text, path, problems)
    header = next(((n, line, cells) for n, line, cells in rows if any(c.strip() for c in cells)), None)
    if header is None:
        problems.append(
            Problem(path, 1, f"the file is empty: the first row must be the header ({','.join(HEADER)})")
        )
        return deck, problems
    _, header_line, names = header
    columns = _header(names, path, header_line, problems)
    if columns is None:
        return deck, problems
    rows_read: list[tuple[int, int, dict[str, str], dict[int, dict[str, str]]]] = []
    for number, line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        texts, sources = _cells(cells, columns, names, number, path, line, problems)
        rows_read.append((number, line, texts, sources))
    taken = {texts["id"] for _, _, texts, _ in rows_read if texts.get("id")}
    for number, line, texts, sources in rows_read:
        deck["questions"].append(_question(number, line, texts, sources, taken, path, problems))
    return deck, problems


def _header(
    names: list[str], path: str, line: int, problems: list[Problem]
) -> dict[int, tuple[str, int]] | None:
    """Column index -> (field, source number); None when the first row is no header at all."""
    normalised = [name.strip().lower() for name in names]
    keys = [_column_key(name) for name in normalised]
    if not any(keys):
        problems.append(Problem(path, line, f"the first row must be the header ({','.join(HEADER)})"))
        return None
    columns: dict[int, tuple[str, int]] = {}
    first_seen: dict[str, int] = {}
    for index, (name, key) in enumerate(zip(normalised, keys, strict=True)):
        if not name:
            continue  # spreadsheets often pad the header; stray values there are reported per row
        if key is None:
            problems.append(
                Problem(
                    path,
                    line,
                    f"unknown column '{name}' (the columns are: "
                    f"{', '.join(HEADER)}, source_title_2, source_url_2, ...)",
                )
            )
        elif name in first_seen:
            problems.append(
                Problem(
                    path,
                    line,
                    f"column '{name}' appears twice (columns {first_seen[name] + 1} and {index + 1})",
                )
            )
        else:
            first_seen[name] = index
            columns[index] = key
    for name in REQUIRED:
        if name not in first_seen:
            problems.append(Problem(path, line, f"missing column '{name}' (required: {', '.join(REQUIRED)})"))
    for name, index in first_seen.items():
        match = SOURCE_COLUMN.match(name)
        if match is None:
            continue
        other = _source_column("url" if match.group(1) == "title" else "title", int(match.group(2) or 1))
        if other not in first_seen:
            # Reported once here; its values would otherwise give the same problem on every row.
            del columns[index]
            if match.group(2):
                problems.append(Problem(path, line, f"missing column '{other}' (it pairs with '{name}')"))
    return columns


def _cells(
    cells: list[str],
    columns: dict[int, tuple[str, int]],
    names: list[str],
    number: int,
    path: str,
    line: int,
    problems: list[Problem],
) -> tuple[dict[str, str], dict[int, dict[str, str]]]:
    """One row's text fields and its sources by number, apostrophes and line breaks restored."""
    texts: dict[str, str] = {}
    sources: dict[int, dict[str, str]] = {}
    for index, raw in enumerate(cells):
        # Spreadsheets save line breaks inside cells as CRLF on Windows; the deck keeps one kind.
        cell = restore(raw).replace("\r\n", "\n")
        if index >= len(names):
            if cell.strip():
                problems.append(
                    Problem(
                        path,
                        line,
                        f"row {number}: has {len(cells)} cells but the header "
                        f"has {len(names)} columns (is a comma missing its quotes?)",
                    )
                )
                break
            continue
        key = columns.get(index)
        if key is None:
            # Unknown and repeated columns were reported once, on the header; a blank name was not.
            if not names[index].strip() and cell.strip():
                problems.append(
                    Problem(
                        path,
                        line,
                        f"row {number}, column {index + 1}: a value in a column with no name in the header",
                    )
                )
            continue
        field, source_number = key
        if source_number:
            sources.setdefault(source_number, {})[field] = cell.strip()
        else:
            texts[field] = cell
    return texts, sources


def _question(
    number: int,
    line: int,
    texts: dict[str, str],
    sources: dict[int, dict[str, str]],
    taken: set[str],
    path: str,
    problems: list[Problem],
) -> dict[str, Any]:
    """The question mapping of one row, with an id made from the claim when the cell is empty."""
    qid = texts.get("id", "").strip()
    if not qid:
        base = slugify(texts.get("claim", ""))[:MAX_ID].strip("-") or f"row-{number}"
        qid, suffix = base, 2
        while qid in taken:
            qid, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(qid)
    question: dict[str, Any] = {"id": qid}
    for field in ("title", "claim", "context", "image_credit", "answer", "explanation"):
        if texts.get(field, "").strip() or field in ("claim", "answer", "explanation"):
            question[field] = texts.get(field, "")
    flags = [flag.strip() for flag in texts.get("red_flags", "").split(";")]
    if any(flags):
        question["red_flags"] = [flag for flag in flags if flag]
    question["sources"] = []
    for source_number in sorted(sources):
        pair = sources[source_number]
        title, url = pair.get("title", ""), pair.get("url", "")
        if title and url:
            question["sources"].append({"title": title, "url": url})
        elif title or url:
            given, empty = ("title", "url") if title else ("url", "title")
            empty_column = _source_column(empty, source_number)
            problems.append(
                Problem(
                    path,
                    line,
                    f"row {number}, column {empty_column}: "
                    f"{_source_column(given, source_number)} is given but "
                    f"{empty_column} is empty",
                )
            )
    if texts.get("difficulty", "").strip():
        question["difficulty"] = texts["difficulty"]
    return question


def write(deck: Deck) -> str:
    """The deck as a CSV spreadsheet, formulas neutralised, with a byte-order mark for Excel."""
    pairs = max((len(q.sources) for q in deck.questions), default=1) or 1
    header = list(TEXT_COLUMNS)
    for number in range(1, pairs + 1):
        header += [_source_column("title", number), _source_column("url", number)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for q in deck.questions:
        row = [
            q.id,
            q.title,
            q.claim,
            q.context,
            q.image_credit,
            q.answer,
            q.explanation,
            "; ".join(q.red_flags),
            q.difficulty,
        ]
        for number in range(pairs):
            source = q.sources[number] if number < len(q.sources) else None
            row += [source.title, source.url] if source else ["", ""]
        writer.writerow([neutralise(cell) for cell in row])
    return BOM + out.getvalue()
