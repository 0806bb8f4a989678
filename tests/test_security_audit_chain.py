"""The audit log is tamper-evident and append-only at the database: a keyed hash chain that
`flask audit verify` checks, triggers against REPLACE and TRUNCATE, and a least-privileged role."""

import subprocess
import sys
import textwrap
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, select, text

from companion import audit
from companion.extensions import db
from companion.models import AuditEntry
from tests.support.apps import (
    ENGINES,
    POSTGRES_SERVER,
    TEST_ENV,
    make_app,
    scratch_postgres_database,
)
from tests.support.world import PASSWORD

POSTGRES_ONLY = [name for name in ENGINES if name == "postgresql"]


def _some_history(client, world):
    client.post("/login", data={"username": "w1", "password": PASSWORD})
    client.get(f"/clients/{world.clients['shared']}")
    client.get(f"/clients/{world.clients['w3_only']}")  # refused, and audited
    client.post("/logout")


def _ids(app):
    with app.app_context():
        return db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()


@contextmanager
def _triggers_off(app, engine_name):
    """What someone with the owner's or a superuser's credentials can do behind the app."""
    with app.app_context(), db.engine.begin() as connection:
        if engine_name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for name in ("audit_log_no_update", "audit_log_no_delete"):
                connection.execute(text(f"DROP TRIGGER {name}"))
        yield connection


def test_every_entry_is_chained_and_verify_reports_the_chain_intact(app, client, world, runner):
    _some_history(client, world)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"chain intact: {len(_ids(app))} entries verified" in result.output
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert entries[0].prev_mac == ""
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_mac == before.mac and len(after.mac) == 64


def test_verify_finds_an_entry_changed_by_hand(app, client, world, runner, engine_name):
    _some_history(client, world)
    changed = _ids(app)[2]
    with _triggers_off(app, engine_name) as connection:
        connection.execute(text("UPDATE audit_log SET subject = 'client:999' WHERE id = :id"),
                           {"id": changed})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"entry {changed} was changed after it was written" in result.output
    assert "2 entries before it verified" in result.output


def test_verify_finds_a_deleted_entry(app, client, world, runner, engine_name):
    _some_history(client, world)
    ids = _ids(app)
    with _triggers_off(app, engine_name) as connection:
        connection.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[1]})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"entry {ids[2]} does not follow entry {ids[0]}" in result.output


def test_the_hash_is_keyed_with_a_key_kept_outside_the_database(app, client, world, runner):
    _some_history(client, world)
    with app.app_context(), db.engine.connect() as connection:
        assert audit.verify(connection, audit.chain_key()).intact
        forged = audit.verify(connection, b"a key that is not the app's own key....")
        dump = " ".join(str(value) for row in connection.execute(select(AuditEntry.__table__))
                        for value in row)
    assert forged.broken_at == _ids(app)[0] and "was changed" in forged.problem
    assert app.config["AUDIT_KEY"] not in dump and app.config["SECRET_KEY"] not in dump


def test_the_audit_key_setting_replaces_the_one_derived_from_the_secret_key(tmp_path):
    derived = make_app(f"sqlite:///{tmp_path / 'a.sqlite'}", tmp_path).config["AUDIT_KEY"]
    own_key = "an audit key of at least 32 characters, kept apart"
    env = TEST_ENV | {"COMPANION_AUDIT_KEY": own_key}
    app = make_app(f"sqlite:///{tmp_path / 'b.sqlite'}", tmp_path, ENV=env)
    assert app.config["AUDIT_KEY"] == own_key and derived not in (own_key, TEST_ENV["SECRET_KEY"])


