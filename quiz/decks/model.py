"""Deck and Question: plain, immutable data shared by the web, the CLI and the benchmarks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

ANSWERS = ("plausible", "dubious")
DIFFICULTIES = ("easy", "medium", "hard")

#: The fixed red-flag vocabulary, each with the one line a student reads in the game.
RED_FLAGS: dict[str, str] = {
    "ai-image": "The picture is credited to an image generator, so it shows nothing that happened. "
    "Read the credit line under every photo.",
    "contradiction": "The text says one thing and then another, or disagrees with its own picture credit.",
    "impossible-number": "A number that cannot be true, or does not add up with the others.",
    "unverifiable": "No one could check this: no name, no date, no source.",
    "sweeping-generalisation": "Says 'all', 'never' or 'no one' about millions of people.",
    "loaded-language": "Words chosen to make you feel (mock, fear, outrage) rather than inform.",
    "outdated": "Was true once, or was reported once, but is no longer the case.",
    "misattribution": "Credits the wrong person, place, time or cause.",
    "missing-context": "A true detail presented so that it gives a false impression.",
    "fabricated": "Invented: no reliable source reports anything like it.",
}

RED_FLAG_NAMES: dict[str, str] = {
    "ai-image": "AI image",
    "contradiction": "Contradiction",
    "impossible-number": "Impossible number",
    "unverifiable": "Unverifiable",
    "sweeping-generalisation": "Sweeping generalisation",
    "loaded-language": "Loaded language",
    "outdated": "Outdated",
    "misattribution": "Misattribution",
    "missing-context": "Missing context",
    "fabricated": "Fabricated",
}


@dataclass(frozen=True)
class Source:
    """A place where a student can check a claim."""

    title: str
    url: str

    @property
    def domain(self) -> str:
        """The host name a student sees, without a leading 'www.'."""
        host = self.url.split("://", 1)[-1].split("/", 1)[0].split("@")[-1].split(":")[0]
        return host.removeprefix("www.").lower()


@dataclass(frozen=True)
class RedFlag:
    """A red flag on one question: its name from the vocabulary, the words that show it, and what
    it means for this claim."""

    flag: str
    quote: str = ""
    note: str = ""

    @property
    def name(self) -> str:
        return RED_FLAG_NAMES[self.flag]

    @property
    def meaning(self) -> str:
        """The flag's general meaning, for when the deck gives no note of its own."""
        return RED_FLAGS[self.flag]

    def as_written(self) -> str | dict[str, str]:
        """The flag as a deck file writes it: its bare name, or a mapping with its quote and note."""
        if not (self.quote or self.note):
            return self.flag
        return {k: v for k, v in (("flag", self.flag), ("quote", self.quote), ("note", self.note)) if v}


@dataclass(frozen=True)
class Check:
    """Something a reader can verify about a claim, and where; maybe with the words it concerns."""

    note: str
    quote: str = ""

    def as_written(self) -> dict[str, str]:
        """The check as a deck file writes it."""
        return {k: v for k, v in (("quote", self.quote), ("note", self.note)) if v}


@dataclass(frozen=True)
class Question:
    """One entry of a deck: a claim the player judges plausible or dubious."""

    id: str
    claim: str
    answer: str
    explanation: str
    sources: tuple[Source, ...]
    red_flags: tuple[RedFlag, ...] = ()
    title: str = ""
    context: str = ""
    image_credit: str = ""
    difficulty: str = ""
    checks_out: tuple[Check, ...] = ()
    checked: date | None = None

    def is_correct(self, choice: str) -> bool:
        """Whether `choice` ('plausible' or 'dubious') matches the verdict."""
        return choice == self.answer

    def as_written(self) -> dict[str, Any]:
        """Every field as a deck file writes it, the empty ones too, in the file's order."""
        return {
            "id": self.id,
            "title": self.title,
            "claim": self.claim,
            "context": self.context,
            "image_credit": self.image_credit,
            "answer": self.answer,
            "explanation": self.explanation,
            "red_flags": [flag.as_written() for flag in self.red_flags],
            "checks_out": [check.as_written() for check in self.checks_out],
            "sources": [{"title": s.title, "url": s.url} for s in self.sources],
            "difficulty": self.difficulty,
            "checked": self.checked,
        }

    @property
    def flag_names(self) -> tuple[str, ...]:
        return tuple(flag.flag for flag in self.red_flags)

    @property
    def quotes(self) -> tuple[str, ...]:
        """Every quoted clue of the question: its red flags' and its checks'."""
        return tuple(item.quote for item in (*self.red_flags, *self.checks_out) if item.quote)

    @property
    def published_text(self) -> tuple[str, ...]:
        """The texts a quote may come from, as the player saw them."""
        return (self.claim, self.context, self.image_credit)


def quote_pattern(quote: str) -> re.Pattern[str]:
    """A quote as a pattern that ignores case, runs of whitespace and curly or straight quotes."""
    parts = []
    for char in quote.strip():
        if char.isspace():
            if parts and parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif char in "'‘’":
            parts.append("['‘’]")
        elif char in '"“”':
            parts.append('["“”]')
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE)


def quote_in(quote: str, texts: tuple[str, ...]) -> bool:
    """Whether the quote occurs in one of the texts."""
    pattern = quote_pattern(quote)
    return any(pattern.search(text) for text in texts)


def highlight(text: str, quotes: tuple[str, ...]) -> list[tuple[str, bool]]:
    """The text cut into (part, is_quoted) pieces, each quote's first occurrence marked."""
    spans: list[tuple[int, int]] = []
    for quote in quotes:
        match = quote_pattern(quote).search(text)
        if match and match.end() > match.start():
            spans.append(match.span())
    pieces: list[tuple[str, bool]] = []
    position = 0
    for start, end in sorted(spans):
        start = max(start, position)  # overlapping quotes merge into one mark
        if end <= start:
            continue
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append((text[start:end], True))
        position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


@dataclass(frozen=True)
class Deck:
    """A validated question file."""

    id: str
    title: str
    questions: tuple[Question, ...]
    description: str = ""
    language: str = "en"
    origin: dict[str, str] = field(default_factory=dict)
    path: str = ""

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return self._by_id.get(question_id)

    @property
    def _by_id(self) -> dict[str, Question]:
        cached = self.__dict__.get("_index")
        if cached is None:
            cached = {q.id: q for q in self.questions}
            object.__setattr__(self, "_index", cached)
        return cached

    def count(self, answer: str) -> int:
        """How many questions have this verdict."""
        return sum(1 for q in self.questions if q.answer == answer)
