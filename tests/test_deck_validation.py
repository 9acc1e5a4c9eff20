"""Deck validation: every problem as `path:line: message`, never a traceback."""

from pathlib import Path

import pytest

from quiz.decks import load_deck_file, parse_deck
from quiz.decks.library import DeckLibrary

from .conftest import BUNDLED_DECKS, make_deck, write_deck

VALID_HEAD = """\
schema: 1
title: "Broken"
questions:
  - id: one
    claim: "A claim."
"""
VALID_REST = """\
    answer: dubious
    explanation: "Why."
    sources:
      - title: "A source"
        url: "https://example.org/a"
"""

BROKEN = [
    (
        "answer: maybe",
        VALID_HEAD + VALID_REST.replace("answer: dubious", "answer: maybe"),
        ["6: question 'one': answer must be plausible or dubious, not 'maybe'"],
    ),
    (
        "missing answer",
        VALID_HEAD + VALID_REST.replace("    answer: dubious\n", ""),
        ["4: question 'one': answer is missing (plausible or dubious)"],
    ),
    (
        "empty claim",
        VALID_HEAD.replace('"A claim."', '""') + VALID_REST,
        ["5: question 'one': claim is empty"],
    ),
    (
        "missing sources",
        VALID_HEAD + VALID_REST.split("    sources:")[0],
        ["4: question 'one': sources is missing (at least one, with title and url)"],
    ),
    (
        "empty sources",
        VALID_HEAD + VALID_REST.split("    sources:")[0] + "    sources: []\n",
        ["8: question 'one': sources must be a list of at least one source (title and url)"],
    ),
    (
        "javascript url",
        VALID_HEAD + VALID_REST.replace("https://example.org/a", "javascript:alert(1)"),
        [
            "10: question 'one': source 1: url must be a web address starting with http:// or https://, "
            "not 'javascript:alert(1)'"
        ],
    ),
    (
        "data url",
        VALID_HEAD + VALID_REST.replace("https://example.org/a", "data:text/html,hi"),
        [
            "10: question 'one': source 1: url must be a web address starting with http:// or https://, "
            "not 'data:text/html,hi'"
        ],
    ),
    (
        "duplicate id",
        VALID_HEAD + VALID_REST + VALID_HEAD.split("questions:\n")[1] + VALID_REST,
        ["11: question 'one': duplicate id (first used on line 4)"],
    ),
    (
        "unknown red flag",
        VALID_HEAD + VALID_REST + "    red_flags: [clickbait]\n",
        [
            "11: question 'one': unknown red flag 'clickbait' (one of: ai-image, contradiction, "
            "impossible-number, unverifiable, sweeping-generalisation, loaded-language, outdated, "
            "misattribution, missing-context, fabricated)"
        ],
    ),
    (
        "bad difficulty",
        VALID_HEAD + VALID_REST + "    difficulty: extreme\n",
        ["11: question 'one': difficulty must be easy, medium or hard, not 'extreme'"],
    ),
    (
        "unknown field",
        VALID_HEAD + VALID_REST + "    answr: dubious\n",
        [
            "11: question 'one': unknown field 'answr' (allowed: id, title, claim, context, image_credit, "
            "answer, explanation, red_flags, sources, difficulty)"
        ],
    ),
    (
        "missing explanation",
        VALID_HEAD + VALID_REST.replace('    explanation: "Why."\n', ""),
        ["4: question 'one': explanation is missing"],
    ),
    (
        "bad question id",
        VALID_HEAD.replace("id: one", "id: One Two") + VALID_REST,
        ["4: question 'One Two': id must be a slug (a-z, 0-9, hyphens)"],
    ),
    ("no title", VALID_HEAD.replace('title: "Broken"\n', "") + VALID_REST, ["1: deck: title is missing"]),
    (
        "questions not a list",
        'title: "T"\nquestions: "none"\n',
        ["2: deck: questions must be a non-empty list"],
    ),
    (
        "wrong schema",
        VALID_HEAD.replace("schema: 1", "schema: 2") + VALID_REST,
        ["1: deck: schema must be 1, not 2"],
    ),
    (
        "broken yaml",
        VALID_HEAD + '    answer: "dubious\n',
        ["7: not valid YAML: found unexpected end of stream"],
    ),
    (
        "python tag",
        VALID_HEAD + VALID_REST + "    title: !!python/object/apply:os.system ['echo hi']\n",
        ["11: tag '!!python/object/apply:os.system' is not allowed in deck files"],
    ),
    (
        "alias",
        "base: &a [1]\n" + VALID_HEAD + VALID_REST + "    red_flags: *a\n",
        ["12: not valid YAML: aliases (*name) are not allowed in deck files"],
    ),
    (
        "source without url",
        VALID_HEAD + VALID_REST.replace('        url: "https://example.org/a"\n', ""),
        ["9: question 'one': source 1: url is missing"],
    ),
    (
        "two problems, both reported",
        VALID_HEAD.replace('"A claim."', '""') + VALID_REST.replace("answer: dubious", "answer: true"),
        [
            "5: question 'one': claim is empty",
            "6: question 'one': answer must be plausible or dubious, not 'true'",
        ],
    ),
    ("empty file", "", ["1: the file is empty"]),
    ("not a mapping", "- just\n- a list\n", ["1: deck must be a mapping of fields (key: value)"]),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in BROKEN], ids=[n for n, _, _ in BROKEN])
