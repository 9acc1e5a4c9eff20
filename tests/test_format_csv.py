"""CSV spreadsheets: reading rows into a deck mapping, problems with lines, export and round trips."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.decks import Deck, load_deck_file, parse_deck
from quiz.decks.formats import csv_format, deck_mapping, dump_deck

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
PROJECT = Path(__file__).resolve().parent.parent
HEADER = "id,title,claim,context,image_credit,answer,explanation,red_flags,difficulty,source_title,source_url"


def read_fixture(name: str) -> tuple[dict[str, Any], list[str]]:
    """A fixture read as CSV, with its problems as the `path:line: message` lines a teacher sees."""
    mapping, problems = csv_format.read((FIXTURES / name).read_bytes().decode("utf-8"), name)
    return mapping, [str(problem) for problem in problems]


def validated(mapping: dict[str, Any]) -> Deck:
    """The mapping through the normal deck validator, which must accept it."""
    deck, problems = parse_deck(dump_deck(mapping), "imported.yaml")
    assert problems == []
    assert deck is not None
    return deck


def round_trip(deck: Deck) -> Deck:
    mapping, problems = csv_format.read(csv_format.write(deck), "exported.csv")
    assert problems == []
    return validated(mapping)


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_read_gives_deck_id_and_title_from_the_file_name():
    mapping, _ = csv_format.read(f"{HEADER}\n", "uploads/My Class Quiz.csv")
    assert (mapping["id"], mapping["title"]) == ("my-class-quiz", "My Class Quiz")


def test_read_quoted_cells_keep_commas_quotes_and_line_breaks():
    mapping, problems = read_fixture("quoted.csv")
    first = mapping["questions"][0]
    assert problems == []
    assert first["claim"] == "The Great Wall of China is visible from the Moon, they say."
    assert first["context"] == 'Line one, with a comma.\nLine two: "quoted".'
    assert first["sources"][1] == {"title": "Moon, the", "url": "https://en.wikipedia.org/wiki/Moon"}


def test_read_every_column_reaches_the_question():
    mapping, _ = read_fixture("quoted.csv")
    assert mapping["questions"][0] == {
        "id": "great-wall",
        "title": "Wall, great",
        "claim": "The Great Wall of China is visible from the Moon, they say.",
        "context": 'Line one, with a comma.\nLine two: "quoted".',
        "answer": "dubious",
        "explanation": "It is a few metres wide; nobody sees it from the Moon.",
        "red_flags": ["sweeping-generalisation", "fabricated"],
        "sources": [
            {"title": "Great Wall of China", "url": "https://en.wikipedia.org/wiki/Great_Wall_of_China"},
            {"title": "Moon, the", "url": "https://en.wikipedia.org/wiki/Moon"},
        ],
        "difficulty": "hard",
    }


def test_read_skips_blank_rows_and_rows_of_empty_cells():
    mapping, _ = read_fixture("quoted.csv")
    assert [q["id"] for q in mapping["questions"]] == ["great-wall", "octopuses-have-three-hearts"]


def test_read_empty_id_is_made_from_the_claim_without_a_problem():
    mapping, problems = read_fixture("quoted.csv")
    assert mapping["questions"][1]["id"] == "octopuses-have-three-hearts"
    assert problems == []


def test_read_made_ids_are_cut_to_60_characters_and_kept_unique():
    claim = "A very long claim that goes on and on well past sixty characters, surely."
    text = f"{HEADER}\n,,{claim},,,dubious,E.,,,S,https://example.org/\n,,{claim},,,dubious,E.,,,S,https://example.org/\n"
    mapping, _ = csv_format.read(text, "long.csv")
    ids = [q["id"] for q in mapping["questions"]]
    assert ids == [
        "a-very-long-claim-that-goes-on-and-on-well-past-sixty-charac",
        "a-very-long-claim-that-goes-on-and-on-well-past-sixty-charac-2",
    ]


def test_read_made_id_avoids_an_id_given_in_a_later_row():
    text = (
        f"{HEADER}\n,,Same claim.,,,dubious,E.,,,S,https://example.org/\n"
        "same-claim,,Other.,,,dubious,E.,,,S,https://example.org/\n"
    )
    mapping, _ = csv_format.read(text, "ids.csv")
    assert [q["id"] for q in mapping["questions"]] == ["same-claim-2", "same-claim"]


def test_read_columns_in_any_order():
    mapping, problems = read_fixture("reordered.csv")
    assert problems == []
    assert mapping["questions"] == [
        {
            "id": "octopus-hearts",
            "claim": "Octopuses have three hearts.",
            "answer": "plausible",
            "explanation": "Two pump blood through the gills.",
            "sources": [{"title": "Octopus", "url": "https://en.wikipedia.org/wiki/Octopus"}],
        }
    ]


def test_read_header_names_ignore_case_and_spaces():
    text = " ID , Claim,ANSWER,Explanation,Source_Title,source_url\nq1,C.,dubious,E.,S,https://example.org/\n"
    mapping, problems = csv_format.read(text, "case.csv")
    assert problems == []
    assert mapping["questions"][0]["id"] == "q1"


def test_read_byte_order_mark_and_crlf_line_ends_from_excel():
    mapping, problems = read_fixture("bom.csv")
    assert problems == []
    question = mapping["questions"][0]
    assert question["id"] == "octopus-hearts"
    assert question["claim"] == "Octopuses have three hearts.\nTrue!"
    assert question["difficulty"] == "easy"


def test_read_semicolon_separated_file_from_a_spreadsheet_set_so():
    mapping, problems = read_fixture("semicolon.csv")
    assert problems == []
    assert mapping["questions"][0]["red_flags"] == ["sweeping-generalisation", "fabricated"]
    assert mapping["questions"][0]["sources"][0]["url"] == "https://en.wikipedia.org/wiki/Lightning"


def test_read_carries_invalid_values_across_for_the_validator():
    text = f"{HEADER}\nq1,,C.,,,maybe,E.,not-a-flag,extreme,S,ftp://example.org/\n"
    mapping, problems = csv_format.read(text, "bad-values.csv")
    assert problems == []
    question = mapping["questions"][0]
    assert (question["answer"], question["red_flags"], question["difficulty"]) == (
        "maybe",
        ["not-a-flag"],
        "extreme",
    )
    assert question["sources"] == [{"title": "S", "url": "ftp://example.org/"}]


def test_read_result_passes_the_deck_validator():
    mapping, _ = read_fixture("quoted.csv")
    deck = validated(mapping)
    assert [q.answer for q in deck.questions] == ["dubious", "plausible"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty.csv", ["empty.csv:1: the file is empty: the first row must be the header (" + HEADER + ")"]),
        ("no_header.csv", ["no_header.csv:1: the first row must be the header (" + HEADER + ")"]),
        (
            "missing_column.csv",
            [
                "missing_column.csv:1: missing column 'claim' "
                "(required: id, claim, answer, explanation, source_title, source_url)",
            ],
        ),
        (
            "unknown_column.csv",
            [
                "unknown_column.csv:1: unknown column 'notes' (the columns are: id, title, claim, context, "
                "image_credit, answer, explanation, red_flags, difficulty, source_title, source_url, "
                "source_title_2, source_url_2, ..., checked, red_flag, red_flag_quote, red_flag_note, "
                "red_flag_2, ..., checks_out_note, checks_out_quote, checks_out_note_2, ...)",
            ],
        ),
        ("duplicate_column.csv", ["duplicate_column.csv:1: column 'claim' appears twice (columns 2 and 5)"]),
        (
            "unpaired_column.csv",
            [
                "unpaired_column.csv:1: missing column 'source_url_2' (it pairs with 'source_title_2')",
            ],
        ),
        (
            "unclosed_quote.csv",
            [
                "unclosed_quote.csv:4: row 3: cannot read the row: "
                'a quoted cell is never closed (a " is missing)',
            ],
        ),
        (
            "stray_quote.csv",
            [
                "stray_quote.csv:2: row 2: cannot read the row: "
                'a " inside a cell must be doubled ("") or the whole cell quoted',
            ],
        ),
        (
            "title_without_url.csv",
            [
                "title_without_url.csv:2: row 2, column source_url: "
                "source_title is given but source_url is empty",
            ],
        ),
        (
            "url_without_title.csv",
            [
                "url_without_title.csv:5: row 3, column source_title_2: "
                "source_url_2 is given but source_title_2 is empty",
            ],
        ),
        (
            "too_many_cells.csv",
            [
                "too_many_cells.csv:2: row 2: has 7 cells but the header has 6 columns "
                "(is a comma missing its quotes?)",
            ],
        ),
        (
            "unnamed_column.csv",
            [
                "unnamed_column.csv:2: row 2, column 7: a value in a column with no name in the header",
            ],
        ),
    ],
)
def test_read_malformed_file_reports_each_problem_at_its_line(name, expected):
    _, problems = read_fixture(name)
    assert problems == expected


def test_read_problem_line_counts_line_breaks_inside_earlier_rows():
    text = f'{HEADER}\nq1,,"one\ntwo\nthree",,,dubious,E.,,,S,\nq2,,"a\nb",,,dubious,E.,,,,https://example.org/\n'
    _, problems = csv_format.read(text, "lines.csv")
    assert [str(p) for p in problems] == [
        "lines.csv:2: row 2, column source_url: source_title is given but source_url is empty",
        "lines.csv:5: row 3, column source_title: source_url is given but source_title is empty",
    ]


def test_read_keeps_the_rows_after_a_bad_one():
    text = (FIXTURES / "stray_quote.csv").read_bytes().decode("utf-8")
    text += "q2,Another claim.,plausible,Because.,Example,https://example.org/\n"
    mapping, problems = csv_format.read(text, "stray_quote.csv")
    assert len(problems) == 1
    assert [q["id"] for q in mapping["questions"]] == ["q2"]


@pytest.mark.parametrize(
    ("cell", "exported"),
    [
        ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("-5 degrees", "'-5 degrees"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'=already shielded", "''=already shielded"),
        ("'tis the season", "'tis the season"),
        ("'", "'"),
        ("a = b", "a = b"),
        ("", ""),
        # A semicolon or tab starts a new cell in some spreadsheet locales.
        ("x;=1+1;", "x;'=1+1;"),
        ("x; =1+1", "x; '=1+1"),
        ("a\t@SUM(A1)", "a\t'@SUM(A1)"),
        ("a;'=b", "a;''=b"),
        ("=a;-b", "'=a;'-b"),
        ("a; b", "a; b"),
    ],
)
def test_neutralise_and_restore_are_exact_inverses(cell, exported):
    assert csv_format.neutralise(cell) == exported
    assert csv_format.restore(exported) == cell


@given(st.text(alphabet="=+-@;\t\r' ab", max_size=12))
def test_restore_undoes_neutralise_for_any_text(cell):
    shielded = csv_format.neutralise(cell)
    assert csv_format.restore(shielded) == cell
    first, *others = re.split(r"[;\t]", shielded)
    assert not re.match(r"^[=+\-@\t\r]", shielded), (cell, shielded)
    for part in others:  # where a semicolon or tab locale starts a cell: none runs
        assert not re.match(r"^ *[=+\-@]", part), (cell, shielded)


def test_write_neutralises_a_formula_read_from_a_csv():
    mapping, _ = read_fixture("formula.csv")
    exported = csv_format.write(validated(mapping))
    row = dict(zip(cells(exported)[0], cells(exported)[1], strict=True))
    assert row["title"] == row["claim"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["context"] == "'@SUM(A1:A2)"
    assert row["explanation"] == "'-1 for trusting a link."
    assert ",=HYPERLINK" not in exported and ',"=HYPERLINK' not in exported


def test_write_then_read_gives_back_a_formula_cell_exactly():
    mapping, _ = read_fixture("formula.csv")
    again = round_trip(validated(mapping))
    assert again.questions[0].claim == '=HYPERLINK("http://evil.example","click")'


def test_write_starts_with_a_byte_order_mark_and_the_header():
    mapping, _ = read_fixture("reordered.csv")
    exported = csv_format.write(validated(mapping))
    assert exported.startswith("\ufeff" + HEADER + "\r\n")


def test_write_adds_a_column_pair_for_every_source_a_question_needs():
    deck, _ = load_deck_file(FIXTURES / "every_field.yaml")
    assert deck is not None
    header = cells(csv_format.write(deck))[0]
    assert header[-4:] == ["source_title_3", "source_url_3", "source_title_4", "source_url_4"]


def test_write_leaves_unused_source_cells_empty():
    deck, _ = load_deck_file(FIXTURES / "every_field.yaml")
    assert deck is not None
    minimal = next(row for row in cells(csv_format.write(deck)) if row[0] == "minimal")
    assert minimal[-6:] == [""] * 6


def test_write_joins_red_flags_with_semicolons():
    deck, _ = load_deck_file(FIXTURES / "every_field.yaml")
    assert deck is not None
    rows = cells(csv_format.write(deck))
    column = rows[0].index("red_flags")
    assert rows[1][column] == "ai-image; fabricated; loaded-language"


def test_template_is_the_export_header_and_a_valid_deck():
    text = (PROJECT / "questions" / "template.csv").read_bytes().decode("utf-8")
    mapping, problems = csv_format.read(text, "questions/template.csv")
    assert problems == []
    deck = validated(mapping)
    assert sorted(q.answer for q in deck.questions) == ["dubious", "plausible"]
    assert text == csv_format.write(deck)


def question_fields(deck: Deck) -> list[dict[str, Any]]:
    """What a format must carry: every question field (deck-level fields have no place in CSV)."""
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
    assert question_fields(round_trip(deck)) == question_fields(deck)
