"""Writing to the append-only audit log, each entry chained to the one before by a keyed hash.

`record()` only queues an entry on the database session; the session's commit appends the
queue with `append()`, the one place the chain is computed. Entries still queued when a request
ends are committed by `commit_pending` (an after_request hook), so a view that only reads never
has to remember to commit its audited read (on SQLite such entries are written together with
other readers', see batches.py). `append()` first serialises the
chain's tail (an advisory lock on PostgreSQL, the write lock on SQLite), so entries written by
several processes at once still form one chain in id order.
"""

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app, g, has_request_context
from flask_login import current_user
from sqlalchemy import event, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from companion.audit import batches
from companion.extensions import db
from companion.models import AuditEntry, utcnow

PENDING = "audit_pending"
CHAIN_LOCK = 7_311_001  # the advisory lock id that serialises the chain's tail on PostgreSQL
FIELDS = ("at", "user_id", "username", "role", "team_id", "action", "subject", "request_id")


def record(action: str, subject: str = "", user=None) -> dict:
    """Queue an audit entry; the caller's commit writes it (a rollback drops it)."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    entry = {
        "at": utcnow(),
        "user_id": getattr(user, "id", None),
        "username": getattr(user, "username", ""),
        "role": getattr(user, "role", ""),
        "team_id": getattr(user, "team_id", None),
        "action": action,
        "subject": subject[:128],
        "request_id": g.get("request_id", "") if has_request_context() else "cli",
    }
    db.session.info.setdefault(PENDING, []).append(entry)
    return entry


def listed(where: str, client_ids) -> None:
    """One entry for a page that shows client codes: where, and which clients (by id)."""
    ids = sorted(set(client_ids))
    if not ids:
        return
    subject = f"{where} clients:" + ",".join(map(str, ids))
    if len(subject) > 128:
        subject = f"{where} clients:{len(ids)}:" + ",".join(map(str, ids))
        subject = subject[:127].rsplit(",", 1)[0] + "+"
    record("clients.listed", subject)


def commit_pending(response):
    """Write the audit entries the request queued and did not commit. After a refusal or an
    error (4xx, 5xx) only they are written: nothing the view left half-done is committed."""
    entries = db.session.info.get(PENDING)
    if not entries:
        return response
    if response.status_code >= 400:
        db.session.info.pop(PENDING)
        db.session.rollback()
        db.session.info[PENDING] = entries
    if batches.only_read(db.session()):  # SQLite: written with the other readers' (batches.py)
        db.session.info.pop(PENDING)
        db.session.rollback()
        engine, key = db.engine, chain_key()
        batches.group_for(engine).write(entries, lambda batch: _append_alone(engine, batch, key))
        return response
    db.session.commit()
    return response


def _append_alone(engine, entries: list[dict], key: bytes) -> None:
    with engine.begin() as connection:
        append(connection, entries, key)


def chain_key() -> bytes:
    return current_app.config["AUDIT_KEY"].encode()


def entry_mac(key: bytes, prev_mac: str, entry) -> str:
    """The keyed hash of one entry: its fields and the hash of the entry before it."""
    values = [_field(entry, name) for name in FIELDS]
    message = json.dumps([prev_mac, *values], separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _field(entry, name):
    value = entry[name] if isinstance(entry, Mapping) else getattr(entry, name)
    if name == "at":
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    return value


_TABLE = AuditEntry.__table__
# Built once: each is only executed, so nothing is constructed again per request.
_TAIL = select(_TABLE.c.mac).order_by(_TABLE.c.id.desc()).limit(1)
_INSERT = insert(_TABLE)
_LOCK = {"postgresql": text(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK})"),
         # a write that changes nothing takes SQLite's write lock before the tail is read
         "sqlite": text("UPDATE audit_log SET id = id WHERE 0")}


def append(connection: Connection, entries: list[dict], key: bytes) -> None:
    """Append `entries` to the chain inside the connection's transaction; its commit ends
    the lock. The only function that computes the chain."""
    if not entries:
        return
    connection.execute(_LOCK[connection.dialect.name])
    prev_mac = connection.scalar(_TAIL) or ""
    rows = []
    for entry in entries:
        mac = entry_mac(key, prev_mac, entry)
        rows.append({**entry, "prev_mac": prev_mac, "mac": mac})
        prev_mac = mac
    connection.execute(_INSERT, rows)


@event.listens_for(Session, "before_commit")
def _append_pending(session: Session) -> None:
    entries = session.info.pop(PENDING, None)
    if entries:
        session.flush()  # the records' own writes first, then the chain's short critical part
        append(session.connection(), entries, chain_key())


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(PENDING, None)


def app_role_grants(role: str, tables) -> list[str]:
    """What the app's own PostgreSQL role needs: rows of every table, but on the audit log
    only INSERT and SELECT; it owns nothing, so it can neither disable nor drop a trigger."""
    if not role.replace("_", "").isalnum():
        raise ValueError("a role name is letters, digits and underscores")
    statements = [f"GRANT USAGE ON SCHEMA public TO {role}"]
    for table in tables:
        rights = "SELECT, INSERT" if table.name == AuditEntry.__tablename__ else \
            "SELECT, INSERT, UPDATE, DELETE"
        statements.append(f"GRANT {rights} ON {table.name} TO {role}")
    statements += [f"GRANT SELECT ON alembic_version TO {role}",
                   f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"]
    return statements


@dataclass
class Verdict:
    """What `verify` found: how many entries it checked, and the first broken link if any."""

    checked: int
    unchained: int
    head: str = ""
    broken_at: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(connection: Connection, key: bytes) -> Verdict:
    """Walk the log in id order and recompute every link; stop at the first broken one.
    Entries from before the chain existed (no hash, at the start only) are counted apart."""
    table = AuditEntry.__table__
    rows = connection.execution_options(yield_per=1000).execute(
        select(table).order_by(table.c.id))
    verdict, prev_id, prev_mac, chained = Verdict(0, 0), None, "", False
    for row in rows:
        if not chained and row.mac == "" and row.prev_mac == "":
            verdict.unchained += 1
            prev_id = row.id
            continue
        chained = True
        if row.prev_mac != prev_mac:
            verdict.broken_at = row.id
            after = f"entry {prev_id}" if prev_id else "the start of the log"
            verdict.problem = (f"entry {row.id} does not follow {after}: an entry between "
                               "them was removed, or one of them was replaced")
            return verdict
        if not hmac.compare_digest(row.mac, entry_mac(key, row.prev_mac, row._mapping)):
            verdict.broken_at = row.id
            verdict.problem = f"entry {row.id} was changed after it was written"
            return verdict
        verdict.checked += 1
        prev_id, prev_mac = row.id, row.mac
    verdict.head = prev_mac
    return verdict
