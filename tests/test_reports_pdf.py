"""The demo team's monthly PDF, parsed back: figures, sections, privacy, audit, empty months.

One app with the demo team is built for the module and each PDF is rendered once (WeasyPrint
takes about a second per render).
"""

import io
import random
import re
import statistics
from collections import Counter
from datetime import date, datetime, time

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, select

from companion import agreement, demo
from companion.content import load_content
from companion.debriefs import pairs
from companion.extensions import db
from companion.models import (
    AuditEntry,
    Capture,
    Client,
    DimensionRating,
    Meeting,
    Milestone,
    MonthlyAggregate,
    Pair,
    PhaseChange,
    Team,
    User,
)
from companion.reports.figures import Headline
from companion.reports.months import month_key, next_month, previous_month
from companion.reports.wording import dimension_change
from companion.vocabulary import DIMENSIONS, PHASES
from tests.support import team_today
from tests.support.apps import make_app
from tests.support.browser import DEMO_PASSWORD

CANARY_NOTE = "CANARY-NOTE-7f3a"
CANARY_STEP = "CANARY-STEP-91c2"
MONTH = previous_month(team_today().replace(day=1))
PURGED_MONTH, EMPTY_MONTH = "2020-05", "2019-01"
VOCABULARY = load_content().vocabulary


def add_captures(team_id: int, start: date, end: date) -> None:
    """A capture by every worker of every attended meeting that has none yet, with ticks of all
    four kinds and ratings; the first one carries canary note and next step texts."""
    rng = random.Random(5)
    meetings = db.session.scalars(
        select(Meeting).join(Client).where(
            Client.team_id == team_id, Meeting.held_on >= start, Meeting.held_on < end,
            Meeting.attendance.in_(("held", "cut_short")),
        ).order_by(Meeting.held_on, Meeting.id)
    ).all()
    captured = set(db.session.execute(select(Capture.meeting_id, Capture.author_id)).all())
    canary = True
    for meeting in meetings:
        for worker in meeting.workers:
            if (meeting.id, worker.user_id) in captured:
                continue
            marks = [
                marker.id
                for table, share in ((VOCABULARY.readiness, 0.4), (VOCABULARY.warning, 0.1),
                                     (VOCABULARY.move, 0.3), (VOCABULARY.slip, 0.1))
                for marker in table if rng.random() < share
            ]
            db.session.add(Capture(
                meeting_id=meeting.id, author_id=worker.user_id,
                idempotency_key=f"report-test-{meeting.id}-{worker.user_id}",
                attendance=meeting.attendance, held_on=meeting.held_on,
                starts_at=meeting.starts_at, length_minutes=meeting.length_minutes, marks=marks,
                rating_goals=rng.randint(1, 5), rating_tasks=rng.randint(1, 5),
                rating_bond=rng.randint(1, 5), delay_minutes=rng.randint(5, 400),
                note=CANARY_NOTE if canary else None, next_step=CANARY_STEP if canary else None,
            ))
            canary = False


def expected_headline(team_id: int, start: date, end: date) -> dict[str, object]:
    """The first page's figures, computed here straight from the database."""
    meetings = db.session.scalars(select(Meeting.attendance).join(Client).where(
        Client.team_id == team_id, Meeting.held_on >= start, Meeting.held_on < end)).all()
    moment = datetime.combine(end, time())
    phase_of = {}
    for client_id, to_phase, at in db.session.execute(
        select(PhaseChange.client_id, PhaseChange.to_phase, PhaseChange.changed_at)
        .join(Client).where(Client.team_id == team_id).order_by(PhaseChange.changed_at)
    ):
        if at < moment:
            phase_of[client_id] = to_phase
    in_month = db.session.scalars(select(PhaseChange.to_phase).join(Client).where(
        Client.team_id == team_id, PhaseChange.changed_at >= datetime.combine(start, time()),
        PhaseChange.changed_at < moment)).all()
    delays = db.session.scalars(select(Capture.delay_minutes).join(Meeting).join(Client).where(
        Client.team_id == team_id, Meeting.held_on >= start, Meeting.held_on < end)).all()
    attendance, phases = Counter(meetings), Counter(phase_of.values())
    figures = {
        "Held": attendance["held"], "Cut short": attendance["cut_short"],
        "No-show": attendance["no_show"], "Cancelled by the institution": attendance["cancelled"],
        "All meetings": len(meetings), "All clients": len(phase_of),
        "Phase changes": len(in_month), "Crises opened": in_month.count("crisis"),
        "Captures made": len(delays), "Median delay": round(statistics.median(delays)),
    }
    figures.update({label: phases[phase] for phase, label in PHASES.items()})
    return figures


