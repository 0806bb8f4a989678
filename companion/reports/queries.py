"""Loading a team's month as plain data: a fixed number of queries, whatever the team's size."""

from datetime import date

from sqlalchemy import select

from companion.extensions import db
from companion.models import (
    Assignment,
    Capture,
    Client,
    Debrief,
    DimensionRating,
    Meeting,
    Milestone,
    MonthlyAggregate,
    Pair,
    PhaseChange,
    Team,
    User,
)
from companion.reports.data import (
    AssignmentRow,
    CaptureRow,
    ClientRow,
    DebriefRow,
    DimensionRow,
    MeetingRow,
    MilestoneRow,
    PairRow,
    PhaseChangeRow,
    ReportData,
)
from companion.reports.duplicates import one_per_slot
from companion.reports.months import month_key, next_month, previous_month, trend_months


def report_data(team: Team, month: date, today: date | None = None) -> ReportData:
    """Eleven queries: clients, meetings and captures of the six-month trend window, phase
    history, milestones, ratings, pairs, usernames, stored aggregates, debriefs and
    assignments. Notes, next steps and agreed next steps are never selected."""
    start, end = month, next_month(month)
    window = trend_months(month)
    in_team = Client.team_id == team.id
    in_window = (Meeting.held_on >= window[0]) & (Meeting.held_on < end)
    trend = _meetings_and_captures(in_team, in_window)
    meetings = tuple(m for m in trend["meetings"] if start <= m.held_on < end)
    kept = {m.id for m in meetings}
    aggregates = _aggregates(team.id, window)
    return ReportData(
        team_id=team.id,
        team_name=team.name,
        month=month,
        clients=_rows(ClientRow, select(Client.id, Client.code, Client.phase, Client.created_at,
                                               Client.closed_at, Client.closed_reason)
                      .where(in_team)),
        meetings=meetings,
        captures=tuple(c for c in trend["captures"] if c.meeting_id in kept),
        trend_meetings=trend["meetings"],
        trend_captures=trend["captures"],
        phase_changes=_rows(PhaseChangeRow, select(
            PhaseChange.client_id, PhaseChange.from_phase, PhaseChange.to_phase,
            PhaseChange.changed_at).join(Client).where(in_team)),
        milestones=_rows(MilestoneRow, select(
            Milestone.client_id, Milestone.title, Milestone.reached_on).join(Client).where(
            in_team, Milestone.status == "reached", Milestone.reached_on >= start,
            Milestone.reached_on < end)),
        ratings=_ratings(in_team, (month_key(month), month_key(previous_month(month)))),
        pairs=_rows(PairRow, select(Pair.first_id, Pair.second_id).where(Pair.team_id == team.id)),
        usernames=dict(db.session.execute(
            select(User.id, User.username).where(User.team_id == team.id)).all()),
        aggregate=aggregates.get(month_key(month)),
        aggregates=aggregates,
        debriefs=_rows(DebriefRow, select(
            Debrief.meeting_id, Debrief.opened_at, Debrief.closed_at,
            Debrief.agreed_next_step.is_not(None)).join(Meeting).join(Client).where(
            in_team, Meeting.held_on >= start, Meeting.held_on < end)),
        assignments=_rows(AssignmentRow, select(
            Assignment.client_id, User.username, Assignment.role).join(User).join(
            Client, Client.id == Assignment.client_id).where(in_team).order_by(
            Assignment.role.desc(), User.username)),
        today=today,
    )


def _aggregates(team_id: int, window: tuple[date, ...]) -> dict[str, dict]:
    keys = [month_key(month) for month in window]
    return dict(db.session.execute(select(MonthlyAggregate.month, MonthlyAggregate.figures).where(
        MonthlyAggregate.team_id == team_id, MonthlyAggregate.month.in_(keys))).all())


def _meetings_and_captures(in_team, in_month) -> dict:
    """The window's meetings and captures, a meeting recorded twice counted once."""
    meetings = [(MeetingRow(*row[:4]), row[4]) for row in db.session.execute(select(
        Meeting.id, Meeting.client_id, Meeting.held_on, Meeting.attendance, Meeting.starts_at,
    ).join(Client).where(in_team, in_month)).all()]
    kept, captures = one_per_slot(meetings, _captures(in_team, in_month))
    return {"meetings": kept, "captures": captures}


def _rows(row_type, query) -> tuple:
    return tuple(row_type(*row) for row in db.session.execute(query).all())


def _captures(in_team, in_month) -> tuple[CaptureRow, ...]:
    query = (
        select(Capture.meeting_id, Capture.author_id, Capture.attendance, Capture.marks,
               Capture.rating_goals,
               Capture.rating_tasks, Capture.rating_bond, Capture.delay_minutes,
               Capture.recorded_at)
        .join(Meeting, Meeting.id == Capture.meeting_id).join(Client)
        .where(in_team, in_month)
    )
    return tuple(
        CaptureRow(meeting, author, attendance, tuple(marks or ()), goals, tasks, bond, delay or 0,
                   recorded)
        for meeting, author, attendance, marks, goals, tasks, bond, delay, recorded
        in db.session.execute(query)
    )


def _ratings(in_team, months: tuple[str, ...]) -> tuple[DimensionRow, ...]:
    query = select(
        DimensionRating.client_id, DimensionRating.month, DimensionRating.radicalisation,
        DimensionRating.extremist_activity, DimensionRating.crime,
        DimensionRating.marginalisation, DimensionRating.mental_health,
    ).join(Client).where(in_team, DimensionRating.month.in_(months))
    return tuple(
        DimensionRow(client_id, month, tuple(scores))
        for client_id, month, *scores in db.session.execute(query)
    )


def months_with_data(team_id: int) -> list[str]:
    """Months (newest first) with a meeting of the team's clients or a stored aggregate."""
    days = db.session.scalars(
        select(Meeting.held_on).distinct().join(Client).where(Client.team_id == team_id)
    )
    stored = db.session.scalars(
        select(MonthlyAggregate.month).where(MonthlyAggregate.team_id == team_id)
    )
    return sorted({month_key(day) for day in days} | set(stored), reverse=True)
