"""Decks have owners: only a deck's uploader or an admin changes it, bundled decks are changed on
the server only, a replaced deck's earlier version is kept, and the kiosk never plays an upload
unless told to."""

from __future__ import annotations

import re

import pytest

from quiz.extensions import db
from quiz.services.accounts import add_teacher

from .conftest import Auth, Player
from .test_teacher import deck_yaml, upload


def title_in_play(client, deck_id: str) -> str | None:
    """The title of the deck with this id as it is played now, or None when it is not loaded."""
    page = client.get(f"/teacher/decks/{deck_id}")
    match = re.search(r"<h1>(.*?)</h1>", page.text)
    return match.group(1) if page.status_code == 200 and match else None


@pytest.fixture
def colleague(app):
    """Another teacher, 'mr-roy', with their own client."""
    with app.app_context():
        add_teacher("mr-roy", "another long password")
        db.session.commit()
    client = app.test_client()
    Auth(client).login("mr-roy", "another long password")
    return client


def test_the_bundled_deck_cannot_be_replaced_from_the_web(client, auth, deck_dir):
    auth.login()
    before = (deck_dir / "test-deck.yaml").read_text()
    page = upload(client, deck_yaml(title="Hijacked"), "test-deck.yaml", replace="y")
    assert page.status_code == 400
    assert "came with the game" in page.text and "cannot be replaced from the web" in page.text
    assert (deck_dir / "test-deck.yaml").read_text() == before
    assert title_in_play(client, "test-deck") == "Test deck"


def test_another_teacher_cannot_replace_delete_or_restore_an_upload(client, auth, colleague, deck_dir):
    auth.login()
    upload(client, deck_yaml(id="lee-deck", title="Ms Lee's deck"), "lee-deck.yaml")
    page = upload(colleague, deck_yaml(id="lee-deck", title="Roy's version"), "x.yaml", replace="y")
    assert page.status_code == 400
    assert "was uploaded by ms-lee: only they or an admin can change it" in page.text.replace("&#39;", "'")
    assert colleague.post("/teacher/decks/lee-deck/delete").status_code == 403
    assert colleague.post("/teacher/decks/lee-deck/restore").status_code == 403
    assert "Ms Lee" in (deck_dir / "lee-deck.yaml").read_text()
    page = colleague.get("/teacher/decks/lee-deck")
    assert "Only ms-lee or an admin can replace or delete it." in page.text
    assert "Delete this deck" not in page.text


def test_a_replaced_deck_keeps_its_earlier_version_and_restore_brings_it_back(client, auth, deck_dir):
    auth.login()
    upload(client, deck_yaml(id="my-deck", title="First version"), "my-deck.yaml")
    upload(client, deck_yaml(id="my-deck", title="Second version"), "my-deck.yaml", replace="y")
    assert title_in_play(client, "my-deck") == "Second version"
    page = client.get("/teacher/decks/my-deck")
    assert "Restore the earlier version" in page.text
    assert client.post("/teacher/decks/my-deck/restore").status_code == 302
    assert title_in_play(client, "my-deck") == "First version"
    # The restore can itself be undone: the version it replaced is now the earlier one.
    client.post("/teacher/decks/my-deck/restore")
    assert title_in_play(client, "my-deck") == "Second version"


def test_a_deleted_upload_leaves_play_and_can_be_restored_from_the_dashboard(client, auth, deck_dir):
    auth.login()
    upload(client, deck_yaml(id="my-deck", title="My own deck"), "my-deck.yaml")
    assert client.post("/teacher/decks/my-deck/delete").status_code == 302
    assert not (deck_dir / "my-deck.yaml").exists()
    again = client.post("/teacher/decks/my-deck/delete", follow_redirects=True)  # a second tab
    assert again.status_code == 200 and "Not deleted: its file cannot be changed" in again.text
    assert title_in_play(client, "my-deck") is None
    assert 'value="my-deck"' not in client.get("/").text
    dashboard = client.get("/teacher/")
    assert "deleted" in dashboard.text and "/teacher/decks/my-deck/restore" in dashboard.text
    client.post("/teacher/decks/my-deck/restore")
    assert title_in_play(client, "my-deck") == "My own deck"


