"""The kept history of the monthly five-dimension ratings: one row per save, never changed."""

from datetime import datetime

from sqlalchemy import ForeignKey, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.extensions import db
from companion.models.base import utcnow
from companion.models.people import User


class DimensionRatingEdit(db.Model):
    """One save of a month's rating (the first and every later edit); the DimensionRating row
    holds the latest, these rows keep every version as it was saved."""

    __tablename__ = "dimension_rating_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(
        ForeignKey("dimension_ratings.id", ondelete="CASCADE"), index=True
    )
    radicalisation: Mapped[int | None] = mapped_column(SmallInteger)
    extremist_activity: Mapped[int | None] = mapped_column(SmallInteger)
    crime: Mapped[int | None] = mapped_column(SmallInteger)
    marginalisation: Mapped[int | None] = mapped_column(SmallInteger)
    mental_health: Mapped[int | None] = mapped_column(SmallInteger)
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)

    rated_by: Mapped[User | None] = relationship()
