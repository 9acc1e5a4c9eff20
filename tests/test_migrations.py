"""The migrations build the schema the models describe, and `quiz init-db` applies them."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from quiz import create_app
from quiz.extensions import db


@pytest.fixture
def migrated_app(app_config):
    app = create_app(app_config)  # app_config names an empty database
    with app.app_context():
        upgrade()
        yield app
        db.engine.dispose()


def test_models_and_migrations_agree(migrated_app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_init_db_command_creates_every_table(app_config):
    app = create_app(app_config)
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(db.inspect(db.engine).get_table_names())
        db.engine.dispose()
    expected = {"play_session", "answer", "teacher", "classroom", "rate_count", "deck_owner", "live_round"}
    assert expected | {"alembic_version"} <= tables


def test_init_db_keeps_existing_data(app_config):
    from quiz.services.accounts import add_teacher

    app = create_app(app_config)
    runner = app.test_cli_runner()
    runner.invoke(args=["init-db"])
    with app.app_context():
        add_teacher("ms-lee", "a long password")
        db.session.commit()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        assert db.session.execute(db.text("select username from teacher")).scalars().all() == ["ms-lee"]
        db.engine.dispose()


def test_the_tally_migration_counts_the_answers_already_stored(app_config):
    """A database with answers from before the tallies gets them counted on upgrade."""
    app = create_app(app_config)
    with app.app_context():
        upgrade(revision="6b8fec232f6e")
        db.session.execute(
            db.text(
                "INSERT INTO play_session (id, token, deck_id, mode, question_order, started_at) "
                "VALUES (1, 't1', 'test-deck', 'web', '[\"q1\", \"q2\"]', '2026-01-01 10:00:00')"
            )
        )
        for qid, choice, correct in (("q1", "dubious", True), ("q2", "dubious", False)):
            db.session.execute(
                db.text(
                    "INSERT INTO answer (session_id, question_id, choice, correct, answered_at) "
                    "VALUES (1, :qid, :choice, :correct, '2026-01-01 10:01:00')"
                ),
                {"qid": qid, "choice": choice, "correct": correct},
            )
        db.session.commit()
        upgrade()
        rows = db.session.execute(
            db.text("SELECT question_id, classroom_id, confidence, choice, correct, count FROM answer_tally")
        ).all()
        db.engine.dispose()
    assert sorted((q, c, lvl, ch, bool(ok), n) for q, c, lvl, ch, ok, n in rows) == [
        ("q1", 0, 0, "dubious", True, 1),
        ("q2", 0, 0, "dubious", False, 1),
    ]