def parsed_headline(first_page: str) -> dict[str, object]:
    """Label -> number from the first page's text ("Held 12", "Median delay ... 2 h 05 min")."""
    figures = {}
    for line in first_page.splitlines():
        delay = re.fullmatch(r"Median delay after the meeting (?:(\d+) h )?(\d+) min", line.strip())
        if delay:
            figures["Median delay"] = int(delay[1] or 0) * 60 + int(delay[2])
        elif match := re.fullmatch(r"(.+?) (\d+)", line.strip()):
            figures[match[1]] = int(match[2])
    return figures


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The demo teams with captures for MONTH, a milestone, ratings and a purged month."""
    tmp = tmp_path_factory.mktemp("report")
    app = make_app(f"sqlite:///{tmp / 'report.sqlite'}", tmp, DEMO_PASSWORD=DEMO_PASSWORD)
    with app.app_context():
        db.create_all()
        demo.seed()
        team = db.session.scalar(select(Team).where(Team.name == "Demo team"))
        add_captures(team.id, MONTH, next_month(MONTH))
        first = db.session.scalar(  # the demo has captured the month already: mark one too
            select(Capture).join(Meeting).join(Client)
            .where(Client.team_id == team.id, Meeting.held_on >= MONTH,
                   Meeting.held_on < next_month(MONTH), Meeting.attendance == "held")
            .order_by(Capture.id).limit(1))
        first.note, first.next_step = CANARY_NOTE, CANARY_STEP
        client = db.session.scalar(select(Client).where(Client.code == "K-102"))
        db.session.execute(delete(DimensionRating).where(
            DimensionRating.client_id == client.id, DimensionRating.month == month_key(MONTH)))
        db.session.add_all([
            Milestone(client_id=client.id, title="Phoned his sister", status="reached",
                      reached_on=MONTH.replace(day=12)),
            DimensionRating(client_id=client.id, month=month_key(MONTH), radicalisation=3,
                            extremist_activity=4, crime=4, marginalisation=2, mental_health=3),
            MonthlyAggregate(team_id=team.id, month=PURGED_MONTH, figures=Headline(
                {"held": 17, "cut_short": 2, "no_show": 3, "cancelled": 1},
                {"before_first_meeting": 1, "first_meetings": 4, "change_work": 2, "crisis": 0},
                4, 0, 31, 95).to_dict()),
        ])
        db.session.commit()
        app.config["DEMO_TEAM_ID"] = team.id
    yield app
    with app.app_context():
        db.engine.dispose()


def _lead_client(app):
    client = app.test_client()
    response = client.post("/login", data={"username": "lead1", "password": DEMO_PASSWORD})
    assert response.status_code == 303 or response.status_code == 302
    return client


def _download(app, month: str):
    return _lead_client(app).get(f"/reports/{app.config['DEMO_TEAM_ID']}/{month}.pdf")


@pytest.fixture(scope="module")
def demo_report(demo_app):
    response = _download(demo_app, month_key(MONTH))
    assert response.status_code == 200
    return response, pdf_text(response.data)


def test_the_pdf_is_a_download_that_is_never_cached(demo_report):
    response, _ = demo_report
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="demo-team-{month_key(MONTH)}.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"


def test_first_page_figures_equal_those_computed_from_the_database(demo_app, demo_report):
    _, pages = demo_report
    with demo_app.app_context():
        expected = expected_headline(demo_app.config["DEMO_TEAM_ID"], MONTH, next_month(MONTH))
    parsed = parsed_headline(pages[0])
    assert {label: parsed.get(label) for label in expected} == expected
    assert expected["Captures made"] > 0 and expected["All clients"] == 6


def test_every_page_has_the_header_and_footer(demo_report):
    _, pages = demo_report
    assert len(pages) >= 4
    for number, text in enumerate(pages, 1):
        assert "Demo team" in text and "CONFIDENTIAL" in text.upper()
        assert f"Page {number} of {len(pages)}" in text and "Generated" in text


def test_each_section_is_there_when_its_data_exists(demo_report):
    _, pages = demo_report
    text = "\n".join(pages)
    for heading in ("Worth a look", "Clients", "Alliance ratings", "Warning signs",
                    "Milestones reached", "Phoned his sister", "Five dimensions",
                    "Pair agreement", "worker1 & worker2",
                    "Practice patterns", "Moves used", "Don'ts that slipped",
                    "How these figures are computed"):
        assert heading in text, heading
    for code in ("K-101", "K-102", "K-103", "K-104", "K-105", "K-106"):
        assert code in text
    assert "N-201" not in text and "worker3" not in text
    method = text.index("How these figures are computed")  # last: it explains every section
    assert method > text.index("Practice patterns") and "What is left out" in pages[-1]


def test_pair_agreement_matches_the_pair_page(demo_app, demo_report):
    _, pages = demo_report
    with demo_app.app_context():
        pair = db.session.scalars(select(Pair)).one()
        observed = [m.id for m in (*VOCABULARY.readiness, *VOCABULARY.warning)]
        shared = pairs.shared_marks(pair, MONTH, next_month(MONTH))
        expected = agreement.overall_agreement(shared, observed)
    line = next(line for text in pages for line in text.splitlines()
                if line.startswith("worker1 & worker2"))
    assert line.startswith(f"worker1 & worker2 {expected.n} {expected.agreement_pct:.1f} %")
    assert expected.n >= 1


def test_notes_and_next_steps_never_appear(demo_app, demo_report):
    _, pages = demo_report
    with demo_app.app_context():
        assert db.session.scalar(select(Capture.id).where(Capture.note == CANARY_NOTE))
    text = "\n".join(pages)
    assert CANARY_NOTE not in text and CANARY_STEP not in text
    assert "CANARY" not in text


def test_each_generation_is_in_the_audit_log(demo_app, demo_report):
    with demo_app.app_context():
        entries = db.session.execute(select(AuditEntry.username, AuditEntry.subject).where(
            AuditEntry.action == "report.generated")).all()
    team_id = demo_app.config["DEMO_TEAM_ID"]
    assert ("lead1", f"team:{team_id} month:{month_key(MONTH)}") in entries


def test_an_empty_month_gives_a_short_pdf_that_says_so(demo_app):
    response = _download(demo_app, EMPTY_MONTH)
    assert response.status_code == 200
    pages = pdf_text(response.data)
    assert len(pages) == 1
    assert "No data for this month" in pages[0]
    for absent in ("Clients", "Practice patterns", "Pair agreement", "K-101"):
        assert absent not in pages[0]


def test_a_purged_month_shows_the_stored_aggregate(demo_app):
    pages = pdf_text(_download(demo_app, PURGED_MONTH).data)
    figures = parsed_headline(pages[0])
    assert "retention policy" in pages[0]
    assert (figures["Held"], figures["No-show"], figures["Captures made"]) == (17, 3, 31)
    assert figures["Median delay"] == 95 and figures["Phase changes"] == 4


def test_the_reports_page_lists_the_months_with_data(demo_app):
    page = _lead_client(demo_app).get("/reports/").get_data(as_text=True)
    assert MONTH.strftime("%B %Y") in page and "May 2020" in page
    assert f"/reports/{demo_app.config['DEMO_TEAM_ID']}/{month_key(MONTH)}.pdf" in page
    assert "style=" not in page and "<script>" not in page


def test_the_demo_lead_is_the_only_demo_user_who_gets_the_report(demo_app):
    with demo_app.app_context():
        names = db.session.scalars(select(User.username).where(User.username != "lead1")).all()
    for name in names:
        client = demo_app.test_client()
        client.post("/login", data={"username": name, "password": DEMO_PASSWORD})
        response = client.get(f"/reports/{demo_app.config['DEMO_TEAM_ID']}/2026-10.pdf")
        assert response.status_code in (403, 404), name


def test_the_client_page_and_the_pdf_name_the_five_dimensions_alike(demo_app, demo_report):
    """One vocabulary: the words of the client page's ratings table are those of the PDF."""
    _, pages = demo_report
    pdf = " ".join(" ".join(page.split()) for page in pages)
    with demo_app.app_context():
        rated = db.session.scalar(select(DimensionRating.client_id).join(Client).where(
            Client.team_id == demo_app.config["DEMO_TEAM_ID"],
            DimensionRating.month == month_key(MONTH)).limit(1))
    page = _lead_client(demo_app).get(f"/clients/{rated}/ratings").get_data(as_text=True)
    for label in DIMENSIONS.values():
        assert str(label) in page and str(label) in pdf, label


def test_a_change_in_a_five_dimension_rating_is_said_in_words(demo_report):
    """1 is most concern and 5 least: an arrow up read as "more radicalised" (issue 12, 7)."""
    _, pages = demo_report
    pdf = " ".join(" ".join(page.split()) for page in pages)
    assert "▲" not in pdf and "▼" not in pdf
    assert re.search(r"\((less concern, \+|more concern, −)\d\)", pdf)
    assert "Five dimensions: 1 most concern, 5 least concern" in pdf


def test_the_change_words_name_the_direction_and_the_points(app):
    with app.test_request_context():
        assert dimension_change(4, 3) == "less concern, +1"
        assert dimension_change(1, 3) == "more concern, −2"
        assert [dimension_change(*pair) for pair in ((3, 3), (None, 3), (3, None))] == [""] * 3