def test_broken_deck_reports_each_problem_with_its_line(tmp_path, text, expected):
    path = tmp_path / "nk.yaml"
    path.write_text(text, encoding="utf-8")
    deck, problems = load_deck_file(path, shown_as="questions/nk.yaml")
    assert deck is None
    assert [str(p) for p in problems] == [f"questions/nk.yaml:{line}" for line in expected]


def test_valid_deck_loads_every_field():
    deck, problems = parse_deck(
        VALID_HEAD + VALID_REST + "    red_flags: [fabricated]\n", "d.yaml", default_id="from-stem"
    )
    assert problems == []
    assert deck.id == "from-stem"
    question = deck.questions[0]
    assert (question.id, question.claim, question.answer, question.red_flags) == (
        "one",
        "A claim.",
        "dubious",
        ("fabricated",),
    )
    assert question.sources[0].domain == "example.org"


def test_file_that_is_not_utf8_is_reported(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"title: caf\xe9\n")
    assert [str(p) for p in load_deck_file(path)[1]] == [f"{path}:1: not UTF-8 text (save the file as UTF-8)"]


def test_bundled_decks_are_valid():
    paths = sorted(BUNDLED_DECKS.glob("*.yaml"))
    assert paths
    for path in paths:
        deck, problems = load_deck_file(path)
        assert problems == [], problems
        assert deck.questions


def test_library_skips_a_bad_file_and_loads_the_others(tmp_path, caplog):
    write_deck(tmp_path, make_deck(), "good.yaml")
    (tmp_path / "bad.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    library = DeckLibrary(tmp_path)
    assert [d.id for d in library.decks] == ["test-deck"]
    bad = next(f for f in library.files if f.name == "bad.yaml")
    assert bad.deck is None and "not valid YAML" in str(bad.problems[0])
    assert "deck skipped" in caplog.text


def test_library_keeps_the_last_good_version_when_an_edit_breaks_it(tmp_path):
    path = write_deck(tmp_path, make_deck())
    library = DeckLibrary(tmp_path, check_every=0)
    path.write_text("title: [broken\n", encoding="utf-8")
    assert [d.id for d in library.decks] == ["test-deck"]
    assert library.files[0].problems


def test_library_picks_up_new_and_changed_files(tmp_path):
    library = DeckLibrary(tmp_path, check_every=0)
    assert library.decks == []
    path = write_deck(tmp_path, make_deck(title="First"))
    assert [d.title for d in library.decks] == ["First"]
    write_deck(tmp_path, make_deck(title="Second title"))
    import os

    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert [d.title for d in library.decks] == ["Second title"]
    path.unlink()
    assert library.decks == []


def test_library_reports_a_second_deck_with_the_same_id(tmp_path):
    write_deck(tmp_path, make_deck(), "a.yaml")
    write_deck(tmp_path, make_deck(title="Copy"), "b.yaml")
    library = DeckLibrary(tmp_path)
    assert [d.title for d in library.decks] == ["Test deck"]
    assert "deck id 'test-deck' is already used by" in str(library.files[1].problems[0])


def test_validate_command_exits_0_on_valid_decks(runner):
    result = runner.invoke(args=["validate", str(BUNDLED_DECKS)])
    assert result.exit_code == 0, result.output


def test_validate_command_prints_problems_and_exits_1(runner, tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(VALID_HEAD + VALID_REST.replace("answer: dubious", "answer: maybe"), encoding="utf-8")
    result = runner.invoke(args=["validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:6: question 'one': answer must be plausible or dubious, not 'maybe'" in result.output
    assert "Traceback" not in result.output
