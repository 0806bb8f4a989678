"""Figures for funders: small-cell suppression as plain functions, then the CSV and the one-page
PDF through the web, compared with counts made here from the database (who may download them
is in tests/support/access_table.py, proved by the access matrix)."""

import csv
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from companion.extensions import db
from companion.models import AuditEntry, Client, Meeting
from companion.reports.figures import Headline
from companion.reports.funders import published_row, suppress, suppress_group
from companion.reports.months import month_key, next_month, previous_month, trend_months
from companion.vocabulary import ATTENDANCE
from tests.support import records, team_today

MONTH = previous_month(team_today().replace(day=1))
CANARY = "FUNDER-CANARY-5521"


@pytest.mark.parametrize(("count", "shown"), [(0, "<3"), (1, "<3"), (2, "<3"), (3, "3"),
                                              (17, "17")])
def test_a_count_below_3_is_shown_as_fewer_than_3(count, shown):
    assert suppress(count) == shown


def test_one_small_cell_in_a_group_with_its_total_hides_the_next_smallest_too():
    assert suppress_group({"a": 10, "b": 2, "c": 5, "d": 7}) == {
        "a": "10", "b": "<3", "c": "<3", "d": "7"}
    assert suppress_group({"a": 10, "b": 1, "c": 0}) == {"a": "10", "b": "<3", "c": "<3"}
    assert suppress_group({"a": 10, "b": 12}) == {"a": "10", "b": "12"}
    assert suppress_group({"a": 1}) == {"a": "<3"}


def test_a_published_month_holds_counts_only_with_small_ones_suppressed():
    figures = Headline({"held": 14, "cut_short": 3, "no_show": 4, "cancelled": 0},
                       {"before_first_meeting": 0, "first_meetings": 3, "change_work": 5,
                        "crisis": 1}, 2, 1, 25, 35, {"completed": 3}, captures_on_time=24)
    row = published_row(MONTH, figures)
    assert row == {
        "month": month_key(MONTH), "meetings_held": "14", "meetings_cut_short": "<3",
        "meetings_no_show": "4", "meetings_cancelled": "<3", "meetings": "21",
        "clients_before_first_meeting": "<3", "clients_first_meetings": "3",
        "clients_change_work": "5", "clients_crisis": "<3", "clients": "9",
        "crises_opened": "<3", "cases_closed": "3", "captures": "25", "captures_on_time": "24",
    }


@pytest.fixture
def month_of_work(app, world):
    """Four held meetings and a no-show of A-1 in MONTH, captured, one with a canary note."""
    with app.app_context():
        for day, attendance in ((2, "held"), (9, "held"), (16, "held"), (23, "held"),
                                (25, "no_show")):
            meeting = records.meeting(world.clients["shared"], [world.users["w1"]],
                                      MONTH.replace(day=day), attendance)
            if attendance == "held":
                capture = records.capture(meeting, world.users["w1"], ["relaxed"])
                capture.note = CANARY if day == 2 else None
        db.session.commit()


def _counted(team_id: int, month) -> dict[str, int]:
    kinds = db.session.scalars(select(Meeting.attendance).join(Client).where(
        Client.team_id == team_id, Meeting.held_on >= month,
        Meeting.held_on < next_month(month))).all()
    return {kind: kinds.count(kind) for kind in ATTENDANCE}


def test_the_csv_has_six_months_of_counts_suppressed_and_no_client_code(
        app, client, auth, world, month_of_work):
    auth.sign_in("lead")
    response = client.get(f"/reports/{world.team}/{month_key(MONTH)}/funders.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="team-a-{month_key(MONTH)}-funders.csv"')
    body = response.get_data(as_text=True)
    for secret in ("A-1", "A-2", "B-1", CANARY, "w1", "Team A"):
        assert secret not in body, secret
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["Month"] for row in rows] == [month_key(m) for m in trend_months(MONTH)]
    with app.app_context():
        counted = _counted(world.team, MONTH)
    month = rows[-1]
    assert counted["held"] >= 4 and 1 <= counted["no_show"] < 3  # one shown as "<3"
    for kind, label in ATTENDANCE.items():
        assert month[f"Meetings: {label}"] == suppress(counted[kind]), kind
    assert month["All meetings"] == str(sum(counted.values()))
    assert month["Captures made"] == "4" and month["Captures within a day"] == "4"
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "report.funders_csv")).one()
    assert entry.username == "lead" and entry.subject == (
        f"team:{world.team} month:{month_key(MONTH)}")


def test_the_pdf_is_one_page_with_the_csvs_figures(app, client, auth, world, month_of_work):
    auth.sign_in("lead")
    base = f"/reports/{world.team}/{month_key(MONTH)}/funders"
    rows = list(csv.DictReader(io.StringIO(client.get(base + ".csv").get_data(as_text=True))))
    response = client.get(base + ".pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = PdfReader(io.BytesIO(response.data)).pages
    assert len(pages) == 1
    text = pages[0].extract_text()
    assert "A-1" not in text and CANARY not in text
    for heading in rows[0]:
        if heading == "Month":
            continue
        line = next(line for line in text.splitlines() if line.startswith(heading + " "))
        assert line[len(heading):].split() == [row[heading] for row in rows], heading
    with app.app_context():
        assert db.session.scalars(select(AuditEntry.username).where(
            AuditEntry.action == "report.funders_pdf")).all() == ["lead"]


def test_a_bad_month_for_the_funders_is_a_400(client, auth, world):
    auth.sign_in("lead")
    response = client.get(f"/reports/{world.team}/2026-13/funders.csv")
    assert response.status_code == 400 and "between 01 and 12" in response.get_data(as_text=True)


@pytest.mark.parametrize("ending", [".csv", ".pdf"])
def test_the_cli_writes_the_funders_figures_privately_and_audits_them(
        app, runner, world, month_of_work, tmp_path, ending):
    out = tmp_path / f"funders{ending}"
    result = runner.invoke(args=["report", "funders", "--team", "Team A", "--month",
                                 month_key(MONTH), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    if ending == ".csv":
        assert data.decode().splitlines()[-1].startswith(month_key(MONTH) + ",")
        assert b"A-1" not in data
    else:
        assert data.startswith(b"%PDF") and len(PdfReader(io.BytesIO(data)).pages) == 1
    with app.app_context():
        assert db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("report.funders%"))).all() == [f"report.funders_{ending[1:]}"]


def test_the_cli_refuses_another_kind_of_file(runner, world, tmp_path):
    result = runner.invoke(args=["report", "funders", "--team", "Team A", "--month", "2026-10",
                                 "--out", str(tmp_path / "x.txt")])
    assert result.exit_code == 2 and ".csv or .pdf" in result.output
