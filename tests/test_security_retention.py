"""`flask purge`: captures and their free text go after the retention period; figures stay."""

from datetime import date, time

from sqlalchemy import func, select

from companion.clock import month_start
from companion.extensions import db
from companion.models import AuditEntry, Capture, Meeting, MonthlyAggregate
from companion.retention import purge
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
