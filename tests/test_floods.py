"""Floods: an anonymous client cannot grow the database without limit. Round starts and class-code
guesses are limited per address (in the database, so every worker counts alike), rounds nobody
answered are cleared after a day, and `quiz prune` removes rounds past the retention period."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz import create_app
from quiz.extensions import db
from quiz.models import Answer, AnswerTally, Classroom, PlaySession, RateCount, utcnow
from quiz.services import limits, retention, tallies
from quiz.services.accounts import add_teacher

from .conftest import Player


def make_class() -> Classroom:
    """A class with the code KQ7RTA (inside an app context)."""
    teacher = add_teacher(f"t{db.session.scalar(db.select(db.func.count(Classroom.id)))}", "a long password")
    classroom = Classroom(code="KQ7RTA", name="7B", deck_id="test-deck", teacher_id=teacher.id)
    db.session.add(classroom)
    db.session.commit()
    return classroom


def app_with(app_config, **settings):  # type: ignore[no-untyped-def]
    """An app over the test database with these settings (another worker, in effect)."""
    app = create_app({**app_config, **settings})
    with app.app_context():
        db.create_all()
    return app


def starts(client, count: int, address: str = "203.0.113.7") -> list[int]:
    return [
        client.post("/play", data={"deck": "test-deck"}, environ_base={"REMOTE_ADDR": address}).status_code
        for _ in range(count)
    ]


def test_a_class_behind_one_router_can_start_its_rounds(client):
    """90 students sharing the school's address, each starting a few rounds, are never refused."""
    assert set(starts(client, 270)) == {302}


def test_a_flood_of_round_starts_from_one_address_gets_a_429_that_says_when(app_config):
    app = app_with(app_config, ROUND_START_LIMIT=5)
    client = app.test_client()
    assert starts(client, 5) == [302] * 5
    page = client.post("/play", data={"deck": "test-deck"}, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert page.status_code == 429
    assert "Too many rounds were started from your network. Try again in " in page.text
    assert 1 <= int(page.headers["Retry-After"]) <= 1200  # within two 10-minute windows
    # Another address (another school) is not held up; every worker sees the same count.
    assert starts(client, 1, "198.51.100.2") == [302]
    twin = app_with(app_config, ROUND_START_LIMIT=5).test_client()
    assert starts(twin, 1) == [429]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(PlaySession.id))) == 6


def test_class_codes_cannot_be_guessed_at_speed(app_config):
    app = app_with(app_config, CODE_GUESS_LIMIT=3)
    with app.app_context():
        make_class()
    client = app.test_client()
    for guess in ("AAAAAA", "CCCCCC", "DDDDDD"):
        page = client.post("/play", data={"class_code": guess, "nickname": "x"})
        assert page.status_code == 400 and "No class uses the code" in page.text
    page = client.post("/play", data={"class_code": "KQ7RTA", "nickname": "x"})
    assert page.status_code == 429
    assert "Too many wrong class codes from your network. Try again in " in page.text
    assert client.get("/join/EEEEEE").status_code == 429  # the join link is no way round it
    other = client.post(
        "/play", data={"class_code": "KQ7RTA", "nickname": "x"}, environ_base={"REMOTE_ADDR": "10.1.1.1"}
    )
    assert other.status_code == 302


def test_the_right_code_costs_no_guess(app_config):
    app = app_with(app_config, CODE_GUESS_LIMIT=1)
    with app.app_context():
        make_class()
    client = app.test_client()
    for name in ("Ana", "Ben", "Cy"):
        assert client.post("/play", data={"class_code": "kq7rta", "nickname": name}).status_code == 302


def age(app, token: str, days: float, *, finished: bool = False) -> None:
    with app.app_context():
        play = db.session.scalar(db.select(PlaySession).where(PlaySession.token == token))
        play.started_at = utcnow() - timedelta(days=days)
        if finished:
            play.finished_at = play.started_at
        db.session.commit()


