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
