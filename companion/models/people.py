"""Teams, users and pairs."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    UniqueConstraint,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.extensions import db
from companion.keys import Encrypted
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
    totp_secret: Mapped[str | None] = mapped_column(Encrypted())
    # The seed being enrolled: server-side, never in the session cookie.
    totp_pending: Mapped[str | None] = mapped_column(Encrypted())
    totp_last_step: Mapped[int | None]
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    # Separation of duties: an invitation the person completes themselves (the code is given
    # out of band), and access to records only once someone other than its issuer confirms.
    invite_hash: Mapped[str | None] = mapped_column(String(255))
    invite_expires_at: Mapped[datetime | None]
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_up_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    language: Mapped[str | None] = mapped_column(String(8))  # None: follow the browser

    team: Mapped[Team | None] = relationship(back_populates="members", foreign_keys=[team_id])
    recovery_codes: Mapped[list["RecoveryCode"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    passkeys: Mapped[list["Passkey"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Passkey.id"
    )

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_confirmed(self) -> bool:
        """Confirmed for the records of the role: by a team lead, a second admin or the CLI."""
        return self.confirmed_at is not None

    def get_id(self) -> str:
        """The session names the user and the session version, so bumping it ends every copy."""
        return f"{self.id}:{self.session_version}"

    def end_all_sessions(self) -> None:
        """Every copy of every session cookie stops working, and each listed session ends."""
        self.session_version += 1
        if self.id is not None:
            db.session.execute(
                update(UserSession).where(UserSession.user_id == self.id,
                                          UserSession.ended_at.is_(None))
                .values(ended_at=utcnow()).execution_options(synchronize_session=False))

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class RecoveryCode(db.Model):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    # A keyed-hash prefix of the code: a guess is checked against one argon2 hash, not ten.
    lookup: Mapped[str | None] = mapped_column(String(16))
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class Passkey(db.Model):
    """A WebAuthn credential on the user's own phone; it unlocks an idle-locked session only."""

    __tablename__ = "passkeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1024), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(2048))
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="passkeys")


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
    # A dissolved pair (or one whose worker left) keeps its row and shared history.
    ended_at: Mapped[datetime | None]

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


class UserSession(db.Model):
    """One signed-in browser, so its owner can see it and end it. The cookie holds a random
    token; only its hash is stored, with a short device label and no IP address."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
