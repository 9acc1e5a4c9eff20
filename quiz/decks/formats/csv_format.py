"""CSV spreadsheets: one row a question, under a header row naming the columns.

The header: `id,title,claim,context,image_credit,answer,explanation,red_flags,difficulty,
source_title,source_url`, then `source_title_2,source_url_2`, `source_title_3,source_url_3`...
for more sources. Columns may come in any order; `id, claim, answer, explanation, source_title,
source_url` are required. `red_flags` are names separated by `;`. A red flag with a quote and a
note takes a group of columns, `red_flag,red_flag_quote,red_flag_note`, then `red_flag_2,...`
for the next; so does each checks_out note, `checks_out_note,checks_out_quote`, then
`checks_out_note_2,...`; and `checked` is the date a verdict was checked (YYYY-MM-DD). An export
has these optional columns only when the deck uses them. An empty id is made from the claim.
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

from ..loading import QUESTION_FIELDS, Located, Problem, slugify, unique_id
from ..model import Deck, Question

REQUIRED = ("id", "claim", "answer", "explanation", "source_title", "source_url")
#: The question fields of one cell each (`checked` is left out of an export that has no dates).
TEXT_COLUMNS = tuple(name for name in QUESTION_FIELDS if name not in ("checks_out", "sources"))
BASE_COLUMNS = TEXT_COLUMNS[:-1]
HEADER = (*BASE_COLUMNS, "source_title", "source_url")
#: Fields that take a group of columns per item: group -> its parts ("" is the bare group name).
GROUPS = {"source": ("title", "url"), "red_flag": ("", "quote", "note"), "checks_out": ("note", "quote")}
#: The part every item of a group must have for the others to mean anything.
GROUP_KEY = {"source": None, "red_flag": "", "checks_out": "note"}
GROUP_COLUMN = re.compile(r"^(source|red_flag|checks_out)(?:_(title|url|quote|note))?(?:_(\d+))?$")
#: What a spreadsheet may take for the start of a formula (OWASP's list for CSV injection).
FORMULA_START = "=+-@\t\r"
#: A cell a spreadsheet would run, maybe behind apostrophes: ours, or ones the author typed.
NEEDS_APOSTROPHE = re.compile("^'*[" + re.escape(FORMULA_START) + "]")
#: The same inside a cell, after a semicolon or a tab: where a spreadsheet whose locale splits
#: on those starts a new cell ("x;=1+1" is two cells, one a formula, in a semicolon locale).
INNER_FORMULA = re.compile(r"([;\t] *)('*[=+\-@])")
INNER_SHIELDED = re.compile(r"([;\t] *)'('*[=+\-@])")
BOM = "\ufeff"
MAX_ID = 60


def neutralise(cell: str) -> str:
    """A cell as exported: one apostrophe in front of anything a spreadsheet would run, at its
    start or after a semicolon or tab within it."""
    cell = INNER_FORMULA.sub(r"\1'\2", cell)
    return "'" + cell if NEEDS_APOSTROPHE.match(cell) else cell


def restore(cell: str) -> str:
    """A cell as imported: the apostrophes `neutralise` adds, taken off again."""
    # Only strip when it shields a formula, so "'tis" and a lone "'" stay as typed.
    cell = cell[1:] if cell.startswith("'") and NEEDS_APOSTROPHE.match(cell[1:]) else cell
    return INNER_SHIELDED.sub(r"\1\2", cell)


Key = tuple[str, str, int]  # (group or "", part or text field, item number or 0)


def _column_key(name: str) -> Key | None:
    """("", field, 0) for a text column, (group, part, n) for item n of a group, None if unknown."""
    if name in TEXT_COLUMNS:
        return "", name, 0
    match = GROUP_COLUMN.match(name)
    if match is None:
        return None
    group, part, number = match.group(1), match.group(2) or "", int(match.group(3) or 1)
    # source_title_1 would be a second name for source_title: one spelling per column.
    if part not in GROUPS[group] or (match.group(3) is not None and number < 2):
        return None
    return group, part, number


def _column(group: str, part: str, number: int) -> str:
    """The name of a group's column: source_title, red_flag_quote_2, checks_out_note..."""
    name = f"{group}_{part}" if part else group
    return name if number == 1 else f"{name}_{number}"


def _all_columns() -> str:
    """Every column name, for the message about an unknown one."""
    names = list(HEADER) + ["source_title_2", "source_url_2", "...", "checked"]
    for group in ("red_flag", "checks_out"):
        names += [_column(group, part, 1) for part in GROUPS[group]] + [
            _column(group, GROUPS[group][0], 2),
            "...",
        ]
    return ", ".join(names)


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
    rows_read: list[tuple[int, int, dict[str, str], dict[tuple[str, int], dict[str, str]]]] = []
    for number, line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        texts, sources = _cells(cells, columns, names, number, path, line, problems)
        rows_read.append((number, line, texts, sources))
    taken = {texts["id"] for _, _, texts, _ in rows_read if texts.get("id")}
    for number, line, texts, sources in rows_read:
        deck["questions"].append(_question(number, line, texts, sources, taken, path, problems))
    return deck, problems


