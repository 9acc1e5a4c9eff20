"""Class mode: the teacher paces a live round on the projector, every phone follows."""

from __future__ import annotations

import re

import pytest

from quiz.extensions import db, decks
from quiz.models import Answer, LiveRound, PlaySession
from quiz.services.accounts import add_teacher

from .conftest import TEACHER_PASSWORD, Player


@pytest.fixture
def klass(app, client, auth):
    """A class of the test deck, its teacher logged in on `client` (the projector)."""
    auth.login()
    response = client.post("/teacher/classes", data={"name": "Year 9 Science", "deck": "test-deck"})
    class_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        from quiz.models import Classroom

        code = db.session.get(Classroom, class_id).code
    return class_id, code


def join(app, code: str, name: str) -> Player:
    student = Player(app.test_client())
    response = student.start(class_code=code, nickname=name)
    assert response.status_code == 302, response.text
    return student


def page_of(student: Player) -> str:
    return student.client.get(student.url, follow_redirects=True).text


def live_round(app) -> LiveRound:
    with app.app_context():
        return db.session.scalar(db.select(LiveRound).order_by(LiveRound.id.desc()))


def verdict_of(app, qid: str) -> str:
    with app.app_context():
        return decks.get("test-deck").question(qid).answer


def claim_of(app, qid: str) -> str:
    with app.app_context():
        return decks.get("test-deck").question(qid).claim


