"""Monthly report v2 parsed back from the demo team's PDF: the six-month trend, debriefs, each
client's workers and five dimensions in words, the supervision topics, and "Worth a look" in a
month that is still under way. Every figure is computed here from the database.

One demo app for the module; each month's PDF is rendered once.
"""

import io
import re
import time
from collections import Counter, defaultdict

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from companion import agreement, demo
from companion.content import load_content
from companion.debriefs import pairs
from companion.extensions import db
from companion.models import (
    Assignment,
    Capture,
    Client,
    Debrief,
    DimensionRating,
    Meeting,
    Pair,
    Team,
    User,
)
from companion.reports.months import month_key, next_month, previous_month, trend_months
from companion.vocabulary import DIMENSIONS, TOOK_PLACE
from tests.support import team_today
from tests.support.apps import make_app
from tests.support.browser import DEMO_PASSWORD

MONTH = previous_month(team_today().replace(day=1))
VOCABULARY = load_content().vocabulary
WARNING = {m.id for m in VOCABULARY.warning}


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report-v2")
    app = make_app(f"sqlite:///{tmp / 'report.sqlite'}", tmp, DEMO_PASSWORD=DEMO_PASSWORD)
    with app.app_context():
        db.create_all()
        demo.seed()
        db.session.commit()
        team = db.session.scalar(select(Team).where(Team.name == "Demo team"))
        app.config["DEMO_TEAM_ID"] = team.id
    yield app
    with app.app_context():
        db.engine.dispose()


def _download(app, month) -> list[str]:
    client = app.test_client()
    with app.app_context():
        lead = db.session.scalar(select(User).where(User.username == "lead1"))
    with client.session_transaction() as session:
        session.update({"_user_id": lead.get_id(), "_fresh": True,
                        "login_at": int(time.time()), "seen": int(time.time())})
    response = client.get(f"/reports/{app.config['DEMO_TEAM_ID']}/{month_key(month)}.pdf")
    assert response.status_code == 200
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages]


@pytest.fixture(scope="module")
def pages(demo_app):
    return _download(demo_app, MONTH)


def _row(pages, label: str) -> list[str]:
    """The cells after `label` on the line that starts with it."""
    line = next(line for page in pages for line in page.splitlines()
                if line.startswith(label + " "))
    return re.findall(r"–|-?\d+(?:\.\d+)?(?: %)?", line[len(label):])


def _expected_trend(team_id: int) -> dict[str, list[str]]:
    rows = defaultdict(list)
    for month in trend_months(MONTH):
        meetings = db.session.execute(select(Meeting.id, Meeting.attendance).join(Client).where(
            Client.team_id == team_id, Meeting.held_on >= month,
            Meeting.held_on < next_month(month))).all()
        attendance = Counter(kind for _, kind in meetings)
        for kind, label in (("held", "Held"), ("cut_short", "Cut short"),
                            ("no_show", "No-show"), ("cancelled", "Cancelled by the institution")):
            rows[label].append(str(attendance[kind]))
        took_place = {meeting for meeting, kind in meetings if kind in TOOK_PLACE}
        captures = db.session.execute(select(Capture.meeting_id, Capture.marks,
                                             Capture.delay_minutes).where(
            Capture.meeting_id.in_([m for m, _ in meetings]))).all()
        marks = defaultdict(set)
        for meeting, ticked, _ in captures:
            marks[meeting].update(ticked or ())
        rows["Meetings with warning signs"].append(str(sum(
            bool(marks[m] & WARNING) for m in took_place if m in marks)))
        on_time = sum(delay <= 24 * 60 for _, _, delay in captures)
        rows["Captures within a day"].append(
            f"{100 * on_time / len(captures):.0f} %" if captures else "–")
    return rows


def test_the_six_month_trend_equals_the_months_in_the_database(demo_app, pages):
    assert "Six months" in pages[0]
    with demo_app.app_context():
        expected = _expected_trend(demo_app.config["DEMO_TEAM_ID"])
    for label, cells in expected.items():
        assert _row(pages, label) == cells, label
    assert sum(int(n) for n in expected["Held"][:-1]) > 0  # the demo has earlier months too
    months = next(line for line in pages[0].splitlines() if line.startswith("Figure "))
    assert months.split()[1:] == [m.strftime("%b") for m in trend_months(MONTH)]


