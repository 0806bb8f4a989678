"""Invitations and confirmation: the rules that keep an admin from ever holding a working
login to a team account.

An admin invites (or, for a lost phone or password, re-invites) and is shown a one-time code
to hand over out of band; the person completes the invitation, choosing their own password
and enrolling their own second factor. Until someone other than the code's issuer confirms the
account (the team's lead; for a team's first lead or an admin, a second admin; or the server's
command line), it sees no records.
"""

import secrets
from datetime import timedelta

from sqlalchemy import select

from companion import audit
from companion.admin.operations import AdminError, create_user
from companion.extensions import db
from companion.models import Team, User, utcnow
from companion.passwords import hash_secret, password_problem, verify_secret

INVITE_DAYS = 7
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def _new_code() -> str:
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))


def _unusable_password() -> str:
    """A hash no one knows the password of: the account cannot sign in until completed."""
    return hash_secret(secrets.token_urlsafe(32))


def issue_invitation(user: User, by: User | None) -> str:
    """A fresh one-time code for `user`; whatever credentials the account had stop working
    and its confirmation is withdrawn. The plain code is returned to be shown once."""
    code = _new_code()
    user.invite_hash = hash_secret(code)
    user.invite_expires_at = utcnow() + timedelta(days=INVITE_DAYS)
    user.invited_by_id = getattr(by, "id", None)
    user.password_hash = _unusable_password()
    user.totp_secret = user.totp_pending = user.totp_last_step = user.pin_hash = None
    user.recovery_codes = []
    user.set_up_at = user.confirmed_at = user.confirmed_by_id = None
    return code


def invite_user(username: str, role: str, team: Team | None, by: User | None) -> tuple:
    """A new account without a password, and its invitation code (shown once)."""
    user = create_user(username, secrets.token_urlsafe(24), role, team)
    code = issue_invitation(user, by)
    audit.record("user.invited", f"user:{user.id}")
    return user, code


def reinvite(user: User, by: User) -> str:
    """For a lost phone or password: a new invitation; the lead confirms the account again."""
    code = issue_invitation(user, by)
    user.end_all_sessions()
    audit.record("mfa.reset", f"user:{user.id} new invitation")
    return code


def complete_invitation(username: str, code: str, password: str) -> User | None:
    """The invited user if `code` is theirs and still valid; sets the chosen password.
    An unknown username costs the same argon2 check as a wrong code."""
    user = db.session.scalar(select(User).where(User.username == username))
    pending = user is not None and user.invite_hash is not None and user.active
    if not verify_secret(user.invite_hash if pending else None, "".join(code.lower().split())):
        return None
    if user.invite_expires_at < utcnow():
        return None
    problem = password_problem(password, username)
    if problem:
        raise AdminError(problem)
    user.password_hash = hash_secret(password)
    user.invite_hash = user.invite_expires_at = None
    user.set_up_at = utcnow()
    user.end_all_sessions()
    audit.record("invitation.completed", f"user:{user.id}", user=user)
    return user


def is_set_up(user: User, require_totp: bool) -> bool:
    """The person has chosen their password and, where required, enrolled a second factor."""
    return user.set_up_at is not None and user.invite_hash is None and (
        user.totp_secret is not None or not require_totp)


def _team_has_a_lead(member: User) -> bool:
    return db.session.scalar(select(User.id).where(
        User.team_id == member.team_id, User.role == "lead", User.active,
        User.confirmed_at.is_not(None), User.id != member.id).limit(1)) is not None


def confirm_problem(confirmer: User | None, member: User, require_totp: bool) -> str | None:
    """Why `confirmer` may not confirm `member` (None: they may). No confirmer: the CLI."""
    if member.is_confirmed:
        return "This account is confirmed already."
    if not is_set_up(member, require_totp):
        return "This account has not been set up by its owner yet."
    if confirmer is None:
        return None
    if confirmer.id == member.id or not confirmer.is_confirmed or not confirmer.active:
        return "You cannot confirm this account."
    if confirmer.role == "lead":
        if member.role == "admin" or member.team_id != confirmer.team_id:
            return "A lead confirms members of their own team."
        return None
    if confirmer.role == "admin" and confirmer.id != member.invited_by_id:
        if member.role == "admin" or (member.role == "lead" and not _team_has_a_lead(member)):
            return None
        return "The team's lead confirms this account."
    return "Another administrator, the team's lead or the server's command line confirms it."


def confirm(member: User, confirmer: User | None, require_totp: bool) -> None:
    problem = confirm_problem(confirmer, member, require_totp)
    if problem:
        raise AdminError(problem)
    member.confirmed_at = utcnow()
    member.confirmed_by_id = getattr(confirmer, "id", None)
    by = f" by user:{confirmer.id}" if confirmer else " on the command line"
    audit.record("user.confirmed", f"user:{member.id}{by}", user=confirmer)


def awaiting(confirmer: User, require_totp: bool) -> list[User]:
    """The accounts `confirmer` may confirm now, and those of their scope still being set up."""
    query = select(User).where(User.confirmed_at.is_(None), User.active).order_by(User.username)
    if confirmer.role == "lead":
        query = query.where(User.team_id == confirmer.team_id, User.role != "admin")
    return [user for user in db.session.scalars(query)
            if confirm_problem(confirmer, user, require_totp) is None]
