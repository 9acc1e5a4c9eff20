"""Moodle GIFT true/false questions: `::title:: claim {TRUE#if wrong#if right####general feedback}`.

Reading: `{T}`/`{TRUE}` make a plausible claim, `{F}`/`{FALSE}` a dubious one (any case). The
`::title::` is the entry's title and gives its id (without one, the claim does); ids repeated
in the file get -2, -3... The explanation is the general feedback (`####...`), else the "if
wrong" feedback, else the "if right" one. Sources: when the explanation ends with `Sources:` and
a list of links (as `write` makes it), those links are the sources and are cut from the
explanation; otherwise every http(s) address in any feedback is a source. A link written
`[title](url)` (or `<a href>` in [html] text) gives the source its title; a bare address is
titled by its domain. Also understood: `//` comment lines, `$CATEGORY:` lines (ignored),
escapes `\\: \\{ \\} \\= \\# \\~ \\\\ \\n`, format tags `[markdown] [html] [plain] [moodle]` (an
[html] text becomes plain text). Any other kind of question is reported, never dropped silently.

Writing: one question per paragraph, all on one line with GIFT escapes:

    // Entry title
    // quiz: {"title": "Entry title", "context": "...", "red_flags": [...], "sources": [...]}
    ::question-id:: The claim. {FALSE####The explanation. Sources: https://... https://...}

GIFT has no place for a title apart from the id, nor for the context, image credit, red flags,
checks, difficulty, checked date or source titles, so the `// quiz:` comment line carries them
as JSON on one line (empty fields left out). Moodle ignores it; `read` takes those fields from
it when it is there, so `read(write(deck))` gives back every field of every question. It must
stay directly above its question. The claim, verdict, explanation, id and source addresses
always come from the GIFT text itself, so edits made there win.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..loading import Located, Problem, slugify, unique_id
from ..model import Deck

VERDICTS = {"t": "plausible", "true": "plausible", "f": "dubious", "false": "dubious"}
ESCAPED = {":": ":", "{": "{", "}": "}", "=": "=", "#": "#", "~": "~", "\\": "\\", "n": "\n"}
ESCAPE = re.compile(r"\\(.)", re.DOTALL)
FORMAT_TAG = re.compile(r"^\s*\[(markdown|html|plain|moodle)\]", re.IGNORECASE)
META_PREFIX = "// quiz:"
META_FIELDS = (
    "title",
    "context",
    "image_credit",
    "red_flags",
    "checks_out",
    "sources",
    "difficulty",
    "checked",
)
#: The fields of the comment line that hold lists of small mappings, with the keys they may have.
META_LISTS = {
    "red_flags": ("flag", "quote", "note"),
    "checks_out": ("quote", "note"),
    "sources": ("title", "url"),
}
MAX_ID = 60
#: A `Sources:` list at the end of a feedback: what `write` puts there.
SOURCES_LABEL = re.compile(r"(?:^|\s)Sources?:\s+", re.IGNORECASE)
#: One item of such a list: a markdown link or a bare address, maybe followed by , or ;.
SOURCES_ITEM = re.compile(
    r"[\s,;]*(?:\[([^\]\n]+)\]\((https?://\S+?)\)|(https?://\S+?))(?=[,;]?(?:\s|$))", re.IGNORECASE
)
MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://\S+?)\)(?=[\s.,;:!?)]|$)", re.IGNORECASE)
BARE_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)


@dataclass
class _Block:
    """The lines of one question (comments left out) and its `// quiz:` line, if any."""

    lines: list[tuple[int, str]] = field(default_factory=list)
    meta: tuple[int, str] | None = None


def _blocks(text: str) -> list[_Block]:
    """Questions are separated by blank lines; comment and $CATEGORY lines belong to none."""
    blocks = [_Block()]
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if blocks[-1].lines or blocks[-1].meta:
                blocks.append(_Block())
        elif stripped.startswith(META_PREFIX) and stripped[len(META_PREFIX) :].lstrip().startswith("{"):
            # Only a JSON object counts, so a teacher's own "// quiz: week 3" stays a comment.
            blocks[-1].meta = (number, stripped[len(META_PREFIX) :])
        elif stripped.startswith("//") or stripped.upper().startswith("$CATEGORY:"):
            continue
        else:
            blocks[-1].lines.append((number, line))
    return [block for block in blocks if block.lines or block.meta]


def _mask(raw: str) -> str:
    """The text with every escaped pair hidden, same length, so structure can be found by index."""
    return ESCAPE.sub("\0\0", raw)


def unescape(raw: str) -> str:
    """GIFT text with its backslash escapes decoded; unknown escapes are kept as written."""
    return ESCAPE.sub(lambda m: ESCAPED.get(m.group(1), m.group(0)), raw)


def escape(text: str) -> str:
    """Text made safe for any place in a GIFT question, on one line."""
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


class _HTMLText(HTMLParser):
    """Plain text from an [html] GIFT text, keeping each link's address and words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: dict[str, str] = {}
        self._href: str | None = None
        self._label: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self._href = dict(attrs).get("href") or None
            self._label = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.parts.append("\n\n")
        elif tag == "a" and self._href:
            label = "".join(self._label).strip()
            # The address must stay in the text: it is where the source list comes from.
            if label and label != self._href:
                self.links[self._href] = label
                self.parts.append(f" ({self._href})")
            elif not label:
                self.parts.append(self._href)
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        data = re.sub(r"\s+", " ", data)
        self.parts.append(data)
        if self._href:
            self._label.append(data)


