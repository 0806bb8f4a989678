"""A worker acknowledged the warning signs of a meeting on the card: they stop being live
(issue 12: a warning stays until a worker acts on it, or a later capture says it is gone)."""

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from companion.extensions import db
from companion.models.base import utcnow


class WarningAcknowledgement(db.Model):
    __tablename__ = "warning_acknowledgements"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime] = mapped_column(default=utcnow)
