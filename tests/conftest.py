"""Fixtures: an app per test on SQLite and, where a server answers, on PostgreSQL too."""

import time

import pytest
from flask import g
from sqlalchemy import select, text

from companion import create_app, passwords
from companion.extensions import db
from companion.models import User
from tests.support import world as world_module
from tests.support.apps import (  # noqa: F401  (TEST_ENV and ENGINES for older imports)
    ENGINES,
    POSTGRES_SERVER,
    TEST_ENV,
    make_app,
    scratch_postgres_database,
)


@pytest.fixture(scope="session")
def postgres_url():
    """The scratch database this run's PostgreSQL tests share."""
    with scratch_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_schema(postgres_url):
    """Create the tables once per run; each test then starts from empty tables."""
    app = create_app({"ENV": TEST_ENV, "SQLALCHEMY_DATABASE_URI": postgres_url})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return postgres_url


@pytest.fixture(params=ENGINES)
def engine_name(request):
    return request.param


@pytest.fixture
def database_url(engine_name, tmp_path, request):
    if engine_name == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return request.getfixturevalue("postgres_schema")


@pytest.fixture
def production_hashing():
    """The app's real argon2id parameters for this test (the suite hashes cheaply)."""
    cheap = passwords._hasher
    passwords.use_hasher(passwords.PRODUCTION)
    yield
    passwords.use_hasher(cheap)


@pytest.fixture
def app_settings():
    """Extra settings for the `app` fixture; override in a test module to change them."""
    return {}


@pytest.fixture
def app(database_url, engine_name, tmp_path, app_settings):
    app = make_app(database_url, tmp_path, **app_settings)
    with app.app_context():
        if engine_name == "sqlite":
            db.create_all()
        else:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                # The audit log refuses TRUNCATE; a superuser's replica mode skips its trigger.
                connection.execute(text("SET LOCAL session_replication_role = replica"))
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    """Two teams with every kind of user and client the access rules distinguish."""
    with app.app_context():
        return world_module.build()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username="w1", password=world_module.PASSWORD):
        """The real sign-in: a POST through the form (an argon2 check)."""
        return self._client.post("/login", data={"username": username, "password": password})

    def sign_in(self, username="w1"):
        """A signed-in session without the sign-in form, for tests that are not about it."""
        app = self._client.application
        with app.app_context():
            user_id = db.session.scalar(select(User).where(User.username == username)).get_id()
        with self._client.session_transaction() as session:
            session.clear()
            session.permanent = True
            session.update({"_user_id": user_id, "_fresh": True,
                            "login_at": int(time.time()), "seen": int(time.time())})
        g.pop("_login_user", None)  # pytest-flask keeps one app context, and g, across requests

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def sign_in(auth, world):
    """`sign_in("w1")`: a session for one of the world's users, without the password check."""
    return auth.sign_in