def _html_to_text(source: str) -> tuple[str, dict[str, str]]:
    """An [html] text as plain text, and the titles its links give their addresses."""
    parser = _HTMLText()
    parser.feed(source)
    parser.close()
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", "".join(parser.parts))
    return re.sub(r"\n{3,}", "\n\n", text).strip(), parser.links


def _text(raw: str, default_format: str = "moodle") -> tuple[str, str, dict[str, str]]:
    """(plain text, format, link titles) of a raw GIFT text, its format tag removed."""
    match = FORMAT_TAG.match(raw)
    text_format = match.group(1).lower() if match else default_format
    text = unescape(raw[match.end() :] if match else raw)
    if text_format == "html":
        text, links = _html_to_text(text)
        return text, text_format, links
    return text.strip(), text_format, {}


def _domain(url: str) -> str:
    return (urlsplit(url).hostname or url).lower()


def _split_sources(text: str) -> tuple[str, list[tuple[str, str]] | None]:
    """A feedback without its closing `Sources:` list, and that list's (title, url) links."""
    for label in reversed(list(SOURCES_LABEL.finditer(text))):
        links: list[tuple[str, str]] = []
        position = label.end()
        while position < len(text):
            item = SOURCES_ITEM.match(text, position)
            if item is None:
                break
            links.append((item.group(1) or "", item.group(2) or item.group(3)))
            position = item.end()
            # Separators after the last item are not part of any address.
            position += len(text[position:]) - len(text[position:].lstrip(" \t\n,;"))
        if links and position >= len(text):
            return text[: label.start()].rstrip(), links
    return text, None


def _links(text: str) -> list[tuple[str, str]]:
    """Every (title, url) in free text: markdown links with their title, bare addresses without."""
    found: list[tuple[int, str, str]] = []
    covered: list[tuple[int, int]] = []
    for match in MARKDOWN_LINK.finditer(text):
        found.append((match.start(), match.group(1).strip(), match.group(2)))
        covered.append(match.span())
    for match in BARE_URL.finditer(text):
        if any(start <= match.start() < end for start, end in covered):
            continue
        url = match.group(0).rstrip(".,;:!?'\"")
        # A closing bracket belongs to the address only when the address opened one.
        while url.endswith((")", "]")) and url.count(url[-1]) > url.count("(" if url[-1] == ")" else "["):
            url = url[:-1].rstrip(".,;:!?'\"")
        found.append((match.start(), "", url))
    return [(title, url) for _, title, url in sorted(found)]


@dataclass
class _Parsed:
    """The parts of one true/false question, before ids and comment-line fields are applied."""

    title: str | None
    claim: str
    answer: str
    explanation: str
    sources: list[tuple[str, str]]


