"""What a worker observed after a meeting, and the paired debrief that compares two captures."""

from datetime import date, datetime, time

from sqlalchemy import JSON, CheckConstraint, ForeignKey, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.extensions import db
from companion.models.base import ATTENDANCE, choice, utcnow
from companion.models.clients import Meeting
from companion.models.people import User


def _rating(name: str) -> CheckConstraint:
    return CheckConstraint(f"{name} IS NULL OR {name} BETWEEN 1 AND 5", name=f"ck_{name}")


class Capture(db.Model):
    """One worker's record of one meeting: ticks, three ratings and an optional short note."""

    __tablename__ = "captures"
    __table_args__ = (
        UniqueConstraint("meeting_id", "author_id"),
        _rating("rating_goals"),
        _rating("rating_tasks"),
        _rating("rating_bond"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    attendance: Mapped[str] = mapped_column(choice("capture_attendance", *ATTENDANCE))
    held_on: Mapped[date]
    starts_at: Mapped[time]
    length_minutes: Mapped[int]
    marks: Mapped[list[str]] = mapped_column(JSON, default=list)
    rating_goals: Mapped[int | None] = mapped_column(SmallInteger)
    rating_tasks: Mapped[int | None] = mapped_column(SmallInteger)
    rating_bond: Mapped[int | None] = mapped_column(SmallInteger)
    next_step: Mapped[str | None] = mapped_column(String(140))
    note: Mapped[str | None] = mapped_column(String(500))
    co_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    delay_minutes: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime | None]
    edited_after_compare_at: Mapped[datetime | None]

    meeting: Mapped[Meeting] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    co_worker: Mapped[User | None] = relationship(foreign_keys=[co_worker_id])


class Debrief(db.Model):
    """The comparison of two captures of one shared meeting."""

    __tablename__ = "debriefs"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agreed_next_step: Mapped[str | None] = mapped_column(String(140))
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agreed_at: Mapped[datetime | None]

    meeting: Mapped[Meeting] = relationship()
