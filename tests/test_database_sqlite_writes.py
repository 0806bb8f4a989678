"""SQLite writers queue for the write lock in arrival order; reads take no lock; an audited read
survives the server being killed right after it answered."""

import os
import re
import signal
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from companion import database, demo
from companion.extensions import db
from tests.servers import Browser, gunicorn
from tests.support.apps import TEST_ENV, make_app


def _engine(path):
    database.configure_engines()
    engine = create_engine(f"sqlite:///{path}", **database.engine_options("sqlite:"))
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS rows (n INTEGER)"))
    return engine


def test_a_write_begins_immediate_just_before_it_and_reads_run_outside_any_transaction(
        tmp_path):
    engine = _engine(tmp_path / "w.sqlite")
    raw = engine.raw_connection()
    statements = []
    raw.driver_connection.set_trace_callback(statements.append)
    cursor = raw.cursor()
    cursor.execute("SELECT count(*) FROM rows").fetchall()
    cursor.execute("INSERT INTO rows (n) VALUES (1)")
    raw.commit()
    raw.close()
    assert statements == ["SELECT count(*) FROM rows", "BEGIN IMMEDIATE",
                          "INSERT INTO rows (n) VALUES (1)", "COMMIT"]
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_writers_get_the_lock_in_the_order_they_asked_for_it(tmp_path):
    engine = _engine(tmp_path / "w.sqlite")
    holder = engine.raw_connection()
    holder.cursor().execute("INSERT INTO rows (n) VALUES (0)")  # holds the write lock
    order, threads = [], []

    def write(number):
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO rows (n) VALUES (:n)"), {"n": number})
            order.append(number)

    queue = database._locks[str(tmp_path / "w.sqlite")]
    for number in range(1, 9):
        threads.append(threading.Thread(target=write, args=(number,)))
        threads[-1].start()
        while len(queue._waiters) < number:  # each thread is in the queue before the next starts
            time.sleep(0.001)
    with engine.connect() as reader:  # a read goes ahead while the writers wait
        assert reader.execute(text("SELECT count(*) FROM rows")).scalar() == 0
    holder.commit()
    holder.close()
    for thread in threads:
        thread.join(10)
    assert order == list(range(1, 9))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM rows")).scalar() == 9


def test_a_writer_gives_up_with_database_is_locked_after_the_busy_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.2)
    engine = _engine(tmp_path / "w.sqlite")
    holder = engine.raw_connection()
    holder.cursor().execute("INSERT INTO rows (n) VALUES (0)")
    with pytest.raises(Exception, match="database is locked"), engine.begin() as connection:
        connection.execute(text("INSERT INTO rows (n) VALUES (1)"))
    holder.rollback()
    with engine.begin() as connection:  # the queue is free again after the failure
        connection.execute(text("INSERT INTO rows (n) VALUES (2)"))
    holder.close()


def test_an_audited_read_is_on_disk_when_the_server_is_killed_right_after_answering(tmp_path):
    """The audit entry of a read is committed (synchronous=FULL) before the answer is sent, so
    killing every server process the moment the page arrives loses nothing."""
    url = f"sqlite:///{tmp_path / 'crash.sqlite'}"
    app = make_app(url, tmp_path / "seed", DEMO_PASSWORD="crash test pass 1")
    with app.app_context():
        db.create_all()
        demo.seed()
        db.session.commit()
        db.engine.dispose()
    env = dict(os.environ, **TEST_ENV, DATABASE_URL=url)
    browser = Browser()
    with gunicorn(env, tmp_path / "instance") as (server, base):
        assert browser.sign_in(base, "worker1", "crash test pass 1") == 303
        client_id = re.search(r'href="/clients/(\d+)"', browser.request(base + "/")[2]).group(1)
        status, headers, _page = browser.request(f"{base}/clients/{client_id}")
        os.killpg(server.pid, signal.SIGKILL)  # master and workers, no chance to flush
    assert status == 200
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT action, subject, username FROM audit_log WHERE request_id = :r"),
            {"r": headers["X-Request-Id"]}).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [("client.view", f"client:{client_id}", "worker1")]
