"""Column helpers shared by the model modules."""

from datetime import UTC, datetime

from sqlalchemy import Enum

from companion import vocabulary


def utcnow() -> datetime:
    """Naive UTC now: every stored timestamp is UTC without a zone."""
    return datetime.now(UTC).replace(tzinfo=None)


def choice(name: str, *values: str) -> Enum:
    """A string column limited to `values`, enforced by a CHECK constraint on every engine."""
    return Enum(*values, name=name, native_enum=False, create_constraint=True, length=24)


ROLES = ("worker", "lead", "admin")
ATTENDANCE = tuple(vocabulary.ATTENDANCE)
ASSIGNMENT_ROLES = ("lead_worker", "co_worker")
MILESTONE_STATUSES = ("open", "reached", "dropped")
CLOSE_REASONS = tuple(vocabulary.CLOSE_REASONS)
