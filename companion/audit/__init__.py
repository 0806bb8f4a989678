"""The append-only audit log: `record()` adds an entry; entries pending at the end of a request
are committed by `commit_pending` (an after_request hook), so a view that only reads never has
to remember to commit its audited read."""

from flask import g, has_app_context, has_request_context
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

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
    if has_app_context():
        g.setdefault("audit_pending", []).append(entry)
    return entry


def commit_pending(response):
    """Write the audit entries the request recorded and did not commit. After a refusal or an
    error (4xx, 5xx) only they are written: nothing the view left half-done is committed."""
    pending = g.pop("audit_pending", [])
    if not pending:
        return response
    rows = [{name: getattr(entry, name) for name in ENTRY_FIELDS} for entry in pending]
    if response.status_code >= 400:
        db.session.rollback()
        again = rows
    else:  # entries a rollback in the view threw away are written again
        again = [row for entry, row in zip(pending, rows, strict=True) if entry not in db.session]
    db.session.add_all(AuditEntry(**row) for row in again)
    db.session.commit()
    return response


@event.listens_for(Session, "after_commit")
def _written(_session) -> None:
    if has_app_context():
        g.pop("audit_pending", None)