def test_an_admin_may_change_any_upload_but_not_a_bundled_deck(app, client, auth, deck_dir, runner, tmp_path):
    secret = tmp_path / "password"
    secret.write_text("the admin's password\n")
    result = runner.invoke(args=["add-teacher", "head", "--admin", "--password-file", str(secret)])
    assert result.exit_code == 0 and "admin 'head' added" in result.output
    auth.login()
    upload(client, deck_yaml(id="lee-deck", title="Ms Lee's deck"), "lee-deck.yaml")
    admin = app.test_client()
    Auth(admin).login("head", "the admin's password")
    assert "Uploaded decks" in admin.get("/teacher/").text
    upload(admin, deck_yaml(id="lee-deck", title="Fixed by the head"), "lee-deck.yaml", replace="y")
    assert "Fixed by the head" in (deck_dir / "lee-deck.yaml").read_text()
    page = upload(admin, deck_yaml(title="Hijacked"), "test-deck.yaml", replace="y")
    assert "cannot be replaced from the web" in page.text


def test_the_kiosk_plays_a_bundled_deck_and_not_an_upload_titled_to_come_first(app, client, auth):
    auth.login()
    upload(client, deck_yaml(id="first", title="!!! Buy my stuff"), "first.yaml")
    page = app.test_client().get("/kiosk/")
    assert "Test deck" in page.text and "Buy my stuff" not in page.text
    app.config["KIOSK_DECK"] = "first"  # unless the kiosk is told to play it
    from quiz.kiosk.views import kiosk_deck

    with app.test_request_context():
        assert kiosk_deck().id == "first"
        app.config["KIOSK_DECK"] = ""
        assert kiosk_deck().id == "test-deck"


def test_deck_wide_results_and_csv_show_a_teacher_only_their_own_classes(app, client, auth, colleague):
    """Another teacher's students' names and class codes stay theirs; an admin sees everyone."""
    from .test_teacher import create_class

    auth.login()
    _, mine = create_class(app, client, "Lee's 9B")
    _, theirs = create_class(app, colleague, "Roy's 8C")
    for code, name in ((mine, "Ada Lee-class"), (theirs, "Bo Roy-class")):
        player = Player(app.test_client())
        player.start(class_code=code, nickname=name)
        player.play_round(lambda qid: "dubious")
    anonymous = Player(app.test_client())
    anonymous.start(nickname="Cy Web")
    anonymous.play_round(lambda qid: "dubious")
    page = client.get("/teacher/decks/test-deck/results").text
    csv = client.get("/teacher/decks/test-deck/answers.csv").text
    for shown in (page, csv):
        assert "Ada Lee-class" in shown and mine in shown
        assert "Bo Roy-class" not in shown and theirs not in shown and "Cy Web" not in shown
    with app.app_context():
        add_teacher("head", "the admin's password", admin=True)
        db.session.commit()
    admin = app.test_client()
    Auth(admin).login("head", "the admin's password")
    everyone = admin.get("/teacher/decks/test-deck/answers.csv").text
    assert all(name in everyone for name in ("Ada Lee-class", "Bo Roy-class", "Cy Web"))


def test_an_upload_racing_another_teachers_for_the_same_id_is_refused_not_saved(
    app, client, auth, colleague, deck_dir, monkeypatch
):
    """Both find the id free; the colleague's claim lands first: this one is refused in words,
    and the colleague's file is left alone."""
    from quiz.services import ownership

    upload(colleague, deck_yaml(id="same-id", title="Roy's"), "same-id.yaml")
    (deck_dir / "same-id.yaml").rename(deck_dir / "roy-was-first.txt")  # their file, not yet written
    real, calls = ownership.owner_of, []

    def read_before_the_colleagues_commit(deck_id):  # type: ignore[no-untyped-def]
        calls.append(deck_id)
        return None if len(calls) == 1 else real(deck_id)

    monkeypatch.setattr(ownership, "owner_of", read_before_the_colleagues_commit)
    auth.login()
    page = upload(client, deck_yaml(id="same-id", title="Lee's"), "same-id.yaml")
    assert page.status_code == 400
    assert "another teacher has just uploaded a deck with the id" in page.text.replace("&#39;", "'")
    assert not (deck_dir / "same-id.yaml").exists()
