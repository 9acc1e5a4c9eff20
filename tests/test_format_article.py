"""The article importer: a plain-text listicle becomes draft questions for a teacher to finish."""

from pathlib import Path

import pytest

from quiz.decks.formats import FORMATS

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_96ffa6998962fb84.txt"
ARTICLE = """My listicle

First entry

First entry

The sky is green. Everyone knows it.

(Image via Someone/Generator)

Second entry

Second entry

Water is wet.
"""


def read(text: str, path: str = "article.txt"):
    return FORMATS["article"].read(text, path)


def test_article_entries_become_drafts_with_title_context_credit_and_first_sentence():
    deck, problems = read(ARTICLE)
    assert problems == []
    first, second = deck["questions"]
    assert (first["id"], first["title"], first["claim"]) == (
        "first-entry",
        "First entry",
        "The sky is green.",
    )
    assert first["context"] == "The sky is green. Everyone knows it."
    assert first["image_credit"] == "Someone/Generator"
    assert "image_credit" not in second
    assert (first["answer"], first["explanation"], first["sources"]) == ("", "", [])
    assert deck["title"] == "My listicle"


def test_article_without_entries_is_reported():
    deck, problems = read("Just a title\n\nAnd one paragraph.\n")
    assert [str(p) for p in problems] == [
        "article.txt:1: no entries found: each entry is a title line, a blank line, then the same title again"
    ]


def test_article_entry_without_text_is_reported_with_its_line():
    _, problems = read("T\n\nEmpty\n\nEmpty\n\nNext\n\nNext\n\nText.\n")
    assert [str(p) for p in problems] == ["article.txt:3: entry 'Empty' has a title but no text"]


def test_article_repeated_titles_get_unique_ids():
    deck, _ = read("T\n\nSame\n\nSame\n\nOne.\n\nSame\n\nSame\n\nTwo.\n")
    assert [q["id"] for q in deck["questions"]] == ["same", "same-2"]


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is kept beside the project in shared/seeds")
def test_seed_article_gives_57_entries_55_with_a_credit():
    deck, problems = read(SEED.read_text(encoding="utf-8"), "seed.txt")
    assert problems == []
    titles = [q["title"] for q in deck["questions"]]
    assert len(titles) == 57
    assert titles[0] == "A welcome to North Korea" and titles[-1] == "The gray market"
    assert "The bridge to nowhwere" in titles and "Women serve in the miliary" in titles
    credited = [q for q in deck["questions"] if q.get("image_credit")]
    assert len(credited) == 55
    assert {q["image_credit"] for q in credited} == {"Lauren/Midjourney"}
    assert {q["title"] for q in deck["questions"] if not q.get("image_credit")} == {
        "Always watching",
        "The gray market",
    }


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is kept beside the project in shared/seeds")
def test_import_article_then_validate_lists_what_is_missing(runner, tmp_path):
    out = tmp_path / "drafts.yaml"
    result = runner.invoke(args=["import", "--from", "article", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "57 questions" in result.output
    result = runner.invoke(args=["validate", str(out)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(out))]
    # Each of the 57 drafts misses its answer, explanation and sources: three lines each.
    assert len(lines) == 57 * 3
    assert any("question 'subway-system': answer is missing (plausible or dubious)" in line for line in lines)
    assert any("question 'subway-system': explanation is empty" in line for line in lines)
    assert any(
        "question 'subway-system': sources must be a list of at least one source" in line for line in lines
    )
