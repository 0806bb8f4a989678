"""Retention: `flask purge` removes captures and their free text after RETENTION_MONTHS,
keeping only each team-month's anonymous figures (MonthlyAggregate); and the rows of signed-in
browsers (Your sessions) once they ended or passed their 12 hours."""

from datetime import date, datetime

from flask import current_app
from sqlalchemy import delete, or_, select

from companion import audit, content
from companion.clock import local_now, month_start
from companion.extensions import db
from companion.models import (
    Capture,
    Client,
    Debrief,
    Meeting,
    MonthlyAggregate,
    Team,
    UserSession,
    utcnow,
)


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


def purge_sessions(now: datetime | None = None) -> int:
    """Delete the session rows no browser can use again: ended ones (signed out, ended on Your
    sessions, by an admin or a deactivation) and those begun more than 12 hours ago (the cookie
    expired then: `auth.sessions.MAX_AGE`). A browser still signed in keeps its row. So a row
    outlives its session by at most the time to the next purge (README: daily)."""
    from companion.auth.sessions import MAX_AGE

    now = now or utcnow()
    return db.session.execute(delete(UserSession).where(or_(
        UserSession.ended_at.is_not(None), UserSession.created_at < now - MAX_AGE))
        .execution_options(synchronize_session=False)).rowcount


def purge(today: date | None = None, months: int | None = None) -> dict[str, int]:
    """Delete captures (notes, idempotency keys) and debriefs of meetings before the cutoff,
    and the rows of sessions that are over."""
    months = months or current_app.config["RETENTION_MONTHS"]
    before = month_start(today or local_now().date(), months)
    old_meetings = select(Meeting.id).where(Meeting.held_on < before)
    _keep_aggregates(old_meetings)
    counts = {
        "captures": db.session.execute(
            delete(Capture).where(Capture.meeting_id.in_(old_meetings))).rowcount,
        "debriefs": db.session.execute(
            delete(Debrief).where(Debrief.meeting_id.in_(old_meetings))).rowcount,
        "sessions": purge_sessions(),
    }
    summary = " ".join(f"{name}:{count}" for name, count in counts.items())
    audit.record("retention.purged", f"before:{before.isoformat()} {summary}")
    return counts
