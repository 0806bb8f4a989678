"""Apps for tests: on SQLite, or on a scratch PostgreSQL database where a server answers."""

import os
import uuid
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from companion import create_app

POSTGRES_SERVER = os.environ.get(
    "COMPANION_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TEST_ENV = {"COMPANION_DEMO": "1", "SECRET_KEY": "test-secret-key-" + "x" * 32}


def _postgres_answers() -> bool:
    engine = create_engine(POSTGRES_SERVER, connect_args={"connect_timeout": 2})
    try:
        with engine.connect():
            return True
    except OperationalError:
        if "COMPANION_TEST_POSTGRES_URL" in os.environ:
            raise
        return False
    finally:
        engine.dispose()


ENGINES = ["sqlite", "postgresql"] if _postgres_answers() else ["sqlite"]
if os.environ.get("COMPANION_TEST_ENGINES"):  # e.g. "sqlite" while iterating
    ENGINES = [e for e in ENGINES if e in os.environ["COMPANION_TEST_ENGINES"].split(",")]


@contextmanager
def scratch_postgres_database():
    """A new, empty PostgreSQL database, dropped afterwards."""
    name = f"companion_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_SERVER.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(database_url: str, tmp_path, **extra):
    settings = {
        "ENV": TEST_ENV,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": database_url,
    } | extra
    return create_app(settings, instance_path=str(tmp_path / "instance"))
