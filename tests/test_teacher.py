"""The teacher area: login and its throttle, the decks page, classes, results and uploads."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import yaml

from quiz.extensions import db, decks
from quiz.models import Classroom, PlaySession
from quiz.services.classes import CODE_ALPHABET

from .conftest import Auth, Player, make_deck, write_deck


def test_login_then_dashboard_lists_decks_with_balance(client, auth):
    response = auth.login()
    assert response.headers["Location"].endswith("/teacher/")
    page = client.get("/teacher/")
    assert "Test deck" in page.text
    assert "6 / 6" in page.text
    assert "Valid" in page.text


def test_wrong_password_is_refused_with_a_message(client, auth):
    page = auth.login(password="wrong password")
    assert page.status_code == 401
    assert "Wrong username or password." in page.text
    assert client.get("/teacher/").status_code == 302


def test_logout_is_a_post_and_ends_the_session(client, auth):
    auth.login()
    assert client.get("/teacher/logout").status_code == 405
    auth.logout()
    assert "/teacher/login" in client.get("/teacher/").headers["Location"]


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "\\\\evil.example",
        "/%0d%0aSet-Cookie:x",
    ],
)
def test_login_next_never_leaves_the_site(auth, target):
    location = auth.login(next=target).headers["Location"]
    assert location in ("/teacher/", target) and location.startswith("/")
    assert not location.startswith("//") and "\\" not in location


def test_login_next_goes_to_a_local_page(auth):
    assert auth.login(next="/teacher/upload").headers["Location"] == "/teacher/upload"


def test_five_failed_logins_lock_the_address_for_a_minute(client, auth):
    for _ in range(5):
        assert auth.login(password="nope").status_code == 401
    assert auth.login().status_code == 429
    other = client.application.test_client()
    response = other.post(
        "/teacher/login",
        data={"username": "ms-lee", "password": "correct horse battery"},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert response.status_code == 302


def test_throttle_is_shared_through_the_database(app, auth):
    for _ in range(5):
        auth.login(password="nope")
    # Another app instance (another worker process) on the same database sees the lock-out too.
    from quiz import create_app

    twin = create_app(dict(app.config)).test_client()
    response = twin.post("/teacher/login", data={"username": "ms-lee", "password": "correct horse battery"})
    assert response.status_code == 429


def test_a_lockout_does_not_stop_another_teacher_behind_the_same_router(app, client, auth):
    from quiz.services.accounts import add_teacher

    with app.app_context():
        add_teacher("mr-roy", "another long password")
        db.session.commit()
    for _ in range(5):
        auth.login(password="nope")  # someone guessing ms-lee's password, from the school's address
    assert auth.login().status_code == 429
    assert auth.login(username="MS-LEE ", password="nope").status_code == 429  # the same username
    colleague = app.test_client()  # same address (the router's), another teacher
    assert Auth(colleague).login("mr-roy", "another long password").status_code == 302


def test_the_teachers_own_browser_is_not_locked_out_by_a_guesser_on_the_same_router(app, client, auth):
    auth.login()
    auth.logout()  # this browser has logged in as ms-lee before
    guesser = Auth(app.test_client())
    for _ in range(5):
        guesser.login(password="nope")
    assert guesser.login().status_code == 429
    assert auth.login().status_code == 302


def test_the_429_page_says_when_to_try_again(auth):
    for _ in range(5):
        auth.login(password="nope")
    page = auth.login()
    assert page.status_code == 429
    wait = int(page.headers["Retry-After"])
    assert 1 <= wait <= 121  # a sliding window: the failures weigh in for up to two minutes
    assert "Too many wrong passwords for this username. Try again in " in page.text


def teacher_urls(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("teacher.") or rule.endpoint == "teacher.login":
            continue
        values = {"deck_id": "test-deck", "class_id": 1}
        urls.append((rule.rule, rule.methods, rule.build(values)[1]))
    return urls


def test_every_teacher_page_sends_a_student_to_the_login(app, client):
    with app.app_context():
        db.session.add(Classroom(code="ABCDEF", name="7B", deck_id="test-deck", teacher_id=1))
    urls = teacher_urls(app)
    assert len(urls) >= 8
    for rule, methods, url in urls:
        method = "GET" if "GET" in methods else "POST"
        response = client.open(url, method=method)
        assert response.status_code == 302, rule
        assert "/teacher/login" in response.headers["Location"], rule


def test_deck_preview_shows_each_question_with_its_answer(client, auth):
    auth.login()
    page = client.get("/teacher/decks/test-deck")
    assert page.text.count('class="panel preview"') == 12
    assert "Explanation 7: the sources say it is dubious." in page.text
    assert "badge-dubious" in page.text and "badge-plausible" in page.text


def test_dashboard_lists_a_broken_file_with_its_line(client, auth, deck_dir):
    (deck_dir / "broken.yaml").write_text(
        'title: "B"\nquestions:\n  - id: x\n    claim: c\n    answer: maybe\n'
    )
    auth.login()
    page = client.get("/teacher/")
    assert "broken.yaml" in page.text
    assert (
        "broken.yaml:5: question &#39;x&#39;: answer must be plausible or dubious, not &#39;maybe&#39;"
        in page.text
    )


def create_class(app, client, name="7B") -> tuple[int, str]:
    """Make a class for the test deck as the logged-in teacher; its id and join code."""
    response = client.post("/teacher/classes", data={"name": name, "deck": "test-deck"})
    class_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        return class_id, db.session.get(Classroom, class_id).code


def test_new_class_gets_a_six_character_code_without_look_alikes(app, client, auth):
    auth.login()
    class_id, code = create_class(app, client)
    assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)
    assert not set(code) & set("0O1IL")
    assert code in client.get(f"/teacher/classes/{class_id}").text


def test_students_join_a_class_with_its_code_in_any_case(app, client, auth):
    auth.login()
    class_id, code = create_class(app, client)
    student = Player(app.test_client())
    student.start(class_code=f" {code.lower()} ", nickname="Sam")
    with app.app_context():
        play = db.session.scalar(db.select(PlaySession))
        assert (play.classroom_id, play.mode, play.nickname) == (class_id, "class", "Sam")


def test_class_results_match_hand_computed_figures(app, client, auth):
    auth.login()
    class_id, code = create_class(app, client)
    doubter = Player(app.test_client())
    doubter.start(class_code=code, nickname="Doubter")
    doubter.play_round(lambda qid: "dubious")
    truster = Player(app.test_client())
    truster.start(class_code=code, nickname="Truster")
    first = truster.current_question_id()
    truster.answer(first, "plausible")
    page = client.get(f"/teacher/classes/{class_id}").text
    # The doubter: 5 of 10 right, every dubious caught, no plausible trusted: sceptical.
    row = re.search(r"<td>Doubter</td>(.*?)</tr>", page, re.S).group(1)
    assert "<td>5 of 10</td>" in row and "<td>5 of 5</td>" in row and "<td>0 of 5</td>" in row
    assert "<td>sceptical</td>" in row and "<td>finished</td>" in row
    assert "no better than guessing" in row  # every dubious caught, but every true claim doubted
    row = re.search(r"<td>Truster</td>(.*?)</tr>", page, re.S).group(1)
    assert "answered 1 of 10" in row
    # Someone is still playing, so the page refreshes itself.
    assert 'http-equiv="refresh"' in page
    # Every plausible claim the doubter saw fooled them: 100% fooled, 1 of 1.
    assert "100% fooled (1 of 1)" in page


@pytest.mark.parametrize(
    ("nickname", "shielded", "live"),
    [
        ('=HYPERLINK("http://evil.example","x")', "'=HYPERLINK", ',"=HYPERLINK'),
        # A spreadsheet whose locale splits cells on ";" would read "x;=1+1;" as a formula cell.
        ("x;=1+1;", "x;'=1+1;", ";=1+1"),
    ],
    ids=["comma locale", "semicolon locale"],
)
def test_results_csv_has_every_answer_with_formulas_made_inert(app, client, auth, nickname, shielded, live):
    auth.login()
    class_id, code = create_class(app, client)
    player = Player(app.test_client())
    player.start(class_code=code, nickname=nickname)
    player.play_round(lambda qid: "dubious")
    response = client.get(f"/teacher/classes/{class_id}/answers.csv")
    assert response.mimetype == "text/csv"
    lines = response.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("session,nickname,class_code,question_id")
    assert len(lines) == 11
    assert all(shielded in line and live not in line for line in lines[1:])


def test_a_teacher_cannot_see_another_teachers_class(app, client, auth):
    from quiz.services.accounts import add_teacher

    auth.login()
    class_id, _ = create_class(app, client)
    with app.app_context():
        add_teacher("mr-kim", "another password")
        db.session.commit()
    other = app.test_client()
    other.post("/teacher/login", data={"username": "mr-kim", "password": "another password"})
    assert other.get(f"/teacher/classes/{class_id}").status_code == 404


def upload(client, content: bytes | str, filename: str, **extra):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        "/teacher/upload",
        data={"file": (io.BytesIO(data), filename), **extra},
        content_type="multipart/form-data",
    )


def deck_yaml(**overrides) -> str:
    return yaml.safe_dump(make_deck(**overrides), sort_keys=False)


def test_upload_of_a_valid_deck_saves_it_under_its_id_and_plays_it(client, auth, deck_dir):
    auth.login()
    response = upload(client, deck_yaml(id="my-deck", title="My deck"), "anything at all.yaml")
    assert response.headers["Location"].endswith("/teacher/decks/my-deck")
    assert (deck_dir / "my-deck.yaml").exists()
    assert "My deck" in client.get("/").text


def test_upload_of_a_csv_is_converted_and_saved(client, auth, deck_dir):
    auth.login()
    csv_text = (
        "id,title,claim,context,image_credit,answer,explanation,red_flags,source_title,source_url\n"
        'a,,"Claim A, with a comma",,,plausible,Because.,,Src,https://example.org/a\n'
        "b,,Claim B,,,dubious,Not so.,fabricated,Src,https://example.org/b\n"
    )
    response = upload(client, csv_text, "Class quiz.csv")
    assert response.headers["Location"].endswith("/teacher/decks/class-quiz")
    saved = yaml.safe_load((deck_dir / "class-quiz.yaml").read_text())
    assert [q["claim"] for q in saved["questions"]] == ["Claim A, with a comma", "Claim B"]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        ('title: "x"\nquestions: [unclosed\n', "broken.yaml", "broken.yaml:3: not valid YAML"),
        (
            deck_yaml().replace("title: Test deck", "title: !!python/object/apply:os.system ['id']"),
            "evil.yaml",
            "is not allowed in deck files",
        ),
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
            "bomb.yaml",
            "aliases (*name) are not allowed in deck files",
        ),
        (
            deck_yaml().replace("https://example.org/source/1", "javascript:alert(1)"),
            "js.yaml",
            "url must be a web address starting with http:// or https://",
        ),
        (b"title: caf\xe9\n", "latin.yaml", "latin.yaml:1: not UTF-8 text"),
        ("whatever", "notes.docx", "choose the format"),
        ("title: " + "[" * 500 + "]" * 500 + "\n", "nested.yaml", "nested.yaml:1: not valid YAML: nested"),
        (
            '// quiz: {"red_flags": ' + "[" * 100_000 + "]" * 100_000 + "}\n::Q:: A claim. {T}\n",
            "nested.gift",
            "nested.gift:1: the '// quiz:' comment: nested too deeply",
        ),
    ],
    ids=[
        "broken-yaml",
        "python-tag",
        "alias-bomb",
        "javascript-url",
        "not-utf8",
        "unknown-type",
        "nested-yaml",
        "nested-gift-json",
    ],
)
def test_upload_of_a_bad_file_is_refused_with_a_message_and_writes_nothing(
    client, auth, deck_dir, content, filename, message
):
    auth.login()
    before = sorted(p.name for p in deck_dir.iterdir())
    page = upload(client, content, filename)
    assert page.status_code == 400
    assert "Not saved" in page.text
    assert message in page.text.replace("&#39;", "'")
    assert sorted(p.name for p in deck_dir.iterdir()) == before


def test_upload_of_a_csv_reports_problems_at_the_lines_of_the_csv(client, auth, deck_dir):
    auth.login()
    csv_text = (
        "id,claim,answer,explanation,source_title,source_url\n"
        "a,Claim A,plausible,Because.,Src,https://example.org/a\n"
        'b,"Claim B\non two lines",maybe,Not so.,Src,https://example.org/b\n'
        "c,Claim C,dubious,,Src,ftp://example.org/c\n"
    )
    page = upload(client, csv_text, "quiz.csv")
    assert page.status_code == 400
    text = page.text.replace("&#39;", "'")
    assert "quiz.csv:3: question 'b': answer must be plausible or dubious, not 'maybe'" in text
    assert "quiz.csv:5: question 'c': explanation is empty" in text
    assert "quiz.csv:5: question 'c': source 1: url must be a web address" in text


def test_upload_of_gift_reports_problems_at_the_lines_of_the_gift_file(client, auth, deck_dir):
    auth.login()
    gift_text = (
        "::One:: A fine claim. {T####Because. https://example.org/one}\n\n"
        '// quiz: {"difficulty": "extreme"}\n'
        "::Two:: Another claim. {F####Not so. https://example.org/two}\n"
    )
    page = upload(client, gift_text, "quiz.gift")
    assert page.status_code == 400
    text = page.text.replace("&#39;", "'")
    assert "quiz.gift:3: question 'two': difficulty must be easy, medium or hard, not 'extreme'" in text


def test_upload_that_would_make_a_deck_file_over_the_limit_is_refused(client, auth, deck_dir):
    auth.login()
    # A short GIFT question takes three times its size as a deck file: under 1 MB in, over 1 MB out.
    questions = [f"::Q{n}:: Claim {n}. {{T####Fine. https://example.org/{n}}}" for n in range(15_000)]
    data = "\n\n".join(questions).encode()
    assert len(data) < 1_000_000
    # A raw body: the test client would spool an encoded one this large to a file it never closes.
    body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.gift"\r\n\r\n'
    body += data + b"\r\n--b--\r\n"
    page = client.post("/teacher/upload", data=body, content_type="multipart/form-data; boundary=b")
    assert page.status_code == 400
    assert "over the limit of 1,000,000: split it into smaller files" in page.text
    assert sorted(p.name for p in deck_dir.iterdir()) == ["test-deck.yaml"]


def test_upload_with_a_path_traversal_name_stays_in_the_deck_folder(client, auth, deck_dir, tmp_path):
    auth.login()
    upload(client, deck_yaml(id="safe-name"), "../../../../tmp/evil.yaml")
    assert (deck_dir / "safe-name.yaml").exists()
    assert not (tmp_path / "evil.yaml").exists()
    assert sorted(p.name for p in deck_dir.iterdir()) == ["safe-name.yaml", "test-deck.yaml"]


def test_upload_larger_than_the_limit_is_refused(client, auth, deck_dir):
    auth.login()
    # A raw body (no spooled temporary file in the test client); the server judges its length.
    body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.yaml"\r\n\r\n'
    body += b"#" * 1_100_000 + b"\r\n--b--\r\n"
    page = client.post("/teacher/upload", data=body, content_type="multipart/form-data; boundary=b")
    assert page.status_code == 413
    assert "too large" in page.text
    assert sorted(p.name for p in deck_dir.iterdir()) == ["test-deck.yaml"]


def test_upload_does_not_overwrite_a_deck_unless_asked(client, auth, deck_dir):
    auth.login()
    upload(client, deck_yaml(id="my-deck"), "my-deck.yaml")
    page = upload(client, deck_yaml(id="my-deck", title="Changed"), "my-deck.yaml")
    assert "already exists" in page.text
    assert "Changed" not in (deck_dir / "my-deck.yaml").read_text()
    upload(client, deck_yaml(id="my-deck", title="Changed"), "my-deck.yaml", replace="y")
    assert "Changed" in (deck_dir / "my-deck.yaml").read_text()


def test_add_teacher_command_reads_the_password_from_a_file(runner, app, tmp_path):
    secret = tmp_path / "password"
    secret.write_text("a long enough password\n")
    result = runner.invoke(args=["add-teacher", "mr-park", "--password-file", str(secret)])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    response = client.post(
        "/teacher/login", data={"username": "mr-park", "password": "a long enough password"}
    )
    assert response.headers["Location"].endswith("/teacher/")


def test_add_teacher_command_asks_twice_and_refuses_a_duplicate(runner):
    result = runner.invoke(args=["add-teacher", "mr-park"], input="a long enough password\n" * 2)
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["add-teacher", "mr-park"], input="a long enough password\n" * 2)
    assert result.exit_code == 1
    assert "a teacher called 'mr-park' already exists" in result.output


def test_add_teacher_command_refuses_a_short_password(runner):
    result = runner.invoke(args=["add-teacher", "mr-park"], input="short\nshort\n")
    assert result.exit_code == 1
    assert "at least 8 characters" in result.output


def test_new_deck_file_is_picked_up_without_a_restart(client, deck_dir):
    write_deck(deck_dir, make_deck(id="late-deck", title="Arrived later"), "late.yaml")
    assert "Arrived later" in client.get("/").text


def test_results_leave_out_rounds_with_no_answer_and_claims_that_fooled_nobody(app, client, auth):
    auth.login()
    class_id, code = create_class(app, client)
    gone = Player(app.test_client())
    gone.start(class_code=code, nickname="Gone")  # pressed Start, then walked away
    with app.app_context():
        play = db.session.scalar(db.select(PlaySession).where(PlaySession.token == gone.token))
        play.started_at = play.started_at - timedelta(minutes=30)
        db.session.commit()
    expert = Player(app.test_client())
    expert.start(class_code=code, nickname="Expert")
    with app.app_context():
        verdicts = {q.id: q.answer for q in decks.get("test-deck").questions}
    expert.play_round(verdicts.get)
    page = client.get(f"/teacher/classes/{class_id}").text
    assert "<td>Gone</td>" not in page and "<td>Expert</td>" in page
    assert "1 player" in page
    assert "% fooled" not in page  # a perfect round fooled nobody
    assert 'http-equiv="refresh"' not in page  # nobody is still playing


def test_class_code_typed_with_a_dash_still_joins(app, client, auth):
    auth.login()
    class_id, code = create_class(app, client)
    student = Player(app.test_client())
    student.start(class_code=f"{code[:3].lower()}-{code[3:]}", nickname="Ana")
    with app.app_context():
        assert db.session.scalar(db.select(PlaySession)).classroom_id == class_id


# ---- what fooled the class ---------------------------------------------------------------------


def verdicts_of(app) -> dict[str, str]:
    with app.app_context():
        return {q.id: q.answer for q in decks.get("test-deck").questions}


def test_class_results_show_confident_errors_calibration_and_the_flags_missed_most(app, client, auth):
    auth.login()
    class_id, code = create_class(app, client)
    verdicts = verdicts_of(app)
    for name in ("Ana", "Ben", "Cy"):
        student = Player(app.test_client())
        student.start(class_code=code, nickname=name)
        while (qid := student.current_question_id()) is not None:
            # Everyone believes every dubious claim, very sure; and gets the true ones right.
            student.client.post(
                f"{student.url}/answer", data={"question_id": qid, "choice": "plausible", "confidence": "3"}
            )
    page = client.get(f"/teacher/classes/{class_id}").text
    assert "Confident errors: wrong, and very sure" in page
    assert "100% wrong and very sure (3 of 3)" in page
    assert "When they said <em>Very sure</em> they were right 15 of 30 times (50%)." in page
    assert "They were surer than they were right" in page
    assert "The red flags they missed most" in page and "Fabricated" in page
    assert "They lean trusting" in page and "As a group they did no better than guessing" in page
    assert sum(v == "plausible" for v in verdicts.values()) == 6


def test_a_student_who_answers_faster_than_anyone_can_read_is_flagged(app, client, auth):
    import time

    auth.login()
    class_id, code = create_class(app, client)
    rusher = Player(app.test_client())
    rusher.start(class_code=code, nickname="Rusher")
    reader = Player(app.test_client())
    reader.start(class_code=code, nickname="Reader")
    with app.app_context():  # both rounds began a minute ago, so their pages can be older than now
        for play in db.session.scalars(db.select(PlaySession)):
            play.started_at -= timedelta(minutes=1)
        db.session.commit()
    for student, shown_ago_ms in ((rusher, 300), (reader, 8000)):
        while (qid := student.current_question_id()) is not None:
            shown = int(time.time() * 1000) - shown_ago_ms
            student.client.post(
                f"{student.url}/answer", data={"question_id": qid, "choice": "dubious", "shown": str(shown)}
            )
    page = client.get(f"/teacher/classes/{class_id}").text
    row = re.search(r"<td>Rusher ?(.*?)</tr>", page, re.S).group(1)
    assert "too fast to read" in row
    assert "too fast to read" not in re.search(r"<td>Reader(.*?)</tr>", page, re.S).group(1)
    # Each player's answers, with the time each took.
    detail = re.search(r"<summary>Reader: .*?</details>", page, re.S).group(0)
    assert detail.count("<li>") == 10 and re.search(r"after [789]\.\d s", detail)
