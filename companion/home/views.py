"""Home by role, and the health check."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import text

from companion import access, audit
from companion.extensions import db
from companion.home import queries

bp = Blueprint("home", __name__)


@bp.get("/")
@access.allow(*access.ANY_ROLE)
def index():
    if current_user.role == "admin":
        return render_template("home/admin.html", **queries.admin_overview())
    if current_user.role == "lead":
        return _listing("home/lead.html", queries.lead_overview(current_user))
    return _listing("home/worker.html", queries.worker_overview(current_user))


def _listing(template: str, overview: dict):
    """A home page names clients by code: which ones is audited like any other read."""
    audit.listed("home", [client.id for client, _last in overview["clients"]])
    page = render_template(template, **overview)
    db.session.commit()  # after rendering: a commit would expire what the page shows
    return page


@bp.get("/healthz")
@access.public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not ready"
        db.session.rollback()
        return "database unavailable", 503, {"Content-Type": "text/plain"}
    return "ok", 200, {"Content-Type": "text/plain"}
