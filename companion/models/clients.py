"""Pseudonymous clients, who works with them, their meetings, phases, milestones and ratings."""

from datetime import date, datetime, time

from sqlalchemy import JSON, Boolean, ForeignKey, SmallInteger, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.extensions import db
from companion.models.base import (
    ASSIGNMENT_ROLES,
    ATTENDANCE,
    CLOSE_REASONS,
    MILESTONE_STATUSES,
    choice,
    utcnow,
)
from companion.models.people import Team, User
from companion.vocabulary import MILESTONE_AREAS, PHASES

PHASE = choice("phase", *PHASES)


class Client(db.Model):
    """A client known only by a code; no name, birth date or offence is ever stored."""

    __tablename__ = "clients"
    __table_args__ = (UniqueConstraint("team_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    phase: Mapped[str] = mapped_column(PHASE, default="before_first_meeting")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped by every hand-over, close and reopen: a change based on an older view is refused.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    closed_at: Mapped[datetime | None]
    closed_reason: Mapped[str | None] = mapped_column(choice("close_reason", *CLOSE_REASONS))
    closed_note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Months between reviews of the milestones; None: the team default (REVIEW_EVERY_MONTHS).
    review_every_months: Mapped[int | None] = mapped_column(SmallInteger)

    team: Mapped[Team] = relationship()
    assignments: Mapped[list["Assignment"]] = relationship(
        back_populates="client", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Client {self.code}>"


class Assignment(db.Model):
    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("client_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(choice("assignment_role", *ASSIGNMENT_ROLES))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    client: Mapped[Client] = relationship(back_populates="assignments")
    user: Mapped[User] = relationship()


class Handover(db.Model):
    """A lead moved a client between workers; `summary` is the record as it stood then,
    shown to the new worker the first time they open the client."""

    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    from_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime | None]

    from_user: Mapped[User | None] = relationship(foreign_keys=[from_user_id])
    to_user: Mapped[User | None] = relationship(foreign_keys=[to_user_id])


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (db.Index("ix_meetings_client_held_on", "client_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    held_on: Mapped[date]
    starts_at: Mapped[time]
    length_minutes: Mapped[int]
    attendance: Mapped[str] = mapped_column(choice("attendance", *ATTENDANCE))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    client: Mapped[Client] = relationship()
    workers: Mapped[list["MeetingWorker"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )


class MeetingWorker(db.Model):
    """A worker who took part in a meeting."""

    __tablename__ = "meeting_workers"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="workers")
    user: Mapped[User] = relationship()


class PhaseChange(db.Model):
    """Phase history: who moved the client, when, from where to where and why."""

    __tablename__ = "phase_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    from_phase: Mapped[str | None] = mapped_column(choice("from_phase", *PHASES))
    to_phase: Mapped[str] = mapped_column(choice("to_phase", *PHASES))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(String(300), default="")

    client: Mapped[Client] = relationship()
    changed_by: Mapped[User | None] = relationship()


class SuggestionDecision(db.Model):
    """A worker confirmed or dismissed a phase suggestion, based on captures up to a point."""

    __tablename__ = "suggestion_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    suggestion: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(choice("decision", "confirmed", "dismissed"))
    last_capture_id: Mapped[int | None]
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class Milestone(db.Model):
    """A small goal set together with the client; every status change is a MilestoneEvent."""

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    area: Mapped[str] = mapped_column(
        choice("milestone_area", *MILESTONE_AREAS), default="other", server_default="other"
    )
    target_month: Mapped[str | None] = mapped_column(String(7))
    agreed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(
        choice("milestone_status", *MILESTONE_STATUSES), default="open"
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reached_on: Mapped[date | None]

    events: Mapped[list["MilestoneEvent"]] = relationship(
        back_populates="milestone", cascade="all, delete-orphan",
        order_by="MilestoneEvent.id",
    )


class MilestoneEvent(db.Model):
    """One status of a milestone: set, reached, dropped or opened again; never overwritten."""

    __tablename__ = "milestone_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(choice("milestone_event_status", *MILESTONE_STATUSES))
    changed_on: Mapped[date]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    milestone: Mapped[Milestone] = relationship(back_populates="events")
    changed_by: Mapped[User | None] = relationship()


class Review(db.Model):
    """A review of the milestones held with the client (every few months)."""

    __tablename__ = "client_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date]
    held_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class DimensionRating(db.Model):
    """Monthly rating on Bjorgo's five dimensions of change, 1 (most concern) to 5 (least);
    None is "not known" and counts as missing. Editable only within its own month; every save
    is also kept as a DimensionRatingEdit, so an earlier version is never lost."""

    __tablename__ = "dimension_ratings"
    __table_args__ = (UniqueConstraint("client_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))
    radicalisation: Mapped[int | None] = mapped_column(SmallInteger)
    extremist_activity: Mapped[int | None] = mapped_column(SmallInteger)
    crime: Mapped[int | None] = mapped_column(SmallInteger)
    marginalisation: Mapped[int | None] = mapped_column(SmallInteger)
    mental_health: Mapped[int | None] = mapped_column(SmallInteger)
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)
