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
            "answer, explanation, red_flags, checks_out, sources, difficulty, checked)"
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
    (
        "quote not in the text",
        VALID_HEAD
        + VALID_REST
        + "    red_flags:\n      - {flag: fabricated, quote: 'who is 105', note: N.}\n",
        ["12: question 'one': quote 'who is 105' is not in the question's text"],
    ),
    (
        "red flag mapping without a flag",
        VALID_HEAD + VALID_REST + "    red_flags:\n      - {quote: 'A claim'}\n",
        ["12: question 'one': red flag: flag is missing"],
    ),
    (
        "red flag mapping with an unknown field",
        VALID_HEAD + VALID_REST + "    red_flags:\n      - {flag: fabricated, why: x}\n",
        [
            "12: question 'one': red flag: unknown field 'why' (allowed: flag, quote, note)",
        ],
    ),
    (
        "checks_out without a note",
        VALID_HEAD + VALID_REST + "    checks_out:\n      - quote: 'A claim'\n",
        ["12: question 'one': checks_out: note is missing"],
    ),
    (
        "checks_out not a list",
        VALID_HEAD + VALID_REST + "    checks_out: it does\n",
        ["11: question 'one': checks_out must be a list of notes (note, and an optional quote)"],
    ),
    (
        "checked not a date",
        VALID_HEAD + VALID_REST + "    checked: last week\n",
        ["11: question 'one': checked must be a date written YYYY-MM-DD, not 'last week'"],
    ),
    (
        "checked an impossible date",
        VALID_HEAD + VALID_REST + "    checked: 2026-02-30\n",
        ["11: question 'one': checked must be a date written YYYY-MM-DD, not '2026-02-30'"],
    ),
    (
        "nested too deeply",
        VALID_HEAD + VALID_REST + "    title: " + "[" * 500 + "]" * 500 + "\n",
        ["11: not valid YAML: nested more than 20 levels deep"],
    ),
    (
        "nested too deeply in block style",
        VALID_HEAD + VALID_REST + "    title:\n" + "".join("  " * (n + 3) + "- \n" for n in range(30)),
        ["29: not valid YAML: nested more than 20 levels deep"],
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
    assert (question.id, question.claim, question.answer, question.flag_names) == (
        "one",
        "A claim.",
        "dubious",
        ("fabricated",),
    )
    assert question.sources[0].domain == "example.org"


def test_red_flags_and_checks_load_with_their_quotes_and_notes():
    text = VALID_HEAD.replace('"A claim."', '"Kim Il Sung, who is 105, still leads."') + VALID_REST
    text += (
        "    context: 'Photo credit: Lauren/Midjourney'\n"
        "    red_flags:\n"
        "      - ai-image\n"
        "      - flag: impossible-number\n"
        "        quote: WHO IS   105\n"
        "        note: Kim Il Sung died in 1994, aged 82.\n"
        "    checks_out:\n"
        "      - {quote: Lauren/Midjourney, note: The credit names an image generator.}\n"
        "    checked: 2026-11-30\n"
    )
    deck, problems = parse_deck(text, "d.yaml")
    assert problems == []
    question = deck.questions[0]
    assert question.flag_names == ("ai-image", "impossible-number")
    assert question.red_flags[1].quote == "WHO IS   105"
    assert question.red_flags[1].note == "Kim Il Sung died in 1994, aged 82."
    assert question.red_flags[0].note == "" and question.red_flags[0].meaning.startswith("The picture")
    assert [(c.quote, c.note) for c in question.checks_out] == [
        ("Lauren/Midjourney", "The credit names an image generator.")
    ]
    assert question.checked.isoformat() == "2026-11-30"


STRICT_OK = """\
schema: 1
title: "Strict"
questions:
  - id: one
    claim: "Everyone there owns a horse."
    context: "Photo: Lauren/Midjourney"
    image_credit: "Lauren/Midjourney"
    answer: dubious
    explanation: "Why."
    red_flags:
      - {flag: sweeping-generalisation, quote: Everyone, note: "Millions of people do not."}
      - {flag: ai-image, quote: Lauren/Midjourney, note: "The picture shows nothing that happened."}
    sources:
      - {title: "A", url: "https://a.example.org/1"}
      - {title: "B", url: "https://b.example.org/2"}
    difficulty: easy
    checked: 2026-11-30
  - id: two
    claim: "Horses have hooves."
    answer: plausible
    explanation: "They do."
    checks_out:
      - {quote: hooves, note: "Any encyclopedia says so."}
    sources:
      - {title: "A", url: "https://a.example.org/3"}
      - {title: "B", url: "https://www.b.example.org/4"}
    difficulty: easy
    checked: 2026-11-30
"""

STRICT_BROKEN = [
    (
        "one outlet",
        STRICT_OK.replace("https://b.example.org/2", "https://a.example.org/2"),
        ["14: question 'one': needs sources from at least two different outlets"],
    ),
    (
        "no checked date",
        STRICT_OK.replace("    checked: 2026-11-30\n", "", 1),
        ["4: question 'one': checked is missing (the date its verdict was checked, YYYY-MM-DD)"],
    ),
    (
        "a flag without a note",
        STRICT_OK.replace(', note: "Millions of people do not."', ""),
        ["11: question 'one': red flag 'sweeping-generalisation' needs a note saying what it means here"],
    ),
    (
        "a dubious claim without a quoted clue",
        STRICT_OK.replace("quote: Everyone, ", "").replace("quote: Lauren/Midjourney, ", ""),
        ["11: question 'one': a dubious claim needs a red flag with a quote"],
    ),
    (
        "a plausible claim without a check",
        STRICT_OK.replace('      - {quote: hooves, note: "Any encyclopedia says so."}\n', "").replace(
            "    checks_out:\n", ""
        ),
        ["18: question 'two': a plausible claim needs a checks_out note"],
    ),
    (
        "an AI credit without the flag",
        STRICT_OK.replace(
            "      - {flag: ai-image, quote: Lauren/Midjourney, "
            'note: "The picture shows nothing that happened."}\n',
            "",
        ),
        ["11: question 'one': needs the ai-image red flag"],
    ),
    (
        "difficulty that gives the answer away",
        STRICT_OK.replace("difficulty: easy", "difficulty: hard", 1),
        [
            "4: deck: difficulty gives the answer away: 100% of the hard questions are dubious but 0% of "
            "the easy ones (keep them within 25%)"
        ],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in STRICT_BROKEN], ids=[n for n, _, _ in STRICT_BROKEN]
)
def test_strict_validation_reports_each_rule_of_the_bundled_decks(text, expected):
    assert parse_deck(STRICT_OK, "s.yaml", strict=True)[1] == []
    deck, problems = parse_deck(text, "s.yaml", strict=True)
    assert deck is None
    assert [str(p) for p in problems] == [f"s.yaml:{line}" for line in expected]
    assert parse_deck(text, "s.yaml")[1] == []  # teachers' own decks need not follow them


def test_library_skips_a_deeply_nested_file_and_serves_the_others(tmp_path):
    write_deck(tmp_path, make_deck(), "good.yaml")
    (tmp_path / "deep.yaml").write_text("title: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    library = DeckLibrary(tmp_path)
    assert [d.id for d in library.decks] == ["test-deck"]
    deep = next(f for f in library.files if f.name == "deep.yaml")
    # libyaml stops at its own depth limit first; the pure-Python parser at ours.
    assert len(deep.problems) == 1 and "nest" in deep.problems[0].message


def test_validate_command_reports_a_deeply_nested_file_without_a_traceback(runner, tmp_path: Path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("questions:\n" + "".join("  " * n + "- \n" for n in range(1, 600)), encoding="utf-8")
    result = runner.invoke(args=["validate", str(deep)])
    assert result.exit_code == 1
    assert f"{deep}:21: not valid YAML: nested more than 20 levels deep" in result.output
    assert "Traceback" not in result.output


def test_a_parser_failure_of_any_kind_is_a_problem_of_that_file(monkeypatch):
    from quiz.decks import loading

    def explode(text):
        raise MemoryError

    monkeypatch.setattr(loading, "compose", explode)
    deck, problems = parse_deck("title: x\n", "big.yaml")
    assert deck is None
    assert [str(p) for p in problems] == [
        "big.yaml:1: cannot read the file: it is too deeply nested or too large (MemoryError)"
    ]


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


@pytest.mark.parametrize("path", sorted(BUNDLED_DECKS.glob("*.yaml")), ids=lambda path: path.name)
def test_bundled_decks_keep_the_rules_of_a_fact_checking_desk(path):
    """Two sources from different outlets and a checked date on every question, quoted clues on
    the dubious ones, checks on the plausible ones, and difficulty that tells nothing."""
    deck, problems = load_deck_file(path, strict=True)
    assert [str(p) for p in problems] == []
    assert len(deck.questions) >= 30


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


def test_the_example_in_the_deck_guide_is_a_valid_deck():
    guide = (BUNDLED_DECKS / "README.md").read_text(encoding="utf-8")
    example = guide.split("```yaml\n", 1)[1].split("```", 1)[0]
    deck, problems = parse_deck(example, "questions/README.md")
    assert problems == []
    assert deck.questions[0].red_flags[0].quote == "from the Moon"
