"""The append-only audit log and the anonymous monthly figures kept after a purge."""

from datetime import datetime

from sqlalchemy import DDL, JSON, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from companion.extensions import db
from companion.models.base import utcnow


class AuditEntry(db.Model):
    """Who did what to which subject, when. Rows are never updated or deleted."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(index=True)
    username: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(16), default="")
    team_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(48))
    subject: Mapped[str] = mapped_column(String(128), default="")
    request_id: Mapped[str] = mapped_column(String(32), default="")
    # The keyed hash of the entry before this one, and of this entry (see companion/audit.py).
    prev_mac: Mapped[str] = mapped_column(String(64), default="", server_default="")
    mac: Mapped[str] = mapped_column(String(64), default="", server_default="")


class MonthlyAggregate(db.Model):
    """Anonymous monthly figures of a team, kept when old captures are purged."""

    __tablename__ = "monthly_aggregates"
    __table_args__ = (UniqueConstraint("team_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(index=True)
    month: Mapped[str] = mapped_column(String(7))
    figures: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# The same statements are run by the migrations; tests that use create_all get them here.
# Besides refusing UPDATE, DELETE and TRUNCATE, an INSERT must extend the chain: a new id (so
# SQLite's REPLACE INTO cannot overwrite a row) whose previous hash is the current tail's.
SQLITE_APPEND_ONLY = [
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_extend_only BEFORE INSERT ON audit_log "
    "WHEN NEW.id IN (SELECT id FROM audit_log) OR NEW.prev_mac IS NOT "
    "COALESCE((SELECT mac FROM audit_log ORDER BY id DESC LIMIT 1), '') "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: an entry must extend the chain'); END",
]
POSTGRES_APPEND_ONLY = [
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
]
POSTGRES_EXTEND_ONLY = [
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
    "CREATE OR REPLACE FUNCTION audit_log_extend_only() RETURNS trigger AS $$ "
    "DECLARE tail_id integer; tail_mac varchar; "
    "BEGIN "
    "SELECT id, mac INTO tail_id, tail_mac FROM audit_log ORDER BY id DESC LIMIT 1; "
    "IF NEW.id <= tail_id OR NEW.prev_mac IS DISTINCT FROM COALESCE(tail_mac, '') THEN "
    "RAISE EXCEPTION 'audit_log is append-only: an entry must extend the chain'; "
    "END IF; RETURN NEW; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_log_extend_only BEFORE INSERT ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_extend_only()",
]

for _statement in SQLITE_APPEND_ONLY:
    event.listen(AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRES_APPEND_ONLY + POSTGRES_EXTEND_ONLY:
    event.listen(
        AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )
