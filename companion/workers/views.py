"""The worker page: caseload, capture timeliness, open debriefs and pairs (the team's lead)."""

from flask import Blueprint, render_template

from companion import access
from companion.workers.queries import worker_page

bp = Blueprint("workers", __name__, url_prefix="/workers")


@bp.get("/<int:worker_id>")
@access.allow("lead")
def show(worker_id: int):
    worker = access.load_team_worker(worker_id)
    return render_template("workers/show.html", worker=worker, **worker_page(worker))
