"""The one-page "Our agreed goals" PDF to go through with the client: the pseudonym, the open
and reached milestones, the next review date and who reads the record; nothing else."""

from datetime import date

from flask import current_app, render_template
from sqlalchemy import case, select

from companion import audit
from companion.clients.progress import add_months, review_status
from companion.extensions import db
from companion.models import Milestone
from companion.reports.pdf import StaticOnlyFetcher, laid_out

SHOWN = ("open", "reached")
MAX_GOALS = 20
ROOMY = 6  # up to this many goals in the large type; more in the compact one


def agreed_goals(client) -> list[Milestone]:
    """Open goals first (by target month), then reached ones (the latest first); dropped ones
    are left out."""
    return db.session.scalars(
        select(Milestone).where(Milestone.client_id == client.id, Milestone.status.in_(SHOWN))
        .order_by(case((Milestone.status == "open", 0), else_=1), Milestone.target_month,
                  Milestone.reached_on.desc(), Milestone.id).limit(MAX_GOALS)
    ).all()


def agreed_goals_pdf(client, today: date) -> bytes:
    """The PDF bytes, always one page: the large type while it fits, else the compact one with
    as many goals as fit (the rest counted in a line); the caller commits."""
    goals = agreed_goals(client)
    review = review_status(client, goals, today)
    # Printed when the review is due (most likely during it): the next one after today.
    next_review = review.next_on if review.next_on > today else add_months(today, review.every)
    fetcher = StaticOnlyFetcher(current_app.static_folder)
    counts = {status: sum(g.status == status for g in goals) for status in SHOWN}

    def render(shown: int, compact: bool):
        html = render_template("clients/goals_pdf.html", code=client.code, goals=goals[:shown],
                               counts=counts, left_out=len(goals) - shown, compact=compact,
                               next_review=next_review)
        return laid_out(html, current_app.static_folder, fetcher)

    document = render(len(goals), compact=False) if len(goals) <= ROOMY else None
    if document is None or len(document.pages) > 1:
        document = most_that_fit(len(goals), lambda shown: render(shown, compact=True))
    audit.record("goals.printed", f"client:{client.id}")
    return document.write_pdf()


def most_that_fit(count: int, render):
    """The rendering of the most goals (of `count`, in order) that fit on one page; the page
    count only grows with more goals, so a binary search needs few renderings."""
    low, high, best = 0, count, None
    while low <= high:
        middle = (low + high) // 2
        document = render(middle)
        if len(document.pages) == 1:
            low, best = middle + 1, document
        else:
            high = middle - 1
    return best if best is not None else render(0)
