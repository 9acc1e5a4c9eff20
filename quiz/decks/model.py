"""Deck and Question: plain, immutable data shared by the web, the CLI and the benchmarks."""

from __future__ import annotations

from dataclasses import dataclass, field

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
class Question:
    """One entry of a deck: a claim the player judges plausible or dubious."""

    id: str
    claim: str
    answer: str
    explanation: str
    sources: tuple[Source, ...]
    red_flags: tuple[str, ...] = ()
    title: str = ""
    context: str = ""
    image_credit: str = ""
    difficulty: str = ""

    def is_correct(self, choice: str) -> bool:
        """Whether `choice` ('plausible' or 'dubious') matches the verdict."""
        return choice == self.answer


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
