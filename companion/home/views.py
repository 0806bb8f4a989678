"""Home by role, and the health check."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import text

from companion import access
from companion.extensions import db
from companion.home import queries

bp = Blueprint("home", __name__)


@bp.get("/")
@access.allow(*access.ANY_ROLE)
def index():
    if current_user.role == "admin":
        return render_template("home/admin.html", **queries.admin_overview())
    if current_user.role == "lead":
        return render_template("home/lead.html", **queries.lead_overview(current_user))
    return render_template("home/worker.html", **queries.worker_overview(current_user))


@bp.get("/healthz")
@access.public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not ready"
        db.session.rollback()
        return "database unavailable", 503, {"Content-Type": "text/plain"}
    return "ok", 200, {"Content-Type": "text/plain"}
