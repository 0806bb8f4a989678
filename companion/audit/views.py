"""Reading the audit log: leads see their team's trail, admins see account events. Both page
and filter, and each reading is itself written to the trail."""

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import Select, or_, select

from companion import access, audit
from companion.extensions import db
from companion.models import AuditEntry

bp = Blueprint("audit", __name__, url_prefix="/audit")
PER_PAGE = 50
MAX_PAGE = 10_000
ACCOUNT_ACTIONS = ("login", "logout", "mfa.", "user.", "password.", "pin.", "session.",
                   "account.", "team.", "pair.", "assignment.", "access.denied", "retention.",
                   "passkey.", "audit.", "invitation.", "members.")


def _listing(query: Select, title: str, subject: str):
    """One page of `query`, newest first, narrowed by the action and who filters."""
    action = request.args.get("action", "").strip()[:48]
    who = request.args.get("who", "").strip()[:64]
    number = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    if who:
        query = query.where(AuditEntry.username == who)
    page = db.paginate(query.order_by(AuditEntry.id.desc()), page=number, per_page=PER_PAGE,
                       error_out=False)
    audit.record("audit.viewed", subject)
    html = render_template("audit/list.html", page=page, entries=page.items, title=title,
                           action=action, who=who)
    db.session.commit()
    return html


@bp.get("/team")
@access.allow("lead")
def team():
    query = select(AuditEntry).where(AuditEntry.team_id == current_user.team_id)
    return _listing(query, "Your team's audit trail", f"team:{current_user.team_id}")


@bp.get("/accounts")
@access.allow("admin")
def accounts():
    query = select(AuditEntry).where(
        or_(*(AuditEntry.action.startswith(a) for a in ACCOUNT_ACTIONS)))
    return _listing(query, "Account events", "accounts")