def test_a_whole_live_round_from_the_lobby_to_the_summary(app, client, klass):
    class_id, code = klass
    assert "Start live round" in client.get(f"/teacher/classes/{class_id}").text
    host = client.post(f"/teacher/classes/{class_id}/live", follow_redirects=True).text
    assert "Join on your phone" in host and code in host and "<svg" in host and f"/join/{code}" in host

    maya = join(app, code, "Maya")
    maya_two = join(app, code, "Maya")
    ben = join(app, code, "Ben")
    assert "You joined Year 9 Science as Maya (2)." in page_of(maya_two)
    for student in (maya, maya_two, ben):
        assert "Waiting for your teacher" in page_of(student)
    host = client.get(f"/teacher/classes/{class_id}/live").text
    assert "<li>Maya</li><li>Maya (2)</li><li>Ben</li>" in host and "3</span> joined" in host

    # Next claim: the same claim on the projector and on every phone.
    client.post(f"/teacher/classes/{class_id}/live/next")
    qid = live_round(app).current_question_id
    claim = claim_of(app, qid)
    assert claim in client.get(f"/teacher/classes/{class_id}/live").text
    for student in (maya, maya_two, ben):
        assert student.current_question_id() == qid
    # A student who joins late joins at the claim on show.
    late = join(app, code, "Cy")
    assert late.current_question_id() == qid

    right = verdict_of(app, qid)
    wrong = "plausible" if right == "dubious" else "dubious"
    for student, choice in ((maya, right), (maya_two, wrong)):
        response = student.answer(qid, choice)
        assert response.headers["Location"].endswith(student.url)
        assert "Answer saved: wait for your teacher to show the answer." in page_of(student)
    assert (
        "2</span> of <span data-joined-count>4</span> answered"
        in client.get(f"/teacher/classes/{class_id}/live").text
    )

    # Show the answer: the votes as counted, no more answers, each phone its own reveal.
    client.post(f"/teacher/classes/{class_id}/live/show")
    host = client.get(f"/teacher/classes/{class_id}/live").text
    votes = dict(
        re.findall(r'vote-(plausible|dubious)">.*?<span class="vote-count">(\d+)</span>', host, re.S)
    )
    with app.app_context():
        stored = {
            c: n
            for c, n in db.session.execute(db.select(Answer.choice, db.func.count()).group_by(Answer.choice))
        }
    assert {k: int(v) for k, v in votes.items() if int(v)} == stored
    assert "Talk about it:" in host
    assert ben.answer(qid, right).headers["Location"].endswith(ben.url)
    assert "Too late for that claim" in page_of(ben)
    assert "you did not answer this one" in page_of(ben)
    assert "/reveal/" in maya.client.get(maya.url).headers["Location"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 2

    # Next, then End: every phone gets its summary, the projector the room's.
    client.post(f"/teacher/classes/{class_id}/live/next")
    second = live_round(app).current_question_id
    assert second != qid and maya.current_question_id() == second
    client.post(f"/teacher/classes/{class_id}/live/end")
    assert "Your results, Maya" in page_of(maya)
    host = client.get(f"/teacher/classes/{class_id}/live").text
    assert "The room's round" in host and "The claims that fooled the room" in host
    # The live round's answers feed the class results like any other round.
    results = client.get(f"/teacher/classes/{class_id}").text
    assert "Maya (2)" in results and "<td>1 of 1</td>" in results


def test_the_step_poll_is_a_tiny_answer_and_304_while_nothing_changed(app, client, klass):
    class_id, code = klass
    client.post(f"/teacher/classes/{class_id}/live")
    student = join(app, code, "Ada")
    first = student.client.get(f"{student.url}/step")
    assert first.status_code == 200 and first.text == "1" and first.headers["ETag"] == '"v1"'
    assert "Set-Cookie" not in first.headers
    same = student.client.get(f"{student.url}/step", headers={"If-None-Match": '"v1"'})
    assert same.status_code == 304 and same.data == b""
    client.post(f"/teacher/classes/{class_id}/live/next")
    moved = student.client.get(f"{student.url}/step", headers={"If-None-Match": '"v1"'})
    assert moved.status_code == 200 and moved.text == "2"


def test_waiting_pages_refresh_themselves_without_javascript(app, client, klass):
    class_id, code = klass
    client.post(f"/teacher/classes/{class_id}/live")
    page = page_of(join(app, code, "Ada"))
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "live.js" in page


def test_only_the_classs_teacher_moves_the_round_on(app, client, klass):
    class_id, code = klass
    client.post(f"/teacher/classes/{class_id}/live")
    student = join(app, code, "Ada")
    # A student (no teacher login) is sent to the login page, and nothing moves.
    assert (
        "/teacher/login" in student.client.post(f"/teacher/classes/{class_id}/live/next").headers["Location"]
    )
    with app.app_context():
        add_teacher("mr-kim", "another password")
        db.session.commit()
    other = app.test_client()
    other.post("/teacher/login", data={"username": "mr-kim", "password": "another password"})
    for action in ("next", "show", "end"):
        assert other.post(f"/teacher/classes/{class_id}/live/{action}").status_code == 404
    assert other.get(f"/teacher/classes/{class_id}/live").status_code == 404
    assert live_round(app).phase == "lobby"


def test_a_student_of_another_class_cannot_answer_in_this_one(app, client, klass, teacher):
    class_id, code = klass
    other_class = client.post("/teacher/classes", data={"name": "Year 10", "deck": "test-deck"})
    other_id = int(other_class.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/teacher/classes/{class_id}/live")
    client.post(f"/teacher/classes/{class_id}/live/next")
    qid = live_round(app).current_question_id
    with app.app_context():
        from quiz.models import Classroom

        other_code = db.session.get(Classroom, other_id).code
    outsider = join(app, other_code, "Zed")  # a self-paced round of the other class
    with app.app_context():
        outsider_round = db.session.scalar(db.select(PlaySession).where(PlaySession.nickname == "Zed"))
        assert outsider_round.live_round_id is None and outsider_round.classroom_id == other_id
    # This class's players' rounds are not in the outsider's cookie.
    insider = join(app, code, "Ann")
    assert (
        outsider.client.post(
            f"{insider.url}/answer", data={"question_id": qid, "choice": "dubious"}
        ).status_code
        == 404
    )
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 0


def test_the_teacher_resumes_from_another_device_and_after_a_reload(app, client, klass):
    class_id, code = klass
    client.post(f"/teacher/classes/{class_id}/live")
    client.post(f"/teacher/classes/{class_id}/live/next")
    claim = claim_of(app, live_round(app).current_question_id)
    laptop = app.test_client()
    laptop.post("/teacher/login", data={"username": "ms-lee", "password": TEACHER_PASSWORD})
    assert claim in laptop.get(f"/teacher/classes/{class_id}/live").text
    assert "Continue the live round" in laptop.get(f"/teacher/classes/{class_id}").text
    # Start live round again resumes the round running, it does not start another.
    laptop.post(f"/teacher/classes/{class_id}/live")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(LiveRound)) == 1


def test_a_second_next_claim_before_the_answer_changes_nothing(app, client, klass):
    class_id, _ = klass
    client.post(f"/teacher/classes/{class_id}/live")
    client.post(f"/teacher/classes/{class_id}/live/next")
    first = live_round(app)
    client.post(f"/teacher/classes/{class_id}/live/next")  # a double press
    again = live_round(app)
    assert (again.step, again.phase, again.version) == (first.step, first.phase, first.version)


def test_a_name_is_required_in_a_class_with_a_message(app, klass):
    _, code = klass
    student = Player(app.test_client())
    page = student.start(class_code=code)
    assert page.status_code == 400
    assert "Type your name: your teacher sees it beside your answers." in page.text


def test_a_closed_class_refuses_its_code_and_reopens(app, client, klass):
    class_id, code = klass
    client.post(f"/teacher/classes/{class_id}/close")
    refused = Player(app.test_client()).start(class_code=code, nickname="Ada")
    assert (
        refused.status_code == 400
        and "“Year 9 Science” is closed: ask your teacher for a new code." in refused.text
    )
    link = app.test_client().get(f"/join/{code}")
    assert link.status_code == 404 and "is closed" in link.text
    assert "Reopen the class" in client.get(f"/teacher/classes/{class_id}").text
    client.post(f"/teacher/classes/{class_id}/open")
    assert Player(app.test_client()).start(class_code=code, nickname="Ada").status_code == 302


def test_the_join_link_puts_the_code_first_and_names_the_class(app, klass):
    _, code = klass
    for address in (f"/join/{code}", f"/?code={code}"):
        page = app.test_client().get(address).text
        assert "Join Year 9 Science" in page
        assert page.index('id="class_code"') < page.index('id="nickname"')
        assert f'value="{code}"' in page
        assert 'name="deck"' not in page  # the class decides the deck


def test_the_same_phone_joining_twice_gets_back_to_its_round(app, client, klass):
    class_id, code = klass
    client.post(f"/teacher/classes/{class_id}/live")
    student = join(app, code, "Ada")
    first = student.token
    again = student.client.post("/play", data={"class_code": code, "nickname": "Ada"})
    assert again.headers["Location"].endswith(f"/play/{first}")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(PlaySession)) == 1


