"""Reading the audit log: leads see their team's trail, admins see account events."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import or_, select

from companion import access
from companion.extensions import db
from companion.models import AuditEntry

bp = Blueprint("audit", __name__, url_prefix="/audit")
LIMIT = 300
ACCOUNT_ACTIONS = ("login", "logout", "mfa.", "user.", "password.", "pin.", "session.",
                   "account.", "team.", "pair.", "assignment.", "access.denied", "retention.")


@bp.get("/team")
@access.allow("lead")
def team():
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.team_id == current_user.team_id)
        .order_by(AuditEntry.id.desc()).limit(LIMIT)
    ).all()
    return render_template("audit/list.html", entries=entries, title="Your team's audit trail")


@bp.get("/accounts")
@access.allow("admin")
def accounts():
    entries = db.session.scalars(
        select(AuditEntry).where(or_(*(AuditEntry.action.startswith(a) for a in ACCOUNT_ACTIONS)))
        .order_by(AuditEntry.id.desc()).limit(LIMIT)
    ).all()
    return render_template("audit/list.html", entries=entries, title="Account events")
