"""Migrations are the schema: upgrade from empty works and matches the models, on each engine."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from companion.extensions import db
from tests.support.apps import make_app, scratch_postgres_database


@pytest.fixture
def empty_database(engine_name, tmp_path):
    if engine_name == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    else:
        with scratch_postgres_database() as url:
            yield url


def test_upgrade_from_empty_matches_the_models(empty_database, tmp_path):
    url = empty_database
    app = make_app(url, tmp_path)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
            tables = set(inspect(connection).get_table_names())
        db.engine.dispose()
    assert diff == []
    assert {"users", "clients", "meetings", "captures", "audit_log"} <= tables


def test_migrated_audit_log_refuses_updates_and_deletes(empty_database, tmp_path):
    url = empty_database
    app = make_app(url, tmp_path)
    assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO audit_log (at, username, role, action, subject, request_id) "
                "VALUES (CURRENT_TIMESTAMP, 'x', 'worker', 'login', '', '')"))
        for statement in ("UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log"):
            with db.engine.connect() as connection:
                try:
                    connection.execute(text(statement))
                    connection.commit()
                    refused = False
                except Exception as error:  # the engines raise different classes
                    refused = "append-only" in str(error)
                    connection.rollback()
            assert refused, statement
        db.engine.dispose()