def test_names_are_told_apart_whatever_their_case(app, client, klass):
    _, code = klass
    join(app, code, "Maya")
    join(app, code, "maya")
    join(app, code, "MAYA")
    with app.app_context():
        names = list(db.session.scalars(db.select(PlaySession.nickname).order_by(PlaySession.id)))
    assert names == ["Maya", "maya (2)", "MAYA (3)"]


def test_on_a_shared_computer_the_next_student_is_asked_before_continuing(app, client, klass):
    """The resume offer names the player, and "New player" closes their round for the next one (a
    button whose name does not contain "Start", so the Start button stays the only one)."""
    _, code = klass
    maya = join(app, code, "Maya")
    home = maya.client.get("/")
    assert "Continue Maya’s round?" in home.text and "Not Maya?" in home.text
    assert re.findall(r"<button[^>]*>([^<]*Start[^<]*)</button>", home.text) == ["Start"]
    response = maya.client.post("/play/start-over")
    assert response.status_code == 302
    home = maya.client.get("/")
    assert "Continue Maya" not in home.text and "The last player’s round is closed" in home.text
    assert maya.client.get(maya.url).status_code == 404
    with app.app_context():
        closed = db.session.scalar(db.select(PlaySession).where(PlaySession.token == maya.token))
        assert closed.abandoned_at is not None  # closed for good, not only forgotten


def test_a_teachers_login_ends_with_the_browser_even_after_a_round_of_their_own(app, auth):
    """The round cookie lasts a week; when it also holds a teacher's login, it must not."""
    auth.login()
    response = auth.client.post("/play", data={"deck": "test-deck"})
    assert response.status_code == 302
    cookie = auth.client.get_cookie("session")
    assert cookie is not None and cookie.expires is None


def test_a_class_round_ends_when_the_browser_closes(app, klass):
    """A class round's cookie is a browser-session cookie (a week-long one for rounds of one's own),
    and a personal round started after it leaves the class round out of the lasting cookie."""
    _, code = klass
    maya = join(app, code, "Maya")
    cookie = maya.client.get_cookie("session")
    assert cookie is not None and cookie.expires is None
    response = maya.client.post("/play", data={"deck": "test-deck"})
    assert "Expires=" in response.headers["Set-Cookie"]
    # The lasting cookie holds no class round: a restarted browser cannot continue it.
    assert maya.client.get(maya.url).status_code == 404
