"""Read-only queries behind the home pages; each runs a fixed number of statements."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from companion.access import visible_clients
from companion.capture.queries import uncaptured_meetings
from companion.debriefs.home import home_debriefs
from companion.debriefs.pairs import pairs_of
from companion.extensions import db
from companion.home.attention import needs_attention
from companion.models import Assignment, Client, Meeting, Team, User


def clients_with_last_meeting(user) -> list[tuple[Client, object]]:
    """The clients `user` may see, each with the date of their last meeting (or None); one
    index lookup per client (meetings by client and date), whatever the history."""
    last = (select(func.max(Meeting.held_on)).where(Meeting.client_id == Client.id)
            .correlate(Client).scalar_subquery())
    visible = visible_clients(user).subquery()
    query = (
        select(Client, last.label("last_held_on"))
        .join(visible, visible.c.id == Client.id)
        .where(Client.closed_at.is_(None))
        .order_by(Client.code)
    )
    return list(db.session.execute(query).all())


def worker_overview(user) -> dict:
    """Shared meetings waiting for a debrief, meetings still to capture (newest first), then
    the worker's clients; a fixed number of statements."""
    debriefs = home_debriefs(user)
    waiting = {item.meeting.id for item in debriefs.waiting}
    return {
        "debriefs": debriefs,
        "pairs": debriefs.pairs,
        "uncaptured": [m for m in uncaptured_meetings(user) if m.id not in waiting],
        "clients": clients_with_last_meeting(user),
    }


def lead_overview(user) -> dict:
    workers = db.session.scalars(
        select(User).where(User.team_id == user.team_id, User.role == "worker").order_by(
            User.username
        )
    ).all()
    counts = dict(
        db.session.execute(
            select(Assignment.user_id, func.count())
            .join(Client, Client.id == Assignment.client_id)
            .where(Client.team_id == user.team_id)
            .group_by(Assignment.user_id)
        ).all()
    )
    return {
        "attention": needs_attention(user),
        "clients": clients_with_last_meeting(user),
        "closed": db.session.scalars(
            select(Client).where(Client.team_id == user.team_id, Client.closed_at.is_not(None))
            .order_by(Client.closed_at.desc())).all(),
        "workers": [(worker, counts.get(worker.id, 0)) for worker in workers],
        "pairs": pairs_of(user),
    }


def admin_overview() -> dict:
    users = db.session.scalars(
        select(User).options(joinedload(User.team)).order_by(User.username)
    ).all()
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    return {"users": users, "teams": teams}