def _question(block: _Block, path: str, problems: list[Problem]) -> _Parsed | None:
    """One block as a true/false question, or None with the reason among the problems."""
    line = block.lines[0][0]
    raw = "\n".join(text for _, text in block.lines)
    masked = _mask(raw)

    def problem(message: str) -> None:
        problems.append(Problem(path, line, message))

    def skipped(kind: str) -> None:
        problem(f"skipped: only true/false questions can be imported (this is {kind})")

    position = len(masked) - len(masked.lstrip())
    title: str | None = None
    if masked.startswith("::", position):
        end = masked.find("::", position + 2)
        if end < 0:
            problem("the title's '::' is never closed (write ::title:: before the question)")
            return None
        title = unescape(raw[position + 2 : end]).strip()
        position = end + 2
    opening = masked.find("{", position)
    closing = masked.find("}", position)
    if opening < 0 and closing < 0:
        skipped("a description: it has no answer in braces")
        return None
    if closing >= 0 and (opening < 0 or closing < opening):
        problem("a '}' with no '{' before it (write \\} for a brace in the text)")
        return None
    closing = masked.find("}", opening)
    if closing < 0:
        problem("the answer's '{' is never closed by '}'")
        return None
    answer_masked = masked[opening + 1 : closing]
    general_at = answer_masked.find("####")
    head_end = general_at if general_at >= 0 else len(answer_masked)
    head_masked = answer_masked[:head_end]
    cuts = [i for i, char in enumerate(head_masked) if char == "#"]
    word = unescape(raw[opening + 1 : opening + 1 + (cuts[0] if cuts else head_end)]).strip()
    if word.lower() not in VERDICTS:
        if not head_masked.strip():
            skipped("an essay question")
        elif head_masked.strip().startswith("#"):
            skipped("a numerical question")
        elif "~" in head_masked:
            skipped("a multiple-choice question")
        elif "=" in head_masked and "->" in head_masked:
            skipped("a matching question")
        elif "=" in head_masked:
            skipped("a short-answer question")
        else:
            problem(f"the answer must be TRUE, T, FALSE or F, not '{word}'")
        return None
    if len(cuts) > 2:
        problem(f"a true/false answer takes at most two feedbacks (#if wrong#if right), not {len(cuts)}")
        return None
    bounds = [*cuts, head_end]
    feedback_raw = [raw[opening + 1 + start + 1 : opening + 1 + stop] for start, stop in pairwise(bounds)]
    wrong_raw, right_raw = (feedback_raw + ["", ""])[:2]
    general_raw = raw[opening + 1 + general_at + 4 : closing] if general_at >= 0 else ""

    before, after = raw[position:opening], raw[closing + 1 :]
    if "{" in masked[closing + 1 :] or "}" in masked[closing + 1 :]:
        # Most often two questions with no blank line between them: never merge them silently.
        problem("more than one answer in braces (put a blank line between questions)")
        return None
    # Moodle shows text on both sides of the braces as one sentence with a gap where they were.
    claim_raw = f"{before}_____{after}" if after.strip() else before
    claim, claim_format, _ = _text(claim_raw)
    feedbacks = [_text(text, claim_format) for text in (general_raw, wrong_raw, right_raw)]
    link_titles: dict[str, str] = {}
    for _, _, links in feedbacks:
        link_titles.update(links)
    explanation = next((text for text, _, _ in feedbacks if text), "")
    explanation, listed = _split_sources(explanation)
    if listed is None:
        seen: set[str] = set()
        listed = []
        for text, _, _ in feedbacks:
            for link_title, url in _links(text):
                if url not in seen:
                    seen.add(url)
                    listed.append((link_title, url))
    sources = [(link_title or link_titles.get(url, ""), url) for link_title, url in listed]
    return _Parsed(title, claim, VERDICTS[word.lower()], explanation, sources)


def _meta(block: _Block, path: str, problems: list[Problem]) -> dict[str, Any] | None:
    """The fields of a `// quiz:` comment line, checked only as far as JSON goes."""
    if block.meta is None:
        return None
    line, text = block.meta

    def problem(message: str) -> None:
        problems.append(Problem(path, line, f"the '{META_PREFIX}' comment: {message}"))

    try:
        # Only lines starting with "{" are taken for this comment, so the JSON is an object.
        meta: dict[str, Any] = json.loads(text)
    except RecursionError:
        problem("nested too deeply")
        return None
    except ValueError as exc:
        problem(f"not valid JSON: {exc}")
        return None
    fields: dict[str, Any] = {}
    for key, value in meta.items():
        if key not in META_FIELDS:
            problem(f"unknown field '{key}' (allowed: {', '.join(META_FIELDS)})")
        elif key in META_LISTS and not _list_of_items(value, key):
            keys = ", ".join(f'"{name}": ...' for name in META_LISTS[key])
            names = "names or " if key == "red_flags" else ""
            problem(f"{key} must be a list of {names}{{{keys}}}")
        elif key not in META_LISTS and not isinstance(value, str):
            problem(f"{key} must be text")
        else:
            fields[key] = value
    return fields