def tokens(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(db.select(PlaySession.token)))


@pytest.fixture
def rounds_of_every_age(app, client):
    """An unanswered round of 2 days, an answered one of 2 days, one of 400 days, and a class's
    round of 400 days."""
    made = {}
    for name in ("unanswered", "answered", "old", "class"):
        player = Player(app.test_client())
        player.start()
        if name != "unanswered":
            player.answer(player.current_question_id(), "dubious")
        made[name] = player.token
    age(app, made["unanswered"], 2)
    age(app, made["answered"], 2)
    age(app, made["old"], 400, finished=True)
    age(app, made["class"], 400, finished=True)
    with app.app_context():
        classroom = make_class()
        play = db.session.scalar(db.select(PlaySession).where(PlaySession.token == made["class"]))
        play.classroom_id = classroom.id
        db.session.flush()
        tallies.rebuild()  # the round was moved into the class behind the app's back
        db.session.add(
            RateCount(kind="start", key="x", slot=1, count=3, expires_at=utcnow() - timedelta(hours=1))
        )
        db.session.commit()
    return made


def test_quiz_prune_removes_unanswered_and_old_rounds_and_keeps_class_rounds(
    app, runner, rounds_of_every_age
):
    made = rounds_of_every_age
    fresh = Player(app.test_client())
    fresh.start()  # unanswered, but only just started: it stays
    result = runner.invoke(args=["prune"])
    assert result.exit_code == 0, result.output
    assert (
        "removed 1 unanswered round(s) older than a day, 1 round(s) older than 365 days "
        "(QUIZ_RETENTION_DAYS) and 1 ended throttle count(s)"
    ) in result.output
    assert tokens(app) == {made["answered"], made["class"], fresh.token}
    with app.app_context():
        orphans = db.session.scalar(
            db.select(db.func.count(Answer.id)).where(~Answer.session_id.in_(db.select(PlaySession.id)))
        )
        assert orphans == 0  # the old round's answers went with it


def test_the_retention_is_configurable(app, runner, rounds_of_every_age, monkeypatch):
    app.config["RETENTION_DAYS"] = 1
    runner.invoke(args=["prune"])
    assert tokens(app) == {rounds_of_every_age["class"]}


def test_starting_rounds_clears_rounds_left_unanswered_for_a_day(app, client, monkeypatch):
    """Where nobody runs `quiz prune`, a flood of unanswered starts is cleared by later starts."""
    player = Player(client)
    player.start()
    age(app, player.token, 2)
    monkeypatch.setattr("quiz.round.views.PRUNE_CHANCE", 1.0)
    Player(app.test_client()).start()
    assert player.token not in tokens(app)


def test_pruning_unanswered_rounds_keeps_every_answered_one(app, client):
    """Old rounds with one answer stay; only the old ones with none go, in batches."""
    made = []
    for answered in (True, False, False, False):
        player = Player(app.test_client())
        player.start()
        if answered:
            player.answer(player.current_question_id(), "dubious")
        age(app, player.token, 3)
        made.append(player.token)
    with app.app_context():
        assert retention.prune_some_unanswered(utcnow(), batch=2) == 2
        assert retention.prune_some_unanswered(utcnow(), batch=2) == 1
        db.session.commit()
    assert made[0] in tokens(app) and not set(made[1:]) & tokens(app)


def test_a_burst_across_the_edge_of_a_window_is_not_let_through_twice(app):
    """A fixed window would let 2 x the limit through around its edge; counting the window before
    too does not, and the wait it gives is the wait there is."""
    limit = limits.Limit("test", 5, 60)
    edge = 60 * 1_000_000
    with app.app_context():
        for moment in (edge - 1.5, edge - 1, edge - 0.5, edge + 0.2, edge + 0.3):
            assert limits.hit(limit, "k", moment) is None
        wait = limits.hit(limit, "k", edge + 0.4)
        assert wait is not None and 1 <= wait <= 60
        assert limits.hit(limit, "k", edge + 0.4 + wait - 2) is not None
        assert limits.hit(limit, "k", edge + 0.4 + wait) is None  # as the 429 page says


