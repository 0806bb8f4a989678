"""Engine settings. SQLite runs in WAL mode with foreign keys and `synchronous=FULL`, and its
writers queue for the one write lock in arrival order instead of sleeping in SQLite's busy handler.

SQLite lets one connection write at a time. Left to itself, a second writer sleeps and retries
(1, 2, 5 ... 100 ms), so under load writers pile up behind sleeps while the lock sits free.
Here a transaction that writes starts with `BEGIN IMMEDIATE` just before its first INSERT,
UPDATE or DELETE (reads before it run outside any transaction and never wait), after taking a
first-come-first-served lock shared by the threads of this process and an `flock` shared by the
processes on this machine; both are released at COMMIT or ROLLBACK. A waiter is woken as soon
as the lock is free, in order. After the busy timeout it gives up with "database is locked",
as SQLite would.
"""

import fcntl
import os
import sqlite3
import threading
from collections import deque

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_S = 5
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}",
)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def init_app(app: Flask) -> None:
    """Engine options for the configured database; call before `db.init_app`."""
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"]) | app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    configure_engines()


def engine_options(url: str) -> dict:
    """SQLite: ordered writers, no pre-ping (a file does not drop connections); PostgreSQL:
    pre-ping, since a server restart or idle timeout can close pooled connections."""
    if url.startswith("sqlite"):
        return {"connect_args": {"factory": OrderedWritesConnection}}
    return {"pool_pre_ping": True}


def configure_engines() -> None:
    """Apply the SQLite pragmas to every new connection (idempotent)."""
    if not event.contains(Engine, "connect", _configure_sqlite):
        event.listen(Engine, "connect", _configure_sqlite)


def _configure_sqlite(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()


class FirstComeLock:
    """A lock handed to its waiters in the order they arrived."""

    def __init__(self):
        self._guard = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._guard:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        if turn.acquire(timeout=timeout):
            return True
        with self._guard:
            if turn in self._waiters:
                self._waiters.remove(turn)
                return False
        return turn.acquire()  # handed over just as we gave up: it is ours

    def release(self) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().release()  # straight to the next in line
            else:
                self._held = False


_locks: dict[str, FirstComeLock] = {}
_lock_files: dict[tuple[int, str], int] = {}
_locks_guard = threading.Lock()


def _writer_locks(database: str) -> tuple[FirstComeLock, int | None]:
    """This process's queue for `database`, and its lock file (opened once per process)."""
    with _locks_guard:
        queue = _locks.setdefault(database, FirstComeLock())
        if database in ("", ":memory:") or database.startswith("file:"):
            return queue, None
        key = (os.getpid(), database)
        if key not in _lock_files:
            _lock_files[key] = os.open(f"{database}-writers", os.O_RDWR | os.O_CREAT, 0o600)
        return queue, _lock_files[key]


class OrderedWritesCursor(sqlite3.Cursor):
    def execute(self, sql, parameters=()):
        self.connection.before_statement(sql)
        try:
            return super().execute(sql, parameters)
        finally:
            self.connection.after_statement()

    def executemany(self, sql, seq_of_parameters):
        self.connection.before_statement(sql)
        try:
            return super().executemany(sql, seq_of_parameters)
        finally:
            self.connection.after_statement()


class OrderedWritesConnection(sqlite3.Connection):
    """A SQLite connection whose write transactions queue in order (see the module docstring)."""

    def __init__(self, database, *args, **kwargs):
        super().__init__(database, *args, **kwargs)
        self.isolation_level = "IMMEDIATE"  # the implicit BEGIN before a write
        self._queue, self._lock_file = _writer_locks(os.fspath(database))
        self._holding = False

    def cursor(self, factory=OrderedWritesCursor):
        return super().cursor(factory)

    def execute(self, sql, parameters=()):
        return self.cursor().execute(sql, parameters)

    def before_statement(self, sql: str) -> None:
        if self._holding or self.in_transaction or not sql.lstrip().upper().startswith(WRITES):
            return
        if not self._queue.acquire(timeout=BUSY_TIMEOUT_S):
            raise sqlite3.OperationalError("database is locked")
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        self._holding = True

    def after_statement(self) -> None:
        if self._holding and not self.in_transaction:  # the write failed before it began
            self._release()

    def commit(self):
        try:
            super().commit()
        finally:
            if not self.in_transaction:
                self._release()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self._release()

    def close(self):
        try:
            super().close()
        finally:
            self._release()

    def _release(self) -> None:
        if self._holding:
            self._holding = False
            if self._lock_file is not None:
                fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._queue.release()
