"""The `quiz` commands as scripts use them: exit codes and files written."""

import pytest

from quiz.decks import load_deck_file
from quiz.decks.formats import deck_mapping

from .conftest import BUNDLED_DECKS


@pytest.mark.parametrize("kind", ["csv", "gift"])
def test_export_then_import_gives_back_every_bundled_deck(runner, tmp_path, kind):
    for path in sorted(BUNDLED_DECKS.glob("*.yaml")):
        original, _ = load_deck_file(path)
        exported = tmp_path / f"{original.id}.{kind}"
        result = runner.invoke(args=["export", "--to", kind, str(path), "-o", str(exported)])
        assert result.exit_code == 0, result.output
        imported = tmp_path / f"{original.id}.yaml"
        result = runner.invoke(args=["import", "--from", kind, str(exported), "-o", str(imported)])
        assert result.exit_code == 0, result.output
        back, problems = load_deck_file(imported)
        assert problems == []
        assert deck_mapping(back)["questions"] == deck_mapping(original)["questions"]


def test_export_by_deck_id_uses_the_loaded_library(runner, tmp_path):
    out = tmp_path / "out.csv"
    result = runner.invoke(args=["export", "--to", "csv", "test-deck", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Claim number 1 is plausible." in out.read_text(encoding="utf-8-sig")


def test_export_of_an_unknown_deck_fails_with_a_message(runner, tmp_path):
    result = runner.invoke(args=["export", "--to", "gift", "no-such-deck", "-o", str(tmp_path / "x.gift")])
    assert result.exit_code == 1
    assert "no deck file or deck id 'no-such-deck'" in result.output


def test_import_of_a_broken_csv_prints_row_and_column_and_fails(runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,claim,answer,explanation,source_title\nx,c,dubious,e,s\n", encoding="utf-8")
    result = runner.invoke(args=["import", "--from", "csv", str(bad), "-o", str(tmp_path / "out.yaml")])
    assert result.exit_code == 1
    assert f"{bad}:1:" in result.output and "source_url" in result.output


def test_validate_says_how_to_convert_a_csv_instead_of_reading_it_as_yaml(runner, tmp_path):
    sheet = tmp_path / "quiz.csv"
    sheet.write_text("id,claim\n", encoding="utf-8")
    result = runner.invoke(args=["validate", str(sheet)])
    assert result.exit_code == 1
    expected = f"{sheet}:1: not a deck file (.yaml): convert it first with quiz import --from csv"
    assert expected in result.output


@pytest.mark.parametrize(
    ("host", "proxies", "warned"),
    [("0.0.0.0", 1, True), ("127.0.0.1", 1, False), ("0.0.0.0", 0, False), ("::1", 2, False)],
)
def test_serve_warns_when_trusted_proxies_meet_a_public_address(
    app, runner, monkeypatch, host, proxies, warned
):
    """With trusted proxies, a port reachable without the proxy lets anyone forge X-Forwarded-For."""
    started = []
    monkeypatch.setattr("quiz.server.check_address", lambda host, port: None)
    monkeypatch.setattr("quiz.server.run", lambda *args: started.append(args))
    app.config["TRUSTED_PROXIES"] = proxies
    result = runner.invoke(args=["serve", "--host", host, "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert started  # it still serves: a warning, not a refusal
    assert ("warning: QUIZ_TRUSTED_PROXIES" in result.output) is warned
    if warned:
        assert "can pose as any address" in result.output