def test_debrief_figures_equal_the_debriefs_of_the_month(demo_app, pages):
    with demo_app.app_context():
        captured = Counter(db.session.scalars(select(Capture.meeting_id).join(Meeting).join(
            Client).where(Client.team_id == demo_app.config["DEMO_TEAM_ID"],
                          Meeting.held_on >= MONTH, Meeting.held_on < next_month(MONTH),
                          Meeting.attendance.in_(TOOK_PLACE),
                          Capture.attendance.in_(TOOK_PLACE))).all())
        shared = [meeting for meeting, n in captured.items() if n >= 2]
        debriefs = db.session.scalars(select(Debrief).where(
            Debrief.meeting_id.in_(shared))).all()
    assert _row(pages, "Shared meetings both workers captured") == [str(len(shared))]
    assert _row(pages, "Debriefs compared and closed") == [
        str(sum(d.closed_at is not None for d in debriefs))]
    assert _row(pages, "Next steps agreed") == [
        str(sum(d.agreed_next_step is not None for d in debriefs))]
    assert len(shared) > 0
    text = "\n".join(pages)
    assert all(d.agreed_next_step not in text for d in debriefs if d.agreed_next_step)


def test_each_client_names_its_workers_and_its_five_dimensions_in_words(demo_app, pages):
    text = "\n".join(pages)
    flat = " ".join(text.split())
    assert "▲" not in text and "▼" not in text
    with demo_app.app_context():
        client = db.session.scalar(select(Client).where(Client.code == "K-101"))
        names = db.session.execute(select(User.username, Assignment.role).join(Assignment).where(
            Assignment.client_id == client.id).order_by(Assignment.role.desc(),
                                                        User.username)).all()
        ratings = {r.month: r for r in db.session.scalars(select(DimensionRating).where(
            DimensionRating.client_id == client.id))}
    workers = ", ".join(name + (" (co-worker)" if role == "co_worker" else "")
                        for name, role in names)
    block = flat[flat.index("K-101 "):flat.index("K-102 ")]
    assert f"Works with them: {workers}" in block
    now, before = ratings[month_key(MONTH)], ratings[month_key(previous_month(MONTH))]
    for name, label in DIMENSIONS.items():
        value, last = getattr(now, name), getattr(before, name)
        words = ("" if value == last else f" (less concern, +{value - last})"
                 if value > last else f" (more concern, −{last - value})")
        assert re.search(re.escape(f"{label} {value}{words}") + r"(?! \()", block), label


def test_supervision_topics_are_the_agreement_modules_figures(demo_app, pages):
    observed = list(VOCABULARY.observed)
    with demo_app.app_context():
        tables = {marker: agreement.Table() for marker in observed}
        for pair in db.session.scalars(select(Pair)).all():
            shared = pairs.shared_marks(pair, MONTH, next_month(MONTH))
            for marker in observed:
                tables[marker] = tables[marker] + agreement.table_for(shared, marker)
    labels = VOCABULARY.by_id
    ranked = sorted(((t.first_only + t.second_only, labels[m].label, t)
                     for m, t in tables.items() if t.first_only + t.second_only),
                    key=lambda row: (-row[0], row[1]))
    disagreements, label, table = ranked[0]
    figures = agreement.rare_figures(table)
    assert _row(pages, label) == [
        str(disagreements), str(table.n), f"{figures.prevalence * 100:.0f} %",
        f"{figures.ppos:.2f}", f"{figures.pneg:.2f}", f"{figures.kappa:.2f}",
        f"{figures.kappa_low:.2f}", f"{figures.kappa_high:.2f}", f"{figures.ac1:.2f}"]


def test_a_month_under_way_does_not_call_no_meeting_yet_worth_a_look(demo_app):
    current = _download(demo_app, team_today().replace(day=1))
    text = "\n".join(current)
    assert "No meeting this month" not in text
    assert "Six months" in current[0]
