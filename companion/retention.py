"""Retention: `flask purge` removes captures and their free text after RETENTION_MONTHS,
keeping only each team-month's anonymous figures (MonthlyAggregate)."""

from datetime import date

from flask import current_app
from sqlalchemy import delete, select

from companion import audit, content
from companion.clock import local_now, month_start
from companion.extensions import db
from companion.models import Capture, Client, Debrief, Meeting, MonthlyAggregate, Team


def _month_figures(team: Team, month: date) -> dict:
    from companion.reports import queries
    from companion.reports.figures import monthly_figures

    data = queries.report_data(team, month)
    return monthly_figures(data, content.current().vocabulary).headline.to_dict()


def _keep_aggregates(old_meetings) -> None:
    team_months = {
        (team_id, date(held_on.year, held_on.month, 1))
        for team_id, held_on in db.session.execute(
            select(Client.team_id, Meeting.held_on).join(Client).where(
                Meeting.id.in_(old_meetings)))
    }
    for team_id, month in sorted(team_months):
        key = month.isoformat()[:7]  # "YYYY-MM"
        stored = db.session.scalar(select(MonthlyAggregate).where(
            MonthlyAggregate.team_id == team_id, MonthlyAggregate.month == key))
        if stored is None:
            figures = _month_figures(db.session.get(Team, team_id), month)
            db.session.add(MonthlyAggregate(team_id=team_id, month=key, figures=figures))
    db.session.flush()


def purge(today: date | None = None, months: int | None = None) -> dict[str, int]:
    """Delete captures (notes, idempotency keys) and debriefs of meetings before the cutoff."""
    months = months or current_app.config["RETENTION_MONTHS"]
    before = month_start(today or local_now().date(), months)
    old_meetings = select(Meeting.id).where(Meeting.held_on < before)
    _keep_aggregates(old_meetings)
    counts = {
        "captures": db.session.execute(
            delete(Capture).where(Capture.meeting_id.in_(old_meetings))).rowcount,
        "debriefs": db.session.execute(
            delete(Debrief).where(Debrief.meeting_id.in_(old_meetings))).rowcount,
    }
    summary = " ".join(f"{name}:{count}" for name, count in counts.items())
    audit.record("retention.purged", f"before:{before.isoformat()} {summary}")
    return counts