def test_an_insert_cannot_replace_an_entry_or_skip_the_chain(app, client, world, engine_name):
    _some_history(client, world)
    first = _ids(app)[0]
    columns = "(id, at, username, role, action, subject, request_id, prev_mac, mac)"
    values = f"VALUES ({first}, CURRENT_TIMESTAMP, 'x', 'admin', 'login', 'forged', '', '', '')"
    rewrites = [f"INSERT INTO audit_log {columns} {values}"]
    if engine_name == "sqlite":
        rewrites += [f"REPLACE INTO audit_log {columns} {values}",
                     f"INSERT OR REPLACE INTO audit_log {columns} {values}"]
    else:
        rewrites += [f"INSERT INTO audit_log {columns} {values} "
                     "ON CONFLICT (id) DO UPDATE SET subject = 'forged'"]
    rewrites.append(  # a new id, but not extending the chain's tail
        "INSERT INTO audit_log (at, username, role, action, subject, request_id, prev_mac, mac) "
        "VALUES (CURRENT_TIMESTAMP, 'x', 'admin', 'login', 'forged', '', '', '')")
    with app.app_context():
        for statement in rewrites:
            with db.engine.connect() as connection:
                with pytest.raises(Exception, match="append-only"):
                    connection.execute(text(statement))
    with app.app_context():
        assert db.session.get(AuditEntry, first).subject != "forged"
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.subject == "forged")) is None


@pytest.mark.parametrize("engine_name", POSTGRES_ONLY, indirect=True)
def test_truncate_of_the_audit_log_is_refused_on_postgresql(app, client, world):
    _some_history(client, world)
    with app.app_context(), db.engine.connect() as connection:
        with pytest.raises(Exception, match="append-only"):
            connection.execute(text("TRUNCATE audit_log"))
    assert _ids(app)


WRITER = textwrap.dedent("""
    import sys
    from companion import audit, create_app
    from companion.extensions import db
    app = create_app({"ENV": %r, "SQLALCHEMY_DATABASE_URI": sys.argv[1]},
                     instance_path=sys.argv[2])
    with app.app_context():
        for number in range(int(sys.argv[3])):
            audit.record("test.concurrent", f"writer:{sys.argv[4]} n:{number}")
            audit.record("test.concurrent", f"writer:{sys.argv[4]} n:{number} second")
            db.session.commit()
""")


def test_several_processes_writing_at_once_keep_one_unbroken_chain(
    app, database_url, runner, tmp_path
):
    script = WRITER % (TEST_ENV,)
    writers = [
        subprocess.Popen([sys.executable, "-c", script, database_url,  # noqa: S603
                          str(tmp_path / f"instance{n}"), "25", str(n)])
        for n in range(4)
    ]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0, 0, 0]
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "chain intact: 200 entries verified" in result.output


@contextmanager
def _postgres_role():
    name = f"companion_app_{uuid.uuid4().hex[:8]}"
    server = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"CREATE ROLE {name} LOGIN PASSWORD 'app-role-pw'"))
    try:
        yield name
    finally:
        with server.connect() as connection:
            connection.execute(text(f"DROP ROLE IF EXISTS {name}"))
        server.dispose()


@pytest.mark.parametrize("engine_name", POSTGRES_ONLY)
def test_the_app_runs_as_a_role_that_may_only_insert_and_select_on_the_audit_log(
    engine_name, tmp_path
):
    from tests.support import world as world_module

    with _postgres_role() as role, scratch_postgres_database() as owner_url:
        owner = make_app(owner_url, tmp_path)
        assert owner.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
        grants = owner.test_cli_runner().invoke(args=["audit", "grants", role])
        with owner.app_context(), db.engine.begin() as connection:
            connection.execute(text(grants.output))
            db.engine.dispose()
        app_url = owner_url.replace("postgres@", f"{role}:app-role-pw@")
        app = make_app(app_url, tmp_path)
        with app.app_context():
            world = world_module.build()
        _some_history(app.test_client(), world)
        assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
        refusals = {
            "TRUNCATE audit_log": "permission denied",
            "UPDATE audit_log SET subject = 'x'": "permission denied",
            "DELETE FROM audit_log": "permission denied",
            "ALTER TABLE audit_log DISABLE TRIGGER ALL": "must be owner",
            "DROP TRIGGER audit_log_append_only ON audit_log": "must be owner",
            "SET session_replication_role = replica": "permission denied",
        }
        with app.app_context():
            for statement, message in refusals.items():
                with db.engine.connect() as connection:
                    with pytest.raises(Exception, match=message):
                        connection.execute(text(statement))
            assert db.session.scalar(select(AuditEntry.id).limit(1)) is not None
            db.engine.dispose()
