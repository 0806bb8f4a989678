"""`flask purge`: captures and their free text go after the retention period; figures stay."""

from datetime import date, time

from sqlalchemy import func, select

from companion.clock import month_start
from companion.extensions import db
from companion.models import AuditEntry, Capture, Meeting, MonthlyAggregate
from companion.retention import purge, purge_sessions
from tests.support import team_today


def test_the_cutoff_is_the_first_of_the_month_so_many_months_back():
    assert month_start(date(2026, 3, 15), 24) == date(2024, 3, 1)
    assert month_start(date(2026, 1, 2), 1) == date(2025, 12, 1)


def _capture(meeting_id, author_id, key, held_on):
    return Capture(meeting_id=meeting_id, author_id=author_id, idempotency_key=key,
                   attendance="held", held_on=held_on, starts_at=time(10), length_minutes=60,
                   marks=["relaxed"], note="private words")


def test_purge_deletes_old_captures_keeps_new_ones_and_the_monthly_figures(app, runner, world):
    with app.app_context():
        old = db.session.get(Meeting, world.meetings["shared"])
        old.held_on = date(2020, 5, 4)
        db.session.add(_capture(old.id, world.users["w1"], "old-key", old.held_on))
        recent = world.meetings["w3_only"]
        db.session.add(_capture(recent, world.users["w3"], "new-key", team_today()))
        db.session.commit()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "1 captures deleted" in result.output
    with app.app_context():
        keys = db.session.scalars(select(Capture.idempotency_key)).all()
        aggregate = db.session.scalar(select(MonthlyAggregate).where(
            MonthlyAggregate.team_id == world.team, MonthlyAggregate.month == "2020-05"))
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "retention.purged"))
    assert keys == ["new-key"]
    assert aggregate.figures["meetings"]["held"] == 1 and aggregate.figures["captures"] == 1
    assert "private" not in entry.subject and "captures:1" in entry.subject


def test_purge_with_nothing_old_deletes_nothing(app, world):
    with app.app_context():
        assert purge(today=team_today())["captures"] == 0
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(MonthlyAggregate)) == 0


def test_purge_removes_session_rows_once_they_ended_or_passed_twelve_hours(app, runner, world):
    from datetime import timedelta

    from companion.models import UserSession, utcnow
    from tests.support.world import PASSWORD

    def browser(username):
        signed_in = app.test_client()
        assert signed_in.post("/login", data={"username": username, "password": PASSWORD}
                              ).status_code == 303
        return signed_in

    live, signed_out, old, ended = browser("w1"), browser("w1"), browser("w2"), browser("w3")
    signed_out.post("/logout")  # its row ends (every session of w1 ends with a sign-out)
    live = browser("w1")
    with app.app_context():
        rows = {row.user_id: row for row in db.session.scalars(
            select(UserSession).where(UserSession.ended_at.is_(None)))}
        rows[world.users["w2"]].created_at = utcnow() - timedelta(hours=12, minutes=1)
        db.session.commit()
        live_id = rows[world.users["w1"]].id
    admin = browser("admin")
    admin.post(f"/admin/users/{world.users['w3']}/deactivate")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 6
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "4 sessions deleted" in result.output
    with app.app_context():
        kept = set(db.session.scalars(select(UserSession.id)))
        admins = db.session.scalar(select(UserSession.id).where(
            UserSession.user_id == world.users["admin"]))
        entry = db.session.scalar(select(AuditEntry.subject).where(
            AuditEntry.action == "retention.purged"))
    assert kept == {live_id, admins} and "sessions:4" in entry
    assert live.get("/").status_code == 200  # a browser still signed in keeps its session
    assert old.get("/").status_code == 302 and ended.get("/").status_code == 302
    with app.app_context():  # and its row goes at the first purge after its 12 hours
        purge()
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 2
        later = purge_sessions(utcnow() + timedelta(hours=12, seconds=1))
        db.session.commit()
        assert later == 2 and db.session.scalar(select(func.count()).select_from(
            UserSession)) == 0
