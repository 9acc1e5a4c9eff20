"""Other formats teachers already have: plain-text articles, CSV spreadsheets, Moodle GIFT.

Each format module offers `read(text, path) -> (mapping, problems)`, giving a deck mapping in
the YAML file's shape (validated afterwards like any deck file), and, where it makes sense,
`write(deck) -> str`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import yaml

from ..loading import Problem
from ..model import Deck

#: Format name -> module in this package.
MODULES = {"article": "article", "csv": "csv_format", "gift": "gift"}
IMPORT_FORMATS = tuple(MODULES)
EXPORT_FORMATS = ("csv", "gift")


def reader(kind: str) -> Callable[[str, str], tuple[dict[str, Any], list[Problem]]]:
    """The `read(text, path)` function of a format."""
    return importlib.import_module(f".{MODULES[kind]}", __name__).read


def writer(kind: str) -> Callable[[Deck], str]:
    """The `write(deck)` function of a format that can be exported."""
    return importlib.import_module(f".{MODULES[kind]}", __name__).write


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
        item = {
            "id": q.id,
            "title": q.title,
            "claim": q.claim,
            "context": q.context,
            "image_credit": q.image_credit,
            "answer": q.answer,
            "explanation": q.explanation,
            "red_flags": list(q.red_flags),
            "sources": [{"title": s.title, "url": s.url} for s in q.sources],
            "difficulty": q.difficulty,
        }
        questions.append({k: v for k, v in item.items() if v or k in ("answer", "explanation", "sources")})
    mapping["questions"] = questions
    return mapping


class _DeckDumper(yaml.SafeDumper):
    """Readable deck files: block style for text with line breaks, keys in the order given."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_DeckDumper.add_representer(str, _represent_str)


def dump_deck(mapping: dict[str, Any]) -> str:
    """A deck mapping as YAML text, ready for questions/."""
    return yaml.dump(
        mapping, Dumper=_DeckDumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
