"""The attempts that let someone in: the password, the second-factor code, the unlock PIN and
the current password re-typed under Account. Each is throttled and audited here, so the views
only parse the form and turn the outcome into a page.

A failed or throttled sign-in is audited once per throttle window, under the known user's id or
a keyed hash of the typed name (people type passwords into the username field)."""

import secrets
from dataclasses import dataclass

from flask import current_app, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from companion import audit
from companion.auth import mfa, passkeys, sessions
from companion.auth.throttle import (
    ThrottleUnavailable,
    account_key,
    address_key,
    code_keys,
    login_keys,
    pin_key,
    reauth_key,
    throttle,
)
from companion.extensions import db
from companion.keys import keyed_hash
from companion.models import User
from companion.passwords import hash_secret, needs_rehash, verify_secret
from companion.urls import local_or_home

WRONG_LOGIN = _l("Wrong username or password.")
TOO_MANY = _l("Too many attempts. Please wait 15 minutes and try again.")
UNAVAILABLE = _l("Sign-in is not available right now. Please try again shortly.")
PENDING_SECONDS = 300


@dataclass(frozen=True)
class Refused:
    status: int
    message: str
    ended: bool = False  # the session was ended (too many wrong PINs)


def _account(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, or None; upgrades old hashes.
    An unknown username costs the same argon2 check as a wrong password."""
    user = _account(username)
    if not verify_secret(user.password_hash if user else None, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_secret(password)
        audit.record("password.rehashed", f"user:{user.id}", user=user)
    return user


def typed_name_subject(username: str) -> str:
    """How the audit log names a typed username: the account's id, never the text itself."""
    user = _account(username)
    if user is not None:
        return f"user:{user.id}"
    return "username-hash:" + keyed_hash("audit-username", username.strip().lower())


def _audit_once(action: str, username: str) -> None:
    account, address = account_key(username)[1], address_key()[1]
    if throttle().first_in_window(f"{action}:{account}", f"{action}:{address}"):
        audit.record(action, typed_name_subject(username))


def password_attempt(username: str, password: str) -> User | Refused:
    keys = login_keys(username)
    try:
        if not throttle().allowed(*keys):
            _audit_once("login.throttled", username)
            db.session.commit()
            return Refused(429, TOO_MANY)
        user = authenticate(username, password)
        if user is None:
            throttle().fail(*keys)
            _audit_once("login.failed", username)
            db.session.commit()
            return Refused(401, WRONG_LOGIN)
        throttle().clear(*account_key(username))
    except ThrottleUnavailable:
        db.session.rollback()
        current_app.logger.error("login refused: the throttle store is unavailable")
        return Refused(503, UNAVAILABLE)
    return user


def password_accepted(user: User, next_url: str | None) -> str:
    """Start the session, or the code step when the account has a second factor; the URL to
    go to next."""
    next_url = local_or_home(next_url)
    if user.totp_secret:
        session.clear()
        session["pending"] = {"user": user.get_id(), "at": sessions.now(), "next": next_url,
                              "id": secrets.token_urlsafe(16)}
        audit.record("login.password_ok", f"user:{user.id}", user=user)
        db.session.commit()
        return url_for("auth.second_factor")
    sessions.start(user)
    audit.record("login", f"user:{user.id}", user=user)
    db.session.commit()
    return next_url


def pending_user() -> User | None:
    """The user whose password was accepted in the last five minutes, if still current."""
    pending = session.get("pending") or {}
    if sessions.now() - pending.get("at", 0) > PENDING_SECONDS or not pending.get("id"):
        session.pop("pending", None)
        return None
    user_id, _sep, version = str(pending.get("user", "")).partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active or str(user.session_version) != version:
        session.pop("pending", None)
        return None
    return user


def code_attempt(user: User, code: str) -> Refused | None:
    """Check a TOTP or recovery code of the pending login; None when it signed the user in."""
    keys = code_keys(user, session["pending"]["id"])
    try:
        if not throttle().allowed(*keys):
            return _code_refused(user, "mfa.throttled", Refused(429, TOO_MANY))
        if not _second_factor_ok(user, code):
            throttle().fail(*keys)
            return _code_refused(user, "mfa.failed", Refused(401, _("That code did not work.")))
    except ThrottleUnavailable:
        db.session.rollback()
        return _code_refused(user, "mfa.unavailable", Refused(503, UNAVAILABLE))
    return None


def _code_refused(user: User, action: str, refused: Refused) -> Refused:
    if refused.status != 429 or throttle().first_in_window(f"{action}:{user.id}"):
        audit.record(action, f"user:{user.id}", user=user)
    db.session.commit()
    return refused


def _second_factor_ok(user: User, code: str) -> bool:
    if mfa.looks_like_totp(code):
        return mfa.verify_totp(user, code)
    if mfa.use_recovery_code(user, code):
        left = sum(1 for stored in user.recovery_codes if stored.used_at is None)
        audit.record("mfa.recovery_used", f"user:{user.id} left:{left}", user=user)
        return True
    return False


def second_factor_accepted(user: User) -> str:
    next_url = session["pending"]["next"]
    sessions.start(user)
    audit.record("login", f"user:{user.id} mfa", user=user)
    db.session.commit()
    return local_or_home(next_url)


def pin_attempt(user: User, pin: str) -> Refused | None:
    """Unlock with the PIN; None when unlocked. Five wrong tries end the session."""
    try:
        if verify_secret(user.pin_hash, pin):
            throttle().clear(*pin_key(user))
            unlocked(user, "pin")
            return None
    except ThrottleUnavailable:
        pass
    return unlock_failed(user, "pin")


def passkey_attempt(user: User, credential: str) -> Refused | None:
    """Unlock with one of the user's own passkeys; a wrong one counts like a wrong PIN."""
    if passkeys.verify_unlock(user, credential):
        unlocked(user, "passkey")
        return None
    return unlock_failed(user, "passkey")


def unlocked(user: User, how: str) -> None:
    audit.record("session.unlocked", f"user:{user.id} {how}")
    db.session.commit()


def unlock_failed(user: User, how: str) -> Refused:
    """A wrong PIN or passkey: counted together; the last allowed one ends the session."""
    try:
        throttle().fail(pin_key(user))
        left = throttle().remaining(*pin_key(user))
    except ThrottleUnavailable:
        left = 0
    audit.record("session.unlock_failed", f"user:{user.id} {how}")
    if left <= 0:
        audit.record("session.ended", f"user:{user.id} wrong pins")
        sessions.end(user)
        db.session.commit()
        return Refused(303, _("Too many wrong PINs. Please sign in again."), ended=True)
    db.session.commit()
    if how == "passkey":
        return Refused(401, _("That passkey did not unlock this session. %(left)d tries left.",
                              left=left))
    return Refused(401, _("Wrong PIN. %(left)d tries left.", left=left))


def reauth_attempt(user: User, password: str) -> Refused | None:
    """The current password typed again to change a secret; throttled like a sign-in."""
    key = reauth_key(user)
    try:
        if not throttle().allowed(key):
            return _reauth_refused(user, "account.reauth_throttled", Refused(429, TOO_MANY))
        if verify_secret(user.password_hash, password):
            return None
        throttle().fail(key)
    except ThrottleUnavailable:
        return Refused(503, UNAVAILABLE)
    return _reauth_refused(
        user, "account.reauth_failed", Refused(400, _("That is not your current password.")))


def _reauth_refused(user: User, action: str, refused: Refused) -> Refused:
    audit.record(action, f"user:{user.id}")
    db.session.commit()
    return refused

