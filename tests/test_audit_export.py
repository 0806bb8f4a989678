"""The filtered trail as CSV: the same sentences and team clock as the page, only what the
filters keep, cells a spreadsheet cannot run, and each export itself on the trail."""

import csv
import io
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import select

from companion import audit
from companion.audit import export
from companion.extensions import db
from companion.models import AuditEntry, User


def _rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _write(app, world, *entries):
    with app.app_context():
        for username, action, subject, at in entries:
            user = db.session.scalar(select(User).where(User.username == username)) or \
                SimpleNamespace(id=None, username=username, role="worker", team_id=world.team)
            audit.record(action, subject, user=user)["at"] = at
        db.session.commit()


def test_the_csv_holds_the_filtered_trail_on_the_teams_clock(app, client, sign_in, world):
    shared = world.clients["shared"]
    _write(app, world,
           ("w1", "client.view", f"client:{shared}", datetime(2025, 11, 30, 23, 30)),
           ("w1", "report.generated", f"team:{world.team} month:2025-11",
            datetime(2025, 12, 2, 8)),
           ("w2", "client.view", f"client:{shared}", datetime(2025, 12, 1, 9)),
           ("b1", "client.view", f"client:{world.clients['other_team']}",
            datetime(2025, 12, 1, 9)))
    sign_in("lead")
    response = client.get(f"/audit/team.csv?who={world.users['w1']}&from=2025-12-01")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit-team-')
    header, *rows = _rows(response)
    assert header == ["When (Europe/Amsterdam)", "Who", "Role", "What happened", "Action",
                      "Subject", "Request"]
    assert [row[:4] for row in rows] == [
        ["2025-12-02 09:00", "w1", "worker", "w1 downloaded the November 2025 report"],
        ["2025-12-01 00:30", "w1", "worker", "w1 opened A-1"]]
    assert "B-1" not in response.get_data(as_text=True)


def test_exporting_is_on_the_trail_with_the_filters_and_the_newest_entry(app, client, sign_in,
                                                                        world):
    _write(app, world, ("w1", "login", f"user:{world.users['w1']}", datetime(2025, 12, 1, 9)))
    sign_in("lead")
    client.get("/audit/team.csv?kind=signin&to=2025-12-31")
    with app.app_context():
        newest = db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "login"))
        [subject] = db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action == "audit.exported")).all()
    assert subject == f"team:{world.team} entries:1 upto:{newest} kind:signin to:2025-12-31"
    page = client.get("/audit/team?kind=reports").get_data(as_text=True)
    assert "lead exported 1 audit entries as CSV" in page
    assert 'href="/audit/team.csv?kind=reports"' in page  # the link keeps the filters


def test_a_cell_that_would_start_a_formula_is_exported_as_text(app, client, sign_in, world):
    _write(app, world, ("=HYPERLINK(1)", "logout", "", datetime(2025, 12, 1, 9)))
    sign_in("lead")
    [row] = _rows(client.get("/audit/team.csv?kind=signin"))[1:]
    assert row[1] == "'=HYPERLINK(1)" and row[3] == "'=HYPERLINK(1) signed out"


def test_more_entries_than_a_file_holds_is_a_400_that_says_to_narrow_them(app, client, sign_in,
                                                                         world, monkeypatch):
    _write(app, world, *[("w1", "login", "", datetime(2025, 12, 1, 9, n)) for n in range(3)])
    sign_in("lead")
    monkeypatch.setattr(export, "CHUNK", 1)
    rows = _rows(client.get("/audit/team.csv?kind=signin"))
    assert [row[0] for row in rows[1:]] == ["2025-12-01 10:02", "2025-12-01 10:01",
                                            "2025-12-01 10:00"]  # read one chunk at a time
    monkeypatch.setattr(export, "MAX_ROWS", 2)
    response = client.get("/audit/team.csv?kind=signin")
    assert response.status_code == 400
    assert "3 entries match; a file holds at most 2." in response.get_data(as_text=True)


def test_the_admin_exports_account_events(app, client, sign_in, world):
    _write(app, world, ("w1", "login", f"user:{world.users['w1']}", datetime(2025, 12, 1, 9)))
    sign_in("admin")
    rows = _rows(client.get("/audit/accounts.csv?kind=signin"))
    assert ["w1", "worker", "w1 signed in"] in [row[1:4] for row in rows]
