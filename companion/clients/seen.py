"""Which meetings and captures of a client a user may see.

Blindness: a worker sees their own captures, and a partner's capture of a meeting only once
they have saved their own capture of that meeting. Leads see every capture of their team.
"""

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from companion.extensions import db
from companion.models import Capture, Meeting

HISTORY_MEETINGS = 20  # meetings on the timeline, and the most the rules look at


_OWN = aliased(Capture, name="own")  # built once: an alias costs more than the query around it


def visible(query: Select, user) -> Select:
    """Limit a query over Capture (or a table with meeting_id) to what `user` may see: a lead
    all of the team's, a worker their own and those of meetings they captured too (one index
    lookup per row, not a list of every meeting they ever captured)."""
    if user.role == "lead":
        return query
    entity = query.column_descriptions[0]["entity"]
    captured_too = exists().where(_OWN.meeting_id == entity.meeting_id,
                                  _OWN.author_id == user.id)
    if entity is Capture:
        return query.where(or_(Capture.author_id == user.id, captured_too))
    return query.where(captured_too)


def seen_captures(client, user) -> tuple[list[Meeting], list[Capture]]:
    """The client's latest meetings and the captures of them that `user` may see."""
    meetings = db.session.scalars(
        select(Meeting).options(selectinload(Meeting.workers))
        .where(Meeting.client_id == client.id)
        .order_by(Meeting.held_on.desc(), Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(HISTORY_MEETINGS)
    ).all()
    captures = db.session.scalars(
        visible(select(Capture), user).options(joinedload(Capture.author))
        .where(Capture.meeting_id.in_([m.id for m in meetings])).order_by(Capture.id)
    ).all()
    return meetings, captures
