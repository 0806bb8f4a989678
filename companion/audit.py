"""Writing to the append-only audit log."""

from flask import g, has_request_context
from flask_login import current_user

from companion.extensions import db
from companion.models import AuditEntry


def record(action: str, subject: str = "", user=None) -> AuditEntry:
    """Add an audit entry to the session; the caller's commit writes it."""
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
