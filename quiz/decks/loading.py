"""Load a deck file and validate it, reporting every problem as `path:line: message`."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .model import ANSWERS, DIFFICULTIES, RED_FLAGS, Check, Deck, Question, RedFlag, Source, quote_in

log = logging.getLogger(__name__)

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
    "checks_out",
    "sources",
    "difficulty",
    "checked",
)
LIMITS = {
    "claim": 600,
    "explanation": 2000,
    "context": 5000,
    "title": 200,
    "image_credit": 200,
    "quote": 200,
    "note": 400,
}
#: A deck is five levels deep (deck, questions, question, sources, source); deeper is an attack.
MAX_NESTING = 20
#: Picture credits that name an image generator: the bundled decks flag them `ai-image`.
IMAGE_GENERATORS = re.compile(
    r"midjourney|dall[-·\s]?e|stable\s*diffusion|firefly|imagen|leonardo\.ai|ai[- ]generated", re.IGNORECASE
)
#: The most the share of dubious claims among a bundled deck's hard and easy questions may differ.
DIFFICULTY_SKEW = 0.25


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a deck file, at a line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


#: libyaml's parser where PyYAML was built with it (several times faster), else the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_COLLECTIONS = {
    yaml.SequenceStartEvent: (yaml.SequenceNode, yaml.SequenceEndEvent),
    yaml.MappingStartEvent: (yaml.MappingNode, yaml.MappingEndEvent),
}


def slugify(text: str) -> str:
    """A stable lowercase slug for ids: 'Subway system!' -> 'subway-system'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is not taken yet; the result is taken too."""
    qid, suffix = base, 2
    while qid in taken:
        qid, suffix = f"{base}-{suffix}", suffix + 1
    taken.add(qid)
    return qid


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """A file's bytes as text (UTF-8, with or without a byte-order mark), or the line where it is not."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, "not UTF-8 text (save the file as UTF-8)")]


def load_deck_file(
    path: str | Path, *, shown_as: str | None = None, strict: bool = False
) -> tuple[Deck | None, list[Problem]]:
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
    text, problems = decode(raw, name)
    if text is None:
        return None, problems
    return parse_deck(text, name, default_id=slugify(path.stem), strict=strict)


def parse_deck(
    text: str, path: str, *, default_id: str = "deck", strict: bool = False
) -> tuple[Deck | None, list[Problem]]:
    """Parse deck YAML text; return the deck (or None) and every problem found."""
    return _guarded(path, lambda: _parse(text, path, default_id, strict))


def validate_mapping(
    mapping: dict[str, Any], path: str, *, default_id: str = "deck", line: int = 1
) -> tuple[Deck | None, list[Problem]]:
    """Validate a deck read from another format (CSV, GIFT); `Located` mappings in it give each
    problem the line of that file it came from."""
    return _guarded(path, lambda: _Validator(path).deck(to_node(mapping, line), default_id))


def _guarded(
    path: str, work: Callable[[], tuple[Deck | None, list[Problem]]]
) -> tuple[Deck | None, list[Problem]]:
    """Whatever a hostile file does to the parser becomes a problem of that file, never a crash."""
    try:
        return work()
    except (RecursionError, MemoryError) as exc:
        return None, [
            Problem(
                path, 1, f"cannot read the file: it is too deeply nested or too large ({type(exc).__name__})"
            )
        ]
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop the others
        log.exception("unexpected error while reading the deck file %s", path)
        return None, [Problem(path, 1, f"cannot read the file: {type(exc).__name__}: {exc}")]


