"""What the worker page shows, in a fixed number of statements whatever the history."""

from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import select

from companion import content
from companion.capture.queries import uncaptured_meetings
from companion.clock import local_now, month_start
from companion.debriefs.home import home_debriefs
from companion.debriefs.pairs import pair_months, pairs_of
from companion.extensions import db
from companion.models import Assignment, Capture, Client, User

TIMELINESS_DAYS = 90  # capture delays are read over this window
CAPTURE_DUE = timedelta(hours=24)


def caseload(worker: User) -> list[tuple[Client, str]]:
    """The worker's clients (code order) with their role on each."""
    return list(db.session.execute(
        select(Client, Assignment.role).join(Assignment, Assignment.client_id == Client.id)
        .where(Assignment.user_id == worker.id, Client.team_id == worker.team_id)
        .order_by(Client.code)
    ).all())


def timeliness(worker: User) -> dict:
    """Median minutes from the meeting's start to the capture, over the last 90 days, and the
    meetings still not captured after 24 hours."""
    since = local_now().date() - timedelta(days=TIMELINESS_DAYS)
    delays = list(db.session.scalars(
        select(Capture.delay_minutes).where(Capture.author_id == worker.id,
                                            Capture.held_on >= since)
    ))
    now = local_now()
    overdue = [m for m in uncaptured_meetings(worker)
               if now - datetime.combine(m.held_on, m.starts_at) > CAPTURE_DUE]
    return {
        "captures": len(delays),
        "median_delay": round(median(delays)) if delays else None,
        "overdue": overdue,
    }


def pair_agreement(worker: User) -> list[tuple[object, object]]:
    """Each of the worker's pairs with this month's pooled agreement."""
    observed = content.current().vocabulary.observed
    today = local_now().date()
    return [(pair, pair_months(pair, today, observed, months=1)[0])
            for pair in pairs_of(worker)]


def worker_page(worker: User) -> dict:
    return {
        "caseload": caseload(worker),
        "timeliness": timeliness(worker),
        "debriefs": home_debriefs(worker),
        "pairs": pair_agreement(worker),
        "this_month": month_start(local_now().date()),
    }