def _list_of_items(value: Any, key: str) -> bool:
    """Whether a comment-line list holds only mappings of text (red flags: or bare names)."""
    if not isinstance(value, list):
        return False
    for item in value:
        if key == "red_flags" and isinstance(item, str):
            continue
        if not isinstance(item, dict) or not all(
            name in META_LISTS[key] and isinstance(text, str) for name, text in item.items()
        ):
            return False
        if key == "sources" and not isinstance(item.get("url"), str):
            return False
    return True


def read(text: str, path: str) -> tuple[dict[str, Any], list[Problem]]:
    """GIFT true/false questions as a deck mapping; every other question is a problem."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    stem = Path(path).stem
    problems: list[Problem] = []
    questions: list[dict[str, Any]] = []
    taken: set[str] = set()
    for block in _blocks(text):
        if not block.lines:
            line = block.meta[0] if block.meta else 1
            problems.append(
                Problem(
                    path,
                    line,
                    f"a '{META_PREFIX}' comment must be directly above "
                    "its question, with no blank line between",
                )
            )
            continue
        parsed = _question(block, path, problems)
        if parsed is None:
            continue
        meta = _meta(block, path, problems)
        base = slugify(parsed.title) if parsed.title else slugify(parsed.claim)[:MAX_ID].strip("-")
        qid = unique_id(base or f"question-{len(questions) + 1}", taken)
        question = _mapping(qid, parsed, meta)
        meta_line = block.meta[0] if block.meta and meta is not None else None
        lines = {key: meta_line for key in META_FIELDS if meta_line and key in question and key != "sources"}
        questions.append(Located(question, line=block.lines[0][0], lines=lines))
    deck = {"schema": 1, "id": slugify(stem) or "deck", "title": stem, "questions": questions}
    return deck, problems


def _mapping(qid: str, parsed: _Parsed, meta: dict[str, Any] | None) -> dict[str, Any]:
    """The question mapping, with the fields of its `// quiz:` line when it has one."""
    if meta is None:
        meta = {"title": parsed.title or ""}
    titles = [(s.get("url"), s.get("title")) for s in meta.get("sources", [])]
    by_url = {url: title for url, title in reversed(titles)}
    sources = []
    for index, (link_title, url) in enumerate(parsed.sources):
        # Match by position first, so two sources with one address keep their own titles.
        title = titles[index][1] if index < len(titles) and titles[index][0] == url else by_url.get(url)
        sources.append({"title": title if isinstance(title, str) else link_title or _domain(url), "url": url})
    question: dict[str, Any] = {
        "id": qid,
        "title": meta.get("title", ""),
        "claim": parsed.claim,
        "context": meta.get("context", ""),
        "image_credit": meta.get("image_credit", ""),
        "answer": parsed.answer,
        "explanation": parsed.explanation,
        "red_flags": meta.get("red_flags", []),
        "checks_out": meta.get("checks_out", []),
        "sources": sources,
        "difficulty": meta.get("difficulty", ""),
        "checked": meta.get("checked", ""),
    }
    required = ("id", "claim", "answer", "explanation", "sources")
    return {key: value for key, value in question.items() if value or key in required}


def _shielded(text: str) -> str:
    """Escaped text; one that starts like a format tag would lose it on import, so [plain] goes first."""
    return ("[plain]" if FORMAT_TAG.match(text) else "") + escape(text)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def write(deck: Deck) -> str:
    """The deck as GIFT true/false questions, with a `// quiz:` line per question for the rest."""
    out = [
        f"// Deck: {_one_line(deck.title)} ({deck.id}), exported from Plausible or Dubious?",
        f"// Each '{META_PREFIX}' line keeps what GIFT has no place for: keep it above its question.",
        "",
    ]
    for q in deck.questions:
        if q.title:
            title = _one_line(q.title)
            # A title comment must never be taken for the comment line that carries the fields.
            out.append(f"// Title: {title}" if title.lower().startswith("quiz:") else f"// {title}")
        written = q.as_written()
        meta: dict[str, Any] = {key: written[key] for key in META_FIELDS}
        meta["checked"] = q.checked.isoformat() if q.checked else ""
        out.append(f"{META_PREFIX} {json.dumps({k: v for k, v in meta.items() if v}, ensure_ascii=False)}")
        feedback = q.explanation
        if q.sources:
            feedback += " Sources: " + " ".join(s.url for s in q.sources)
        verdict = "TRUE" if q.answer == "plausible" else "FALSE"
        out.append(f"::{escape(q.id)}:: {_shielded(q.claim)} {{{verdict}####{_shielded(feedback)}}}")
        out.append("")
    return "\n".join(out)
