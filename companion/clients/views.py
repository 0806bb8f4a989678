"""Client views; every one loads its client through `access.load_client`."""

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from companion import access
from companion.extensions import db
from companion.models import Assignment, Meeting, PhaseChange

bp = Blueprint("clients", __name__, url_prefix="/clients")


@bp.get("/<int:client_id>")
@access.allow("worker", "lead")
def show(client_id: int):
    client = access.load_client(client_id)
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.client_id == client.id).order_by(
            Meeting.held_on.desc(), Meeting.starts_at.desc()
        ).limit(20)
    ).all()
    history = db.session.scalars(
        select(PhaseChange).options(joinedload(PhaseChange.changed_by))
        .where(PhaseChange.client_id == client.id).order_by(PhaseChange.changed_at.desc())
    ).all()
    assignments = db.session.scalars(
        select(Assignment).options(joinedload(Assignment.user))
        .where(Assignment.client_id == client.id).order_by(Assignment.role.desc())
    ).all()
    db.session.commit()
    return render_template(
        "clients/show.html", client=client, meetings=meetings, history=history,
        assignments=assignments,
    )
