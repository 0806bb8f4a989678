"""Who gets a team's report, bad months, the command line, and a fixed number of queries."""

import io
import stat
from datetime import date, time, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import event, select

from companion.extensions import db
from companion.models import AuditEntry, Capture, Client, Meeting, MeetingWorker, Team
from companion.reports import queries
from companion.reports.months import month_key, parse_month
from tests.support import team_today

WORLD_MONTH = month_key(team_today() - timedelta(days=1))  # when tests.world's meetings are


def _pdf_url(world, team="team", month=WORLD_MONTH):
    return f"/reports/{getattr(world, team)}/{month}.pdf"


@pytest.mark.parametrize(("username", "status"), [("w1", 403), ("w3", 403), ("admin", 403),
                                                  ("lead_b", 404)])
def test_only_the_teams_lead_gets_its_report(client, auth, world, username, status):
    auth.sign_in(username)
    assert client.get(_pdf_url(world)).status_code == status


@pytest.mark.parametrize(("username", "status"), [("w1", 403), ("admin", 403), ("lead", 200)])
def test_the_reports_page_is_for_leads(client, auth, world, username, status):
    auth.sign_in(username)
    assert client.get("/reports/").status_code == status


def test_an_anonymous_visitor_is_sent_to_login(client, world):
    response = client.get(_pdf_url(world))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_refused_report_is_audited(app, client, auth, world):
    auth.sign_in("lead_b")
    client.get(_pdf_url(world))
    with app.app_context():
        subjects = db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action == "access.denied", AuditEntry.username == "lead_b")).all()
    assert f"team:{world.team}" in subjects


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "October", "2026-10-01", "0000-01"])
def test_a_bad_month_in_the_address_is_a_400_with_a_message(client, auth, world, month):
    auth.sign_in("lead")
    response = client.get(_pdf_url(world, month=month))
    assert response.status_code == 400
    assert "YYYY-MM" in response.get_data(as_text=True) or "between" in response.get_data(
        as_text=True)


def test_the_month_form_sends_a_good_month_to_its_pdf(client, auth, world):
    auth.sign_in("lead")
    response = client.get("/reports/?month=2026-10")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/reports/{world.team}/2026-10.pdf")


def test_the_month_form_shows_a_bad_month_next_to_the_field(client, auth, world):
    auth.sign_in("lead")
    response = client.get("/reports/?month=2026-99")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="month-error"' in page and "between 01 and 12" in page


def test_the_lead_home_links_to_the_reports(client, auth, world):
    auth.sign_in("lead")
    assert 'href="/reports/"' in client.get("/").get_data(as_text=True)
    auth.sign_in("w1")
    assert 'href="/reports/"' not in client.get("/").get_data(as_text=True)


def test_the_lead_downloads_their_own_teams_report(client, auth, world):
    auth.sign_in("lead")
    response = client.get(_pdf_url(world))
    assert response.status_code == 200
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages]
    text = "\n".join(pages).split("How these figures are computed")[0]  # then the method
    assert "Team A" in text and "A-1" in text and "A-2" in text
    assert "B-1" not in text and "Team B" not in text
    # meetings but no captures, milestones or ratings yet: those sections are left out
    for absent in ("Pair agreement", "Practice patterns", "Warning signs", "Readiness:",
                   "Milestones reached", "Five dimensions: Radicalisation"):
        assert absent not in text, absent


def test_the_cli_writes_a_valid_pdf_and_audits_it(app, runner, world, tmp_path):
    out = tmp_path / "team-a.pdf"
    result = runner.invoke(args=["report", "monthly", "--team", "Team A", "--month",
                                 WORLD_MONTH, "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(PdfReader(io.BytesIO(data)).pages) >= 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "report.generated")).one()
    assert entry.subject == f"team:{world.team} month:{WORLD_MONTH}"
    assert entry.user_id is None and entry.username == ""


@pytest.mark.parametrize(("args", "message"), [
    (["--team", "Nobody", "--month", "2026-10"], "no team called 'Nobody'"),
    (["--team", "Team A", "--month", "2026-13"], "between 01 and 12"),
    (["--team", "Team A", "--month", "last"], "YYYY-MM"),
])
def test_the_cli_refuses_bad_teams_and_months(runner, world, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    result = runner.invoke(args=["report", "monthly", *args, "--out", str(out)])
    assert result.exit_code == 2 and message in result.output
    assert not out.exists()


def test_the_cli_says_when_it_cannot_write_the_file(runner, world, tmp_path):
    result = runner.invoke(args=["report", "monthly", "--team", "Team A", "--month", "2026-10",
                                 "--out", str(tmp_path / "missing" / "x.pdf")])
    assert result.exit_code == 1 and "cannot write" in result.output


def _grow_team(team_id: int, worker_id: int, clients: int, month: date) -> None:
    """Clients with two captured meetings each in `month`."""
    for number in range(clients):
        client = Client(code=f"G-{team_id}-{number}", team_id=team_id, phase="first_meetings")
        db.session.add(client)
        for day in (3, 17):
            meeting = Meeting(client=client, held_on=month.replace(day=day),
                              starts_at=time(10),
                              length_minutes=60, attendance="held")
            meeting.workers = [MeetingWorker(user_id=worker_id)]
            db.session.add(meeting)
            db.session.flush()
            db.session.add(Capture(meeting_id=meeting.id, author_id=worker_id,
                                   idempotency_key=f"grow-{meeting.id}", attendance="held",
                                   held_on=meeting.held_on, starts_at=meeting.starts_at,
                                   length_minutes=60, marks=["relaxed"], rating_goals=3))
    db.session.commit()


def _count_queries(team_id: int, month: date) -> int:
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        data = queries.report_data(db.session.get(Team, team_id), month)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert data.captures
    return len(statements)


def test_loading_a_month_takes_the_same_queries_for_2_or_20_clients(app, world):
    month = parse_month("2026-10")
    with app.app_context():
        _grow_team(world.team, world.users["w1"], 2, month)
        db.session.expire_all()
        small = _count_queries(world.team, month)
        _grow_team(world.other_team, world.users["b1"], 20, month)
        db.session.expire_all()
        large = _count_queries(world.other_team, month)
    assert small == large <= 12


def test_months_with_data_are_listed_newest_first(app, world):
    with app.app_context():
        _grow_team(world.team, world.users["w1"], 1, parse_month("2025-03"))
        months = queries.months_with_data(world.team)
    assert months == [WORLD_MONTH, "2025-03"]