@given(st.lists(st.floats(min_value=0, max_value=600), min_size=1, max_size=40))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_span_of_a_window_lets_more_than_the_limit_through(app, moments):
    limit = limits.Limit("prop", 3, 60)
    key = f"k{random.random()}"
    allowed = []
    with app.app_context():
        for moment in sorted(moments):
            if limits.hit(limit, key, 1_000_000.0 + moment) is None:
                allowed.append(moment)
        db.session.rollback()
    assert all(sum(1 for t in allowed if now - 60 < t <= now) <= 3 for now in allowed)
    assert allowed[:3] == sorted(moments)[:3]  # the first three always pass


def test_tries_sent_at_once_are_counted_one_after_another(app):
    """Each try is counted before it is judged: a sixth never passes, whatever the timing."""
    limit = limits.Limit("race", 5, 60)
    with app.app_context():
        outcomes = [limits.hit(limit, "k", 1_000_000.0) for _ in range(8)]
        db.session.commit()
        stored = db.session.scalar(db.select(RateCount.count).where(RateCount.kind == "race"))
    assert outcomes[:5] == [None] * 5 and all(outcomes[5:])
    assert stored == 5  # refused tries are not counted: they do not stretch the wait


def tally_rows(app) -> list[tuple]:
    with app.app_context():
        return sorted(tuple(row) for row in db.session.execute(db.select(AnswerTally.__table__)).all())


def test_the_answer_tallies_match_the_answers_through_play_and_prune(
    app, client, runner, rounds_of_every_age
):
    """The results pages read the tallies: they must always say what the answers say."""
    for confidence in ("1", "3", ""):
        player = Player(app.test_client())
        player.start()
        qid = player.current_question_id()
        player.client.post(
            f"{player.url}/answer", data={"question_id": qid, "choice": "plausible", "confidence": confidence}
        )
        player.answer(qid, "dubious")  # a second answer to the same question is not counted
    kept = tally_rows(app)
    with app.app_context():
        tallies.rebuild()
        db.session.commit()
    assert tally_rows(app) == kept and sum(row[-1] for row in kept) == 6
    runner.invoke(args=["prune"])
    pruned = tally_rows(app)
    with app.app_context():
        tallies.rebuild()
        db.session.commit()
    assert tally_rows(app) == pruned and sum(row[-1] for row in pruned) == 5


def test_counting_clears_ended_windows_now_and_then(app, monkeypatch):
    """Guesses under ever new usernames make a row each; ended windows do not pile up."""
    monkeypatch.setattr(limits, "PRUNE_CHANCE", 1.0)
    limit = limits.Limit("test", 5, 60)
    with app.app_context():
        for n in range(20):
            limits.hit(limit, f"10.0.0.1 user-{n}", now=1_000_000.0)
        limits.hit(limit, "10.0.0.1 someone", now=1_000_000.0 + 180)
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(RateCount)) == 1


@pytest.mark.parametrize("value", [0, -5, "abc", "1.5", ""])
def test_a_limit_that_is_not_a_whole_number_stops_the_start_with_a_message(app_config, value):
    from quiz.services.limits import SettingError

    with pytest.raises(SettingError, match=r"QUIZ_ROUND_START_LIMIT must be a whole number of 1 or more"):
        create_app({**app_config, "ROUND_START_LIMIT": value})


def test_throttles_count_an_ipv6_home_by_its_64(app_config):
    """One IPv6 home or school holds a whole /64: its addresses do not get a limit each."""
    client = app_with(app_config, ROUND_START_LIMIT=2).test_client()
    codes = [starts(client, 1, f"2001:db8:1:2::{n}")[0] for n in range(1, 4)]
    assert codes == [302, 302, 429]
    assert starts(client, 1, "2001:db8:1:3::1") == [302]  # another /64
