"""Moodle GIFT: true/false questions into a deck mapping, other kinds reported, export and round trips."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from quiz.decks import Deck, load_deck_file, parse_deck
from quiz.decks.formats import deck_mapping, dump_deck, gift

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
PROJECT = Path(__file__).resolve().parent.parent
SKIPPED = "skipped: only true/false questions can be imported (this is {})"


def read_fixture(name: str) -> tuple[dict[str, Any], list[str]]:
    """A fixture read as GIFT, with its problems as the `path:line: message` lines a teacher sees."""
    mapping, problems = gift.read((FIXTURES / name).read_bytes().decode("utf-8"), name)
    return mapping, [str(problem) for problem in problems]


def one_question(text: str) -> dict[str, Any]:
    """The only question of a GIFT text that must read without problems."""
    mapping, problems = gift.read(text, "quiz.gift")
    assert problems == []
    assert len(mapping["questions"]) == 1
    return mapping["questions"][0]


def validated(mapping: dict[str, Any]) -> Deck:
    """The mapping through the normal deck validator, which must accept it."""
    deck, problems = parse_deck(dump_deck(mapping), "imported.yaml")
    assert problems == []
    assert deck is not None
    return deck


def every_field_deck() -> Deck:
    deck, problems = load_deck_file(FIXTURES / "every_field.yaml")
    assert problems == []
    assert deck is not None
    return deck


def without_field_lines(text: str) -> str:
    """An exported file as Moodle would give it back: no `// quiz:` comment lines."""
    return "\n".join(line for line in text.split("\n") if not line.startswith("// quiz:"))


def test_read_gives_deck_id_and_title_from_the_file_name():
    mapping, _ = gift.read("::A:: Claim. {T}", "uploads/Week 3 Quiz.gift")
    assert (mapping["id"], mapping["title"]) == ("week-3-quiz", "Week 3 Quiz")


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [
        ("T", "plausible"),
        ("TRUE", "plausible"),
        ("true", "plausible"),
        ("t", "plausible"),
        ("F", "dubious"),
        ("FALSE", "dubious"),
        ("False", "dubious"),
        ("f", "dubious"),
    ],
)
def test_read_true_and_false_answers_become_verdicts(answer, verdict):
    assert one_question(f"::Q:: A claim. {{{answer}}}")["answer"] == verdict


def test_read_title_becomes_title_and_id():
    question = one_question("::Great wall of China:: The wall is visible from the Moon. {F}")
    assert (question["title"], question["id"]) == ("Great wall of China", "great-wall-of-china")


def test_read_without_title_id_comes_from_the_claim_cut_to_60_characters():
    question = one_question("An untitled claim that goes on and on, well past sixty characters. {T}")
    assert question["id"] == "an-untitled-claim-that-goes-on-and-on-well-past-sixty-charac"
    assert "title" not in question


def test_read_repeated_titles_get_numbered_ids():
    mapping, _ = gift.read("::Same:: One. {T}\n\n::Same:: Two. {F}\n\n::Same:: Three. {T}\n", "ids.gift")
    assert [q["id"] for q in mapping["questions"]] == ["same", "same-2", "same-3"]


def test_read_general_feedback_is_the_explanation():
    question = one_question("::Q:: Claim. {TRUE#wrong#right####general}")
    assert question["explanation"] == "general"


def test_read_without_general_feedback_the_if_wrong_feedback_explains():
    assert one_question("::Q:: Claim. {TRUE#wrong#right}")["explanation"] == "wrong"


def test_read_with_only_if_right_feedback_it_explains():
    assert one_question("::Q:: Claim. {FALSE##right}")["explanation"] == "right"


def test_read_hand_written_file_with_comments_category_and_escapes():
    mapping, problems = read_fixture("truefalse.gift")
    assert problems == []
    assert mapping["questions"] == [
        {
            "id": "great-wall",
            "title": "Great wall",
            "claim": "The Great Wall of China is visible from the Moon with the naked eye.",
            "answer": "dubious",
            "explanation": "Nobody can see it from the Moon. "
            "See [the Wikipedia article](https://en.wikipedia.org/wiki/Great_Wall_of_China).",
            "sources": [
                {
                    "title": "the Wikipedia article",
                    "url": "https://en.wikipedia.org/wiki/Great_Wall_of_China",
                },
            ],
        },
        {
            "id": "octopuses-have-three-hearts",
            "claim": "Octopuses have three hearts.",
            "answer": "plausible",
            "explanation": "No: they really do, see https://en.wikipedia.org/wiki/Octopus.",
            "sources": [{"title": "en.wikipedia.org", "url": "https://en.wikipedia.org/wiki/Octopus"}],
        },
        {
            "id": "escapes",
            "title": "Escapes",
            "claim": "Braces {like these}, 100\\% = 1\\, a #tag, a ~tilde and a back\\slash\non two lines.",
            "answer": "plausible",
            "explanation": "Well done, https://example.org/escapes",
            "sources": [{"title": "example.org", "url": "https://example.org/escapes"}],
        },
    ]


def test_read_escapes_decode_to_their_characters():
    question = one_question(r"::Q:: a\:b \{c\} \= \# \~ \\ d\ne {T}")
    assert question["claim"] == "a:b {c} = # ~ \\ d\ne"


def test_read_every_url_in_any_feedback_is_a_source_titled_by_its_domain():
    question = one_question(
        "::Q:: Claim. {T#See https://www.example.org/a.#Or http://example.net/b####And https://example.org/c}"
    )
    assert question["sources"] == [
        {"title": "example.org", "url": "https://example.org/c"},
        {"title": "www.example.org", "url": "https://www.example.org/a"},
        {"title": "example.net", "url": "http://example.net/b"},
    ]


def test_read_markdown_link_gives_the_source_its_title():
    question = one_question(
        "::Q:: Claim. {T####[markdown]See [Moon (Wikipedia)](https://en.wikipedia.org/wiki/Moon).}"
    )
    assert question["sources"] == [{"title": "Moon (Wikipedia)", "url": "https://en.wikipedia.org/wiki/Moon"}]


def test_read_url_with_brackets_keeps_them_but_not_the_closing_punctuation():
    question = one_question("::Q:: Claim. {T####(see https://en.wikipedia.org/wiki/Mercury_(planet)).}")
    assert question["sources"][0]["url"] == "https://en.wikipedia.org/wiki/Mercury_(planet)"


def test_read_sources_list_at_the_end_is_cut_from_the_explanation():
    question = one_question(
        r"::Q:: Claim. {F####It is not so. Sources\: https\://a.example/x https\://b.example/y}"
    )
    assert question["explanation"] == "It is not so."
    assert [s["url"] for s in question["sources"]] == ["https://a.example/x", "https://b.example/y"]


def test_read_html_text_becomes_plain_text_with_link_titles():
    mapping, problems = read_fixture("html.gift")
    question = mapping["questions"][0]
    assert problems == []
    assert question["claim"] == "The Eiffel Tower was built for the 1889 World's Fair & opened that year."
    assert question["explanation"] == (
        "It was the entrance arch of the Exposition Universelle "
        "(https://en.wikipedia.org/wiki/Exposition_Universelle_(1889)).\n"
        "See also https://en.wikipedia.org/wiki/Eiffel_Tower."
    )
    assert question["sources"] == [
        {
            "title": "Exposition Universelle",
            "url": "https://en.wikipedia.org/wiki/Exposition_Universelle_(1889)",
        },
        {"title": "en.wikipedia.org", "url": "https://en.wikipedia.org/wiki/Eiffel_Tower"},
    ]


@pytest.mark.parametrize("tag", ["[markdown]", "[plain]", "[moodle]", "[HTML]"])
def test_read_format_tag_is_removed_from_the_claim(tag):
    assert one_question(f"::Q:: {tag}A plain claim. {{T}}")["claim"] == "A plain claim."


def test_read_text_on_both_sides_of_the_braces_is_joined_as_moodle_shows_it():
    assert one_question("::Q:: The Moon is {T} made of rock.")["claim"] == "The Moon is _____ made of rock."


def test_read_other_question_kinds_are_reported_while_true_false_ones_are_kept():
    mapping, problems = read_fixture("mixed.gift")
    assert problems == ["mixed.gift:1: " + SKIPPED.format("a multiple-choice question")]
    assert [q["id"] for q in mapping["questions"]] == ["kept"]


def test_read_field_line_fills_what_gift_cannot_hold():
    text = (
        '// quiz: {"title": "Shown title", "context": "As published.", "image_credit": "AI", '
        '"red_flags": ["ai-image"], "sources": [{"title": "Octopus article", '
        '"url": "https://en.wikipedia.org/wiki/Octopus"}], "difficulty": "easy"}\n'
        "::octopus:: Octopuses have three hearts. {TRUE####True. Sources: https://en.wikipedia.org/wiki/Octopus}\n"
    )
    assert one_question(text) == {
        "id": "octopus",
        "title": "Shown title",
        "claim": "Octopuses have three hearts.",
        "context": "As published.",
        "image_credit": "AI",
        "answer": "plausible",
        "explanation": "True.",
        "red_flags": ["ai-image"],
        "sources": [{"title": "Octopus article", "url": "https://en.wikipedia.org/wiki/Octopus"}],
        "difficulty": "easy",
    }


def test_read_source_added_in_the_gift_text_is_kept_beside_the_field_line():
    text = (
        '// quiz: {"sources": [{"title": "Known", "url": "https://example.org/known"}]}\n'
        "::q:: Claim. {TRUE####Because. Sources: https://example.org/known https://example.org/added}\n"
    )
    assert one_question(text)["sources"] == [
        {"title": "Known", "url": "https://example.org/known"},
        {"title": "example.org", "url": "https://example.org/added"},
    ]


def test_read_a_teachers_own_quiz_comment_is_just_a_comment():
    assert one_question("// quiz: week 3 review\n::Q:: Claim. {T}")["title"] == "Q"


def test_read_result_passes_the_deck_validator():
    mapping, _ = read_fixture("truefalse.gift")
    deck = validated(mapping)
    assert [q.answer for q in deck.questions] == ["dubious", "plausible", "plausible"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("multiple_choice.gift", ["multiple_choice.gift:2: " + SKIPPED.format("a multiple-choice question")]),
        ("short_answer.gift", ["short_answer.gift:1: " + SKIPPED.format("a short-answer question")]),
        ("matching.gift", ["matching.gift:3: " + SKIPPED.format("a matching question")]),
        ("numerical.gift", ["numerical.gift:1: " + SKIPPED.format("a numerical question")]),
        ("essay.gift", ["essay.gift:1: " + SKIPPED.format("an essay question")]),
        (
            "description.gift",
            [
                "description.gift:1: " + SKIPPED.format("a description: it has no answer in braces"),
            ],
        ),
        ("unclosed_brace.gift", ["unclosed_brace.gift:3: the answer's '{' is never closed by '}'"]),
        (
            "stray_brace.gift",
            ["stray_brace.gift:1: a '}' with no '{' before it (write \\} for a brace in the text)"],
        ),
        ("bad_answer.gift", ["bad_answer.gift:1: the answer must be TRUE, T, FALSE or F, not 'yes'"]),
        (
            "many_feedbacks.gift",
            [
                "many_feedbacks.gift:1: "
                "a true/false answer takes at most two feedbacks (#if wrong#if right), not 3",
            ],
        ),
        (
            "unclosed_title.gift",
            [
                "unclosed_title.gift:1: "
                "the title's '::' is never closed (write ::title:: before the question)",
            ],
        ),
        (
            "no_blank_line.gift",
            [
                "no_blank_line.gift:1: more than one answer in braces (put a blank line between questions)",
            ],
        ),
        (
            "bad_meta.gift",
            [
                "bad_meta.gift:1: the '// quiz:' comment: not valid JSON: "
                "Expecting property name enclosed in double quotes: line 1 column 21 (char 20)",
            ],
        ),
        (
            "orphan_meta.gift",
            [
                "orphan_meta.gift:1: "
                "a '// quiz:' comment must be directly above its question, with no blank line between",
            ],
        ),
    ],
)
def test_read_malformed_file_reports_each_problem_at_its_line(name, expected):
    _, problems = read_fixture(name)
    assert problems == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '// quiz: {"colour": "red"}',
            "the '// quiz:' comment: unknown field 'colour' (allowed: title, context, "
            "image_credit, red_flags, checks_out, sources, difficulty, checked)",
        ),
        (
            '// quiz: {"red_flags": "ai-image"}',
            "the '// quiz:' comment: red_flags must be a list of names or "
            '{"flag": ..., "quote": ..., "note": ...}',
        ),
        (
            '// quiz: {"checks_out": [{"note": 3}]}',
            'the \'// quiz:\' comment: checks_out must be a list of {"quote": ..., "note": ...}',
        ),
        (
            '// quiz: {"red_flags": ' + "[" * 5000 + "]" * 5000 + "}",
            "the '// quiz:' comment: nested too deeply",
        ),
        (
            '// quiz: {"sources": ["https://example.org/"]}',
            'the \'// quiz:\' comment: sources must be a list of {"title": ..., "url": ...}',
        ),
        ('// quiz: {"context": 3}', "the '// quiz:' comment: context must be text"),
    ],
)
def test_read_field_line_of_the_wrong_shape_is_a_problem(line, expected):
    _, problems = gift.read(f"{line}\n::Q:: Claim. {{T}}\n", "meta.gift")
    assert [str(p) for p in problems] == [f"meta.gift:1: {expected}"]


def test_write_question_line_has_id_claim_verdict_explanation_and_source_urls():
    deck = every_field_deck()
    lines = gift.write(deck).split("\n")
    assert (
        "::minimal:: Octopuses have three hearts. {TRUE####Two pump blood through the gills, one through "
        "the body. Sources\\: https\\://en.wikipedia.org/wiki/Octopus}" in lines
    )


def test_write_escapes_every_special_character_on_one_line():
    deck = every_field_deck()
    line = next(line for line in gift.write(deck).split("\n") if line.startswith("::everything-at-once::"))
    assert line.startswith(
        '::everything-at-once:: \\=HYPERLINK("http\\://evil.example","click"), 50% of "experts" agree\\: '
        "\\{x\\} \\#2 \\~3 \\:\\:4\\:\\: back\\\\slash \\\\n and C\\:\\\\ {FALSE####+1 for doubt"
    )


def test_write_title_comment_and_field_line_precede_each_question():
    lines = gift.write(every_field_deck()).split("\n")
    at = lines.index(next(line for line in lines if line.startswith("::ends-in-a-link::")))
    assert lines[at - 2] == "// Claim with a line break"
    assert json.loads(lines[at - 1].removeprefix("// quiz: ")) == {
        "title": "Claim with a line break",
        "red_flags": ["outdated", {"flag": "fabricated", "quote": "spans two"}],
        "sources": [{"title": "example.net", "url": "https://example.net/end"}],
        "difficulty": "medium",
        "checked": "2025-01-02",
    }


def test_write_title_that_looks_like_a_field_line_is_labelled():
    lines = gift.write(every_field_deck()).split("\n")
    assert '// Title: quiz: {"title": "not the fields line"}' in lines


def test_write_shields_a_claim_that_starts_like_a_format_tag():
    lines = gift.write(every_field_deck()).split("\n")
    assert any(line.startswith("::looks-like-markup:: [plain][html] <b>not bold</b>") for line in lines)


def test_write_without_field_lines_still_gives_back_claims_answers_explanations_ids_and_urls():
    deck = every_field_deck()
    mapping, problems = gift.read(without_field_lines(gift.write(deck)), "moodle.gift")
    again = validated(mapping)
    assert problems == []
    assert [
        (q.id, q.claim, q.answer, q.explanation, [s.url for s in q.sources]) for q in again.questions
    ] == [(q.id, q.claim, q.answer, q.explanation, [s.url for s in q.sources]) for q in deck.questions]


def test_write_untitled_question_has_no_title_comment():
    deck = every_field_deck()
    minimal = replace(deck, questions=tuple(q for q in deck.questions if q.id == "minimal"))
    assert [line for line in gift.write(minimal).split("\n") if line.startswith("// ")][2:] == [
        '// quiz: {"sources": [{"title": "Octopus", "url": "https://en.wikipedia.org/wiki/Octopus"}]}'
    ]


def question_fields(deck: Deck) -> list[dict[str, Any]]:
    """What a format must carry: every question field (deck-level fields have no place in GIFT)."""
    return deck_mapping(deck)["questions"]


@pytest.mark.parametrize(
    "deck_file",
    [FIXTURES / "every_field.yaml", *sorted((PROJECT / "questions").glob("*.yaml"))],
    ids=lambda path: path.name,
)
def test_round_trip_keeps_every_question_field(deck_file):
    deck, problems = load_deck_file(deck_file)
    assert problems == []
    assert deck is not None
    mapping, problems = gift.read(gift.write(deck), "exported.gift")
    assert problems == []
    assert question_fields(validated(mapping)) == question_fields(deck)
