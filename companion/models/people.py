"""Teams, users and pairs."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.extensions import db
from companion.models.base import ROLES, choice, utcnow


class Team(db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list["User"]] = relationship(back_populates="team", order_by="User.username")

    def __repr__(self) -> str:
        return f"<Team {self.name}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(choice("user_role", *ROLES))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    session_version: Mapped[int] = mapped_column(default=1)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None]
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(8))  # None: follow the browser

    team: Mapped[Team | None] = relationship(back_populates="members")
    recovery_codes: Mapped[list["RecoveryCode"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The session names the user and the session version, so bumping it ends every copy."""
        return f"{self.id}:{self.session_version}"

    def end_all_sessions(self) -> None:
        self.session_version += 1

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class RecoveryCode(db.Model):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class Pair(db.Model):
    """Two workers of one team who run sessions together."""

    __tablename__ = "pairs"
    __table_args__ = (
        UniqueConstraint("first_id", "second_id"),
        CheckConstraint("first_id < second_id", name="ck_pairs_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    first_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    second_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    first: Mapped[User] = relationship(foreign_keys=[first_id])
    second: Mapped[User] = relationship(foreign_keys=[second_id])

    @staticmethod
    def ordered(first_id: int, second_id: int) -> tuple[int, int]:
        """The two ids in stored order (ck_pairs_ordered: the lower id first)."""
        return (first_id, second_id) if first_id < second_id else (second_id, first_id)

    @classmethod
    def of(cls, first_id: int, second_id: int):
        """The statement finding the pair these two workers form, whichever is named first."""
        low, high = cls.ordered(first_id, second_id)
        return select(cls).where(cls.first_id == low, cls.second_id == high)

    def partner_of(self, user: User) -> User:
        return self.second if user.id == self.first_id else self.first
