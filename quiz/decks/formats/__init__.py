"""Other formats teachers already have: plain-text articles, CSV spreadsheets, Moodle GIFT.

Each format module offers `read(text, path) -> (mapping, problems)`, giving a deck mapping in
the YAML file's shape whose questions are `Located` (so validation names the line of the file
they came from), and, where it makes sense, `write(deck) -> str`. `FORMATS` is the one table
of formats, their names and their file suffixes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..loading import Located, Problem, decode, parse_deck, validate_mapping
from ..model import Deck
from . import article, csv_format, gift

Reader = Callable[[str, str], tuple[dict[str, Any], list[Problem]]]
Writer = Callable[[Deck], str]


@dataclass(frozen=True)
class Format:
    """A kind of question file: what teachers call it, its file suffixes, how to read and write it."""

    label: str
    suffixes: tuple[str, ...]
    read: Reader | None = None  # None: the deck file itself, parsed as YAML
    write: Writer | None = None


FORMATS: dict[str, Format] = {
    "yaml": Format("Deck file (YAML)", (".yaml", ".yml")),
    "csv": Format("Spreadsheet (CSV)", (".csv",), csv_format.read, csv_format.write),
    # Moodle saves GIFT exports as .txt.
    "gift": Format("Moodle GIFT", (".gift", ".txt"), gift.read, gift.write),
    # Drafts only (answers and sources are left for the teacher): imported, never uploaded.
    "article": Format("Plain-text article (draft questions)", (), article.read),
}
IMPORT_FORMATS = tuple(name for name, kind in FORMATS.items() if kind.read is not None)
EXPORT_FORMATS = tuple(name for name, kind in FORMATS.items() if kind.write is not None)
UPLOAD_FORMATS = ("yaml", "csv", "gift")


def format_of(filename: str) -> str | None:
    """The format a file's suffix names, or None."""
    suffix = Path(filename).suffix.lower()
    return next((name for name, kind in FORMATS.items() if suffix in kind.suffixes), None)


@dataclass
class Conversion:
    """A question file read in its own format: the deck when it is valid, every problem otherwise."""

    deck: Deck | None
    mapping: dict[str, Any]
    problems: list[Problem]


def read_file(
    data: bytes, path: str, kind: str, *, deck_id: str, max_deck_bytes: int | None = None
) -> Conversion:
    """Read and validate a YAML, CSV or GIFT file, each problem at a line of that file. With
    `max_deck_bytes`, a CSV or GIFT file whose deck file would surely be larger is refused
    before the (costlier) validation."""
    text, problems = decode(data, path)
    if text is None:
        return Conversion(None, {}, problems)
    if FORMATS[kind].read is None:
        deck, problems = parse_deck(text, path, default_id=deck_id)
        return Conversion(deck, {}, problems)
    mapping, problems = FORMATS[kind].read(text, path)
    mapping["id"] = deck_id
    if problems or not mapping.get("questions"):
        return Conversion(None, mapping, problems)
    if max_deck_bytes is not None and (least := smallest_yaml_size(mapping)) > max_deck_bytes:
        return Conversion(None, mapping, [too_large(path, least, max_deck_bytes, at_least=True)])
    deck, problems = validate_mapping(mapping, path, default_id=deck_id)
    return Conversion(deck, mapping, problems)


def smallest_yaml_size(value: Any) -> int:
    """Bytes that the YAML of `value` takes at the least, once validated: every key and every
    text, stripped, is written out whole (quoting, escapes and line folding only add to it)."""
    total, seen, stack = 0, set(), [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):  # as validation keeps it: without surrounding spaces
            total += len(item.strip().encode("utf-8"))
        elif isinstance(item, dict | list | tuple) and id(item) not in seen:
            seen.add(id(item))
            stack.extend([*item.keys(), *item.values()] if isinstance(item, dict) else item)
    return total


def too_large(path: str, size: int, limit: int, *, at_least: bool = False) -> Problem:
    """The problem of a file whose deck file would be over the size limit."""
    takes = f"at least {size:,}" if at_least else f"{size:,}"
    message = f"as a deck file it takes {takes} bytes, over the limit of {limit:,}"
    return Problem(path, 1, message + ": split it into smaller files")


def deck_mapping(deck: Deck) -> dict[str, Any]:
    """A deck as the mapping its YAML file holds (empty optional fields left out)."""
    mapping: dict[str, Any] = {"schema": 1, "id": deck.id, "title": deck.title}
    if deck.language:
        mapping["language"] = deck.language
    if deck.description:
        mapping["description"] = deck.description
    if deck.origin:
        mapping["origin"] = dict(deck.origin)
    questions = []
    for q in deck.questions:
        item = q.as_written()
        questions.append({k: v for k, v in item.items() if v or k in ("answer", "explanation", "sources")})
    mapping["questions"] = questions
    return mapping


class _DeckDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Readable deck files: block style for text with line breaks, keys in the order given
    (written by libyaml where PyYAML has it: several times faster)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_DeckDumper.add_representer(str, _represent_str)
_DeckDumper.add_representer(Located, yaml.SafeDumper.represent_dict)


def dump_deck(mapping: dict[str, Any]) -> str:
    """A deck mapping as YAML text, ready for questions/."""
    return yaml.dump(
        mapping, Dumper=_DeckDumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "IMPORT_FORMATS",
    "UPLOAD_FORMATS",
    "Conversion",
    "Format",
    "deck_mapping",
    "dump_deck",
    "format_of",
    "read_file",
    "smallest_yaml_size",
    "too_large",
]
