"""The append-only audit log: `record()` adds an entry; entries pending at the end of a request
are committed by `commit_pending` (an after_request hook), so a view that only reads never has
to remember to commit its audited read."""

from flask import g, has_request_context
from flask_login import current_user

from companion.extensions import db
from companion.models import AuditEntry

ENTRY_FIELDS = ("action", "subject", "user_id", "username", "role", "team_id", "request_id")


def record(action: str, subject: str = "", user=None) -> AuditEntry:
    """Add an audit entry to the session; the view's commit, or the end of the request,
    writes it."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    entry = AuditEntry(
        action=action,
        subject=subject[:128],
        user_id=getattr(user, "id", None),
        username=getattr(user, "username", ""),
        role=getattr(user, "role", ""),
        team_id=getattr(user, "team_id", None),
        request_id=g.get("request_id", "") if has_request_context() else "cli",
    )
    db.session.add(entry)
    return entry


def commit_pending(response):
    """Write the audit entries the request left uncommitted. A refused request (4xx) with
    other unsaved changes keeps only its audit entries: nothing half-written is committed."""
    pending = [o for o in db.session.new if isinstance(o, AuditEntry)]
    if not pending:
        return response
    others = (any(not isinstance(o, AuditEntry) for o in db.session.new)
              or db.session.dirty or db.session.deleted)
    if others and response.status_code >= 400:
        rows = [{name: getattr(entry, name) for name in ENTRY_FIELDS} for entry in pending]
        db.session.rollback()
        db.session.add_all(AuditEntry(**row) for row in rows)
    db.session.commit()
    return response
