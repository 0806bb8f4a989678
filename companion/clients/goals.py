"""The one-page "Our agreed goals" PDF to go through with the client: the pseudonym, the open
and reached milestones, the next review date and who reads the record; nothing else."""

from datetime import date

from flask import current_app, render_template
from sqlalchemy import case, select

from companion import audit
from companion.clients.progress import review_status
from companion.extensions import db
from companion.models import Milestone
from companion.reports.pdf import html_to_pdf

SHOWN = ("open", "reached")
MAX_GOALS = 20  # one page


def agreed_goals(client) -> list[Milestone]:
    """Open goals first (by target month), then reached ones; dropped ones are left out."""
    return db.session.scalars(
        select(Milestone).where(Milestone.client_id == client.id, Milestone.status.in_(SHOWN))
        .order_by(case((Milestone.status == "open", 0), else_=1), Milestone.target_month,
                  Milestone.id).limit(MAX_GOALS)
    ).all()


def agreed_goals_pdf(client, today: date) -> bytes:
    """The PDF bytes; generating it is audited (the caller commits)."""
    goals = agreed_goals(client)
    html = render_template("clients/goals_pdf.html", code=client.code, goals=goals,
                           review=review_status(client, goals, today), today=today)
    pdf = html_to_pdf(html, current_app.static_folder)
    audit.record("goals.printed", f"client:{client.id}")
    return pdf