def _header(names: list[str], path: str, line: int, problems: list[Problem]) -> dict[int, Key] | None:
    """Column index -> its key; None when the first row is no header at all."""
    normalised = [name.strip().lower() for name in names]
    keys = [_column_key(name) for name in normalised]
    if not any(keys):
        problems.append(Problem(path, line, f"the first row must be the header ({','.join(HEADER)})"))
        return None
    columns: dict[int, Key] = {}
    first_seen: dict[str, int] = {}
    for index, (name, key) in enumerate(zip(normalised, keys, strict=True)):
        if not name:
            continue  # spreadsheets often pad the header; stray values there are reported per row
        if key is None:
            problems.append(
                Problem(path, line, f"unknown column '{name}' (the columns are: {_all_columns()})")
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
        group, part, number = columns[index]
        if group == "source":
            other = _column(group, "url" if part == "title" else "title", number)
        elif group and part != GROUP_KEY[group]:
            other = _column(group, GROUP_KEY[group], number)
        else:
            continue
        if other not in first_seen:
            # Reported once here; its values would otherwise give the same problem on every row.
            del columns[index]
            if number > 1 or group != "source":
                problems.append(Problem(path, line, f"missing column '{other}' (it pairs with '{name}')"))
    return columns


def _cells(
    cells: list[str],
    columns: dict[int, Key],
    names: list[str],
    number: int,
    path: str,
    line: int,
    problems: list[Problem],
) -> tuple[dict[str, str], dict[tuple[str, int], dict[str, str]]]:
    """One row's text fields and its group items by (group, number), apostrophes and line breaks
    restored."""
    texts: dict[str, str] = {}
    items: dict[tuple[str, int], dict[str, str]] = {}
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
        group, field, item = key
        if group:
            items.setdefault((group, item), {})[field] = cell.strip()
        else:
            texts[field] = cell
    return texts, items


def _question(
    number: int,
    line: int,
    texts: dict[str, str],
    items: dict[tuple[str, int], dict[str, str]],
    taken: set[str],
    path: str,
    problems: list[Problem],
) -> dict[str, Any]:
    """The question mapping of one row, with an id made from the claim when the cell is empty."""
    qid = texts.get("id", "").strip()
    if not qid:
        qid = unique_id(slugify(texts.get("claim", ""))[:MAX_ID].strip("-") or f"row-{number}", taken)
    question: dict[str, Any] = {"id": qid}
    for field in ("title", "claim", "context", "image_credit", "answer", "explanation"):
        if texts.get(field, "").strip() or field in ("claim", "answer", "explanation"):
            question[field] = texts.get(field, "")

    def group(name: str) -> list[dict[str, str]]:
        """The row's filled items of a group, in order; one missing a part it needs is a problem."""
        found = []
        for (kind, item), parts in sorted(items.items()):
            if kind != name or not any(parts.values()):
                continue
            needed = GROUPS[name] if GROUP_KEY[name] is None else (GROUP_KEY[name],)
            missing = [part for part in needed if not parts.get(part)]
            if missing:
                given = _column(name, next(part for part in GROUPS[name] if parts.get(part)), item)
                empty = _column(name, missing[0], item)
                problems.append(
                    Problem(
                        path, line, f"row {number}, column {empty}: {given} is given but {empty} is empty"
                    )
                )
                continue
            found.append({part: value for part, value in parts.items() if value})
        return found

    flags: list[Any] = [flag.strip() for flag in texts.get("red_flags", "").split(";") if flag.strip()]
    for item in group("red_flag"):
        name = item.pop("")
        flags.append({"flag": name, **item} if item else name)
    if flags:
        question["red_flags"] = flags
    checks = group("checks_out")
    if checks:
        question["checks_out"] = [{k: check[k] for k in ("quote", "note") if k in check} for check in checks]
    question["sources"] = group("source")
    for field in ("difficulty", "checked"):
        if texts.get(field, "").strip():
            question[field] = texts[field].strip() if field == "checked" else texts[field]
    return Located(question, line=line)


def _flag_cells(question: Question) -> tuple[str, list[tuple[str, str, str]]]:
    """A question's red flags as the `red_flags` cell when they are bare names (as teachers write
    them), else as column groups (so flags keep their order)."""
    if all(not (flag.quote or flag.note) for flag in question.red_flags):
        return "; ".join(question.flag_names), []
    return "", [(flag.flag, flag.quote, flag.note) for flag in question.red_flags]


def write(deck: Deck) -> str:
    """The deck as a CSV spreadsheet, formulas neutralised, with a byte-order mark for Excel."""
    questions = deck.questions
    flag_groups = {q.id: _flag_cells(q) for q in questions}
    counts = {
        "source": max((len(q.sources) for q in questions), default=1) or 1,
        "red_flag": max((len(flag_groups[q.id][1]) for q in questions), default=0),
        "checks_out": max((len(q.checks_out) for q in questions), default=0),
    }
    dated = any(q.checked for q in questions)
    header = list(BASE_COLUMNS) + (["checked"] if dated else [])
    for name in ("red_flag", "checks_out", "source"):
        for number in range(1, counts[name] + 1):
            header += [_column(name, part, number) for part in GROUPS[name]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for q in questions:
        flag_cell, flags = flag_groups[q.id]
        row = [q.id, q.title, q.claim, q.context, q.image_credit, q.answer, q.explanation]
        row += [flag_cell, q.difficulty]
        if dated:
            row.append(q.checked.isoformat() if q.checked else "")
        row += _padded(flags, counts["red_flag"], 3)
        row += _padded([(c.note, c.quote) for c in q.checks_out], counts["checks_out"], 2)
        row += _padded([(s.title, s.url) for s in q.sources], counts["source"], 2)
        writer.writerow([neutralise(cell) for cell in row])
    return BOM + out.getvalue()


def _padded(items: list[tuple[str, ...]], count: int, width: int) -> list[str]:
    """Items flattened into `count` groups of `width` cells, empty cells for the missing ones."""
    cells = [cell for item in items for cell in item]
    return cells + [""] * (count * width - len(cells))
