"""Load a deck file and validate it, reporting every problem as `path:line: message`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .model import ANSWERS, DIFFICULTIES, RED_FLAGS, Deck, Question, Source

SCHEMA = 1
MAX_FILE_BYTES = 1_000_000
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DECK_FIELDS = ("schema", "id", "title", "language", "description", "origin", "questions")
QUESTION_FIELDS = (
    "id",
    "title",
    "claim",
    "context",
    "image_credit",
    "answer",
    "explanation",
    "red_flags",
    "sources",
    "difficulty",
)
LIMITS = {"claim": 600, "explanation": 2000, "context": 5000, "title": 200, "image_credit": 200}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a deck file, at a line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class _DeckLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases: a deck never needs them and they allow 'billion laughs'."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in deck files", mark
            )
        return super().compose_node(parent, index)


def slugify(text: str) -> str:
    """A stable lowercase slug for ids: 'Subway system!' -> 'subway-system'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def load_deck_file(path: str | Path, *, shown_as: str | None = None) -> tuple[Deck | None, list[Problem]]:
    """Read and validate one deck file; the deck is None whenever there is a problem."""
    path = Path(path)
    name = shown_as or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(name, 1, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, 1, f"cannot read the file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(name, line, "not UTF-8 text (save the file as UTF-8)")]
    return parse_deck(text, name, default_id=slugify(path.stem))


def parse_deck(text: str, path: str, *, default_id: str = "deck") -> tuple[Deck | None, list[Problem]]:
    """Parse deck YAML text; return the deck (or None) and every problem found."""
    try:
        loader = _DeckLoader(text)  # PyYAML checks every character here
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        return None, [Problem(path, line, f"not valid YAML: character #x{exc.character:04x} is not allowed")]
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "not valid YAML"
        return None, [Problem(path, mark.line + 1 if mark else 1, f"not valid YAML: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(path, 1, f"not valid YAML: {exc}")]
    finally:
        loader.dispose()
    return _Validator(path, loader).deck(root, default_id)


class _Validator:
    """Walks the YAML node tree, so every problem can name the line of its node."""

    def __init__(self, path: str, loader: yaml.SafeLoader) -> None:
        self.path = path
        self.loader = loader
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, node.start_mark.line + 1, message))

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> dict[str, yaml.Node] | None:
        """The keys of a mapping node; unknown and repeated keys are problems."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of fields (key: value)")
            return None
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in allowed:
                self.problem(key_node, f"{what}: unknown field '{key}' (allowed: {', '.join(allowed)})")
            elif key in fields:
                self.problem(key_node, f"{what}: field '{key}' appears twice")
            else:
                fields[key] = value_node
        return fields

    def check_tags(self, root: yaml.Node) -> None:
        """Refuse explicit tags such as !!python/object anywhere in the tree, before building anything."""
        stack = [root]
        while stack:
            node = stack.pop()
            if node.tag not in _PLAIN_TAGS:
                self.problem(
                    node, f"tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed in deck files"
                )
            if isinstance(node, yaml.MappingNode):
                stack.extend(n for pair in node.value for n in pair)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)

    def value(self, node: yaml.Node) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError, OverflowError) as exc:
            if node.tag in _PLAIN_TAGS:  # other tags were reported by check_tags
                self.problem(node, f"cannot read the value '{getattr(node, 'value', '')}': {exc}")
            return _INVALID

    def text(
        self,
        fields: dict[str, yaml.Node],
        key: str,
        what: str,
        *,
        required: bool = False,
        parent: yaml.Node | None = None,
    ) -> str:
        """A text field: missing, null and blank count as empty; lists and mappings are problems."""
        node = fields.get(key)
        if node is None or (isinstance(node, yaml.ScalarNode) and self.value(node) is None):
            if required and parent is not None:
                self.problem(node or parent, f"{what}: {key} is missing")
            return ""
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what}: {key} must be text")
            return ""
        value = self.value(node)
        if value is _INVALID:
            return ""
        text = (value if isinstance(value, str) else node.value).strip()
        if required and not text:
            self.problem(node, f"{what}: {key} is empty")
        limit = LIMITS.get(key)
        if limit and len(text) > limit:
            self.problem(node, f"{what}: {key} is {len(text)} characters; the limit is {limit}")
        return text

    def deck(self, root: yaml.Node | None, default_id: str) -> tuple[Deck | None, list[Problem]]:
        if root is None:
            self.problems.append(Problem(self.path, 1, "the file is empty"))
            return None, self.problems
        self.check_tags(root)
        if self.problems:  # a file with foreign tags is not read any further
            return None, sorted(self.problems)
        fields = self.mapping(root, "deck", DECK_FIELDS)
        if fields is None:
            return None, self.problems
        if "schema" in fields:
            schema = self.value(fields["schema"])
            if schema != SCHEMA:
                self.problem(fields["schema"], f"deck: schema must be {SCHEMA}, not {schema!r}")
        deck_id = self.text(fields, "id", "deck") or default_id
        if not SLUG.match(deck_id):
            self.problem(fields.get("id", root), f"deck: id '{deck_id}' must be a slug (a-z, 0-9, hyphens)")
        title = self.text(fields, "title", "deck", required=True, parent=root)
        origin: dict[str, str] = {}
        if "origin" in fields:
            origin_fields = self.mapping(fields["origin"], "deck origin", ("title", "note", "url"))
            for key in origin_fields or {}:
                origin[key] = self.text(origin_fields, key, "deck origin")
        questions = self.questions(fields.get("questions"), root)
        deck = Deck(
            id=deck_id,
            title=title,
            questions=tuple(questions),
            description=self.text(fields, "description", "deck"),
            language=self.text(fields, "language", "deck") or "en",
            origin=origin,
            path=self.path,
        )
        return (None if self.problems else deck), sorted(self.problems)

    def questions(self, node: yaml.Node | None, root: yaml.Node) -> list[Question]:
        if node is None:
            self.problem(root, "deck: questions is missing (a list of questions)")
            return []
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problem(node, "deck: questions must be a non-empty list")
            return []
        seen: dict[str, int] = {}
        result = []
        for index, item in enumerate(node.value, start=1):
            question = self.question(item, index, seen)
            if question is not None:
                result.append(question)
        return result

    def question(self, node: yaml.Node, index: int, seen: dict[str, int]) -> Question | None:
        what = _question_label(node, index)
        fields = self.mapping(node, what, QUESTION_FIELDS)
        if fields is None:
            return None
        qid = self.text(fields, "id", what, required=True, parent=node)
        if qid and not SLUG.match(qid):
            self.problem(fields["id"], f"{what}: id must be a slug (a-z, 0-9, hyphens)")
        elif qid in seen:
            self.problem(fields["id"], f"{what}: duplicate id (first used on line {seen[qid]})")
        elif qid:
            seen[qid] = fields["id"].start_mark.line + 1
        claim = self.text(fields, "claim", what, required=True, parent=node)
        answer = self.answer(fields, what, node)
        explanation = self.text(fields, "explanation", what, required=True, parent=node)
        difficulty = self.text(fields, "difficulty", what)
        if difficulty and difficulty not in DIFFICULTIES:
            self.problem(
                fields["difficulty"], f"{what}: difficulty must be easy, medium or hard, not '{difficulty}'"
            )
        return Question(
            id=qid,
            claim=claim,
            answer=answer,
            explanation=explanation,
            sources=tuple(self.sources(fields, what, node)),
            red_flags=tuple(self.red_flags(fields, what)),
            title=self.text(fields, "title", what),
            context=self.text(fields, "context", what),
            image_credit=self.text(fields, "image_credit", what),
            difficulty=difficulty,
        )

    def answer(self, fields: dict[str, yaml.Node], what: str, parent: yaml.Node) -> str:
        node = fields.get("answer")
        raw = self.text(fields, "answer", what)
        if not raw:
            self.problem(node or parent, f"{what}: answer is missing (plausible or dubious)")
        elif not isinstance(node, yaml.ScalarNode) or raw.lower() not in ANSWERS:
            self.problem(node, f"{what}: answer must be plausible or dubious, not '{raw}'")
        return raw.lower()

    def red_flags(self, fields: dict[str, yaml.Node], what: str) -> list[str]:
        node = fields.get("red_flags")
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what}: red_flags must be a list, e.g. [ai-image, fabricated]")
            return []
        flags = []
        for item in node.value:
            flag = self.value(item) if isinstance(item, yaml.ScalarNode) else None
            if not isinstance(flag, str) or flag not in RED_FLAGS:
                self.problem(
                    item,
                    f"{what}: unknown red flag '{getattr(item, 'value', item)}' "
                    f"(one of: {', '.join(RED_FLAGS)})",
                )
            elif flag in flags:
                self.problem(item, f"{what}: red flag '{flag}' is listed twice")
            else:
                flags.append(flag)
        return flags

    def sources(self, fields: dict[str, yaml.Node], what: str, parent: yaml.Node) -> list[Source]:
        node = fields.get("sources")
        if node is None or (isinstance(node, yaml.ScalarNode) and not node.value.strip()):
            self.problem(node or parent, f"{what}: sources is missing (at least one, with title and url)")
            return []
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problem(node, f"{what}: sources must be a list of at least one source (title and url)")
            return []
        result = []
        for number, item in enumerate(node.value, start=1):
            label = f"{what}: source {number}"
            source = self.mapping(item, label, ("title", "url"))
            if source is None:
                continue
            title = self.text(source, "title", label, required=True, parent=item)
            url = self.text(source, "url", label, required=True, parent=item)
            if url and not _is_web_url(url):
                self.problem(
                    source["url"],
                    f"{label}: url must be a web address starting with http:// or https://, not '{url[:60]}'",
                )
            result.append(Source(title=title, url=url))
        return result


def _question_label(node: yaml.Node, index: int) -> str:
    """How messages name a question: by its id when it has a plain one, else by its position."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "id" and isinstance(value, yaml.ScalarNode) and value.value.strip():
                return f"question '{value.value.strip()}'"
    return f"question {index}"


def _is_web_url(url: str) -> bool:
    """http(s) with a host and no spaces or control characters."""
    match = re.match(r"^https?://([^/?#\s]+)[^\s]*$", url, flags=re.IGNORECASE)
    return bool(match) and not any(ord(ch) < 32 for ch in url)


_INVALID = object()
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}