def _parse(text: str, path: str, default_id: str, strict: bool) -> tuple[Deck | None, list[Problem]]:
    try:
        root = compose(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        return None, [Problem(path, line, f"not valid YAML: character #x{exc.character:04x} is not allowed")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "not valid YAML"
        return None, [Problem(path, mark.line + 1 if mark else 1, f"not valid YAML: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(path, 1, f"not valid YAML: {exc}")]
    return _Validator(path, strict=strict).deck(root, default_id)


def compose(text: str) -> yaml.Node | None:
    """The node tree of a one-document YAML text, built without recursion from the parser's
    events: aliases are refused (a deck never needs them, and they allow 'billion laughs'), and
    so is nesting deeper than MAX_NESTING, whatever the file."""
    loader = _Loader(text)
    try:
        loader.get_event()  # the stream's start
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()  # the document's start
        root: yaml.Node | None = None
        open_nodes: list[yaml.Node] = []
        keys: list[yaml.Node | None] = []  # per open mapping, a key waiting for its value
        while root is None or open_nodes:
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                raise yaml.composer.ComposerError(
                    None, None, "aliases (*name) are not allowed in deck files", event.start_mark
                )
            if isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                open_nodes.pop().end_mark = event.end_mark
                keys.pop()
                continue
            if isinstance(event, yaml.ScalarEvent):
                tag = event.tag
                if tag is None or tag == "!":
                    tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                node: yaml.Node = yaml.ScalarNode(
                    tag, event.value, event.start_mark, event.end_mark, style=event.style
                )
            else:
                kind, _ = _COLLECTIONS[type(event)]
                tag = event.tag
                if tag is None or tag == "!":
                    tag = loader.resolve(kind, None, event.implicit)
                node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
            if not open_nodes:
                root = node
            elif isinstance(open_nodes[-1], yaml.SequenceNode):
                open_nodes[-1].value.append(node)
            elif keys[-1] is None:
                keys[-1] = node
            else:
                open_nodes[-1].value.append((keys[-1], node))
                keys[-1] = None
            if isinstance(node, yaml.CollectionNode):
                if len(open_nodes) >= MAX_NESTING:
                    raise yaml.composer.ComposerError(
                        None, None, f"nested more than {MAX_NESTING} levels deep", event.start_mark
                    )
                open_nodes.append(node)
                keys.append(None)
        loader.get_event()  # the document's end
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                None,
                "but found another document",
                event.start_mark,
            )
        return root
    finally:
        loader.dispose()


class Located(dict):  # type: ignore[type-arg]
    """A mapping read from another format (a CSV row, a GIFT question), with the line of that
    file it came from, and the lines of fields that came from elsewhere (a `// quiz:` comment)."""

    def __init__(self, fields: dict[str, Any], *, line: int, lines: dict[str, int] | None = None) -> None:
        super().__init__(fields)
        self.line = line
        self.lines = lines or {}


_TAG = "tag:yaml.org,2002:"


def to_node(value: Any, line: int) -> yaml.Node:
    """Plain data as the YAML node tree a deck file would give, each node marked with its line."""
    if isinstance(value, Located):
        line = value.line
    mark = yaml.Mark("", 0, line - 1, 0, None, None)
    if isinstance(value, dict):
        lines = value.lines if isinstance(value, Located) else {}
        pairs = [
            (to_node(key, lines.get(key, line)), to_node(item, lines.get(key, line)))
            for key, item in value.items()
        ]
        return yaml.MappingNode(_TAG + "map", pairs, mark, mark)
    if isinstance(value, list | tuple):
        return yaml.SequenceNode(_TAG + "seq", [to_node(item, line) for item in value], mark, mark)
    if value is None:
        return yaml.ScalarNode(_TAG + "null", "", mark, mark)
    if isinstance(value, bool):
        return yaml.ScalarNode(_TAG + "bool", "true" if value else "false", mark, mark)
    if isinstance(value, int | float):
        return yaml.ScalarNode(_TAG + type(value).__name__, repr(value), mark, mark)
    if isinstance(value, date):
        return yaml.ScalarNode(_TAG + "timestamp", value.isoformat(), mark, mark)
    return yaml.ScalarNode(_TAG + "str", str(value), mark, mark, style='"')


class _Validator:
    """Walks the YAML node tree, so every problem can name the line of its node.

    `strict` adds the rules of the bundled decks: two sources from different outlets, a checked
    date, a note on every red flag, a quoted clue on every dubious claim and a check on every
    plausible one, one rule for `ai-image`, and difficulty that does not give the answer away.
    """

    def __init__(self, path: str, *, strict: bool = False) -> None:
        self.path = path
        self.strict = strict
        self.constructor = yaml.constructor.SafeConstructor()
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
        if node.tag == _STR:  # most values: nothing to construct
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
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
        value = self.value(node) if isinstance(node, yaml.ScalarNode) else _INVALID
        if node is None or value is None:
            if required and parent is not None:
                self.problem(node or parent, f"{what}: {key} is missing")
            return ""
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what}: {key} must be text")
            return ""
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
        if self.strict:
            self.balance(node, result)
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
        published = (claim, self.text(fields, "context", what), self.text(fields, "image_credit", what))
        question = Question(
            id=qid,
            claim=claim,
            answer=answer,
            explanation=explanation,
            sources=tuple(self.sources(fields, what, node)),
            red_flags=tuple(self.red_flags(fields, what, published)),
            title=self.text(fields, "title", what),
            context=published[1],
            image_credit=published[2],
            difficulty=difficulty,
            checks_out=tuple(self.checks(fields, what, published)),
            checked=self.checked(fields, what),
        )
        if self.strict:
            self.bundled(question, fields, what, node)
        return question

    def answer(self, fields: dict[str, yaml.Node], what: str, parent: yaml.Node) -> str:
        node = fields.get("answer")
        raw = self.text(fields, "answer", what)
        if not raw:
            self.problem(node or parent, f"{what}: answer is missing (plausible or dubious)")
        elif not isinstance(node, yaml.ScalarNode) or raw.lower() not in ANSWERS:
            self.problem(node, f"{what}: answer must be plausible or dubious, not '{raw}'")
        return raw.lower()

    def quote(self, fields: dict[str, yaml.Node], what: str, published: tuple[str, ...]) -> str:
        """A clue's quote, which must be words of the claim, its context or its picture credit."""
        quote = self.text(fields, "quote", what)
        if quote and not quote_in(quote, published):
            self.problem(fields["quote"], f"{what}: quote '{quote}' is not in the question's text")
        return quote

    def items(self, fields: dict[str, yaml.Node], key: str, what: str, shape: str) -> list[yaml.Node]:
        """The items of an optional list field; anything but a list is a problem."""
        node = fields.get(key)
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what}: {key} must be a list{shape}")
            return []
        return node.value

    def red_flags(self, fields: dict[str, yaml.Node], what: str, published: tuple[str, ...]) -> list[RedFlag]:
        flags: list[RedFlag] = []
        for item in self.items(fields, "red_flags", what, ", e.g. [ai-image, fabricated]"):
            if isinstance(item, yaml.MappingNode):
                detail = self.mapping(item, f"{what}: red flag", ("flag", "quote", "note")) or {}
                name_node = detail.get("flag", item)
                name = self.text(detail, "flag", f"{what}: red flag", required=True, parent=item)
                flag = RedFlag(name, self.quote(detail, what, published), self.text(detail, "note", what))
                if not name:
                    continue
            else:
                name_node = item
                name = self.value(item) if isinstance(item, yaml.ScalarNode) else None
                flag = RedFlag(name) if isinstance(name, str) else RedFlag("")
            if flag.flag not in RED_FLAGS:
                self.problem(
                    name_node,
                    f"{what}: unknown red flag '{getattr(name_node, 'value', name_node)}' "
                    f"(one of: {', '.join(RED_FLAGS)})",
                )
            elif flag.flag in (f.flag for f in flags):
                self.problem(name_node, f"{what}: red flag '{flag.flag}' is listed twice")
            else:
                flags.append(flag)
        return flags

    def checks(self, fields: dict[str, yaml.Node], what: str, published: tuple[str, ...]) -> list[Check]:
        checks = []
        for item in self.items(fields, "checks_out", what, " of notes (note, and an optional quote)"):
            detail = self.mapping(item, f"{what}: checks_out", ("note", "quote"))
            if detail is None:
                continue
            note = self.text(detail, "note", f"{what}: checks_out", required=True, parent=item)
            checks.append(Check(note, self.quote(detail, what, published)))
        return checks

    def checked(self, fields: dict[str, yaml.Node], what: str) -> date | None:
        node = fields.get("checked")
        if node is None:
            return None
        if isinstance(node, yaml.ScalarNode):
            # Read from the text as written: YAML's own dates, and CSV's and GIFT's text, alike.
            try:
                return date.fromisoformat(node.value.strip())
            except ValueError:
                pass
        shown = getattr(node, "value", "")
        self.problem(node, f"{what}: checked must be a date written YYYY-MM-DD, not '{shown}'")
        return None

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

    def bundled(self, question: Question, fields: dict[str, yaml.Node], what: str, node: yaml.Node) -> None:
        """The rules a bundled deck keeps on every question (see questions/README.md)."""
        if len({source.domain for source in question.sources}) < 2:
            self.problem(
                fields.get("sources", node), f"{what}: needs sources from at least two different outlets"
            )
        if question.checked is None:
            self.problem(node, f"{what}: checked is missing (the date its verdict was checked, YYYY-MM-DD)")
        if not question.difficulty:
            self.problem(node, f"{what}: difficulty is missing (easy, medium or hard)")
        flags_node = fields.get("red_flags", node)
        for flag in question.red_flags:
            if not flag.note:
                self.problem(
                    flags_node, f"{what}: red flag '{flag.flag}' needs a note saying what it means here"
                )
        if question.answer == "dubious" and not any(flag.quote for flag in question.red_flags):
            self.problem(flags_node, f"{what}: a dubious claim needs a red flag with a quote")
        if question.answer == "plausible":
            if not question.checks_out:
                self.problem(node, f"{what}: a plausible claim needs a checks_out note")
            if "sweeping-generalisation" in question.flag_names:
                self.problem(flags_node, f"{what}: a plausible claim cannot be a sweeping generalisation")
        generated = bool(IMAGE_GENERATORS.search(question.image_credit))
        if generated != ("ai-image" in question.flag_names):
            rule = "needs the ai-image red flag" if generated else "has no AI picture credit: drop ai-image"
            self.problem(flags_node, f"{what}: {rule}")

    def balance(self, node: yaml.Node, questions: list[Question]) -> None:
        """Deck-wide rules of a bundled deck: 40-60% plausible, and difficulty that tells nothing."""
        if not questions:
            return
        plausible = sum(q.answer == "plausible" for q in questions) / len(questions)
        if not 0.4 <= plausible <= 0.6:
            self.problem(
                node, f"deck: {plausible:.0%} of the questions are plausible; keep it between 40% and 60%"
            )
        shares = {}
        for level in ("easy", "hard"):
            graded = [q for q in questions if q.difficulty == level]
            if graded:
                shares[level] = sum(q.answer == "dubious" for q in graded) / len(graded)
        if len(shares) == 2 and abs(shares["easy"] - shares["hard"]) > DIFFICULTY_SKEW:
            self.problem(
                node,
                f"deck: difficulty gives the answer away: {shares['hard']:.0%} of the hard questions are "
                f"dubious but {shares['easy']:.0%} of the easy ones (keep them within {DIFFICULTY_SKEW:.0%})",
            )


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
_STR = _TAG + "str"
_PLAIN_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")}
