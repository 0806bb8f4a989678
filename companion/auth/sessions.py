"""The life of a signed-in session: a fresh start, a 12-hour limit, the idle lock, setup.

The cookie holds the times; the server can end every copy of it by bumping
`User.session_version` (logout, password change, disabled account, "end all sessions"), and
one signed-in browser by ending its `UserSession` row (its owner's "Your sessions" page).
"""

import hashlib
import secrets
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import bindparam, select, update
from werkzeug.exceptions import Unauthorized

from companion import audit
from companion.auth.devices import device_label
from companion.extensions import db
from companion.models import UserSession, utcnow
from companion.urls import as_browsers_read, local_or_home

MAX_AGE = timedelta(hours=12)
# Activity is noted at most once a minute, so most answers carry no new session cookie; an
# idle session may lock up to a minute early, never late.
SEEN_RESOLUTION = 60
# Endpoints a locked session may still use.
LOCK_EXEMPT = frozenset({
    "static", "home.healthz", "auth.unlock", "auth.logout", "auth.lock_check",
    "auth.passkey_unlock_options", "auth.unlock_with_passkey",
    "offline.service_worker", "offline.manifest", "offline.favicon",
})
# Forms that still make sense once the session has ended.
SIGNED_OUT_MAY_POST = frozenset({"auth.login", "auth.logout", "members.accept"})
# Endpoints open to an account that still has to set up its second factor or PIN.
SETUP_EXEMPT = frozenset({
    "static", "home.healthz", "auth.logout", "auth.unlock", "auth.lock_check",
    "auth.passkey_unlock_options", "auth.unlock_with_passkey",
    "account.two_factor", "account.pin",
    "offline.service_worker", "offline.manifest", "offline.favicon",
})


def now() -> int:
    return int(time.time())


def start(user) -> None:
    """A fresh session: nothing from before sign-in survives (the CSRF secret included)."""
    session.clear()
    login_user(user, remember=False)
    session.permanent = True
    session["login_at"] = session["seen"] = now()
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token),
                               device=device_label(request.headers.get("User-Agent", ""))))
    session["sid"] = token


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current_row() -> UserSession | None:
    """This browser's listed session (None for one begun before sessions were listed)."""
    token = session.get("sid")
    if not token:
        return None
    return db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash(token)))


# Built once: run before every request, so only its parameters change.
_STANDING = select(UserSession.user_id, UserSession.ended_at).where(
    UserSession.token_hash == bindparam("token_hash"))


def _ended_elsewhere() -> bool:
    """Its owner (or an admin, or a deactivation) ended this browser's session."""
    if not session.get("sid"):
        return False
    row = db.session.execute(_STANDING, {"token_hash": _hash(session["sid"])}).first()
    return row is None or row.ended_at is not None or row.user_id != current_user.id


def _note_seen() -> None:
    session["seen"] = now()
    if session.get("sid"):
        db.session.execute(update(UserSession).where(UserSession.token_hash == _hash(
            session["sid"])).values(last_seen_at=utcnow()))
        db.session.commit()


def end(user=None) -> None:
    """End this session and every copy of its cookie."""
    user = user or (current_user if current_user.is_authenticated else None)
    if user is not None:
        user.end_all_sessions()
    logout_user()
    session.clear()


def setup_step(user) -> str | None:
    """The setup page the user must finish before anything else, if any."""
    if current_app.config["REQUIRE_TOTP"] and not user.totp_secret:
        return "account.two_factor"
    if not user.pin_hash:
        return "account.pin"
    return None


def is_idle() -> bool:
    idle_seconds = current_app.config["IDLE_LOCK_MINUTES"] * 60
    return session.get("locked") or now() - session.get("seen", 0) >= idle_seconds


def check() -> object:
    """Run before every request, before the access check."""
    if request.endpoint in (None, "static"):
        return None
    if "_user_id" in session and (not current_user.is_authenticated or _ended_elsewhere()):
        return _signed_out()
    if not current_user.is_authenticated:
        return None
    if now() - session.get("login_at", 0) > MAX_AGE.total_seconds():
        return _expire()
    if is_idle():
        session["locked"] = True
        return None if request.endpoint in LOCK_EXEMPT else lock_response()
    noted = now() - session.get("seen", 0) < SEEN_RESOLUTION
    if request.endpoint != "auth.lock_check" and not noted:  # the lock poll is not activity
        _note_seen()
    step = setup_step(current_user)
    if step and request.endpoint not in SETUP_EXEMPT:
        return _go(url_for(step))
    return None


class SignedOut(Unauthorized):
    show_to_user = True


def _signed_out():
    """The session's account was deactivated or the session ended (elsewhere, by an admin):
    a page goes to sign in; a form sent now is refused with a 401 saying nothing was saved."""
    logout_user()
    session.clear()
    message = _("You are signed out: your account was deactivated or this session was ended, "
                "so nothing was saved. Sign in again if you can.")
    flash(message)
    if request.method != "POST" or request.endpoint in SIGNED_OUT_MAY_POST:
        return None  # the access check now sends the anonymous request to sign in
    if request.headers.get("HX-Request"):
        return "", 401, {"HX-Redirect": url_for("auth.login")}
    raise SignedOut(message)


def _expire():
    audit.record("session.expired", f"user:{current_user.id}")
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You were signed in for 12 hours. Please sign in again."))
    return None  # the access check now sends the anonymous request to sign in


def _go(url: str):
    if request.headers.get("HX-Request"):
        return "", 401, {"HX-Redirect": url}
    return redirect(url, 303)


def lock_response():
    """Every page of a locked session shows only the unlock screen; keep where the user was."""
    session.setdefault("unlock_next", _return_path())
    return _go(url_for("auth.unlock"))


def _return_path() -> str:
    """The page to come back to after unlocking: this page, or the form a POST came from."""
    if request.method == "GET" and not request.headers.get("HX-Request"):
        return local_or_home(request.full_path.rstrip("?"))
    source = request.headers.get("HX-Current-URL") or request.referrer or ""
    parts = urlsplit(as_browsers_read(source))
    if parts.netloc and parts.netloc != request.host:
        return url_for("home.index")
    return local_or_home(parts.path + (f"?{parts.query}" if parts.query else ""))


def unlock() -> str:
    """Lift the lock; the page the user was on when it locked."""
    session.pop("locked", None)
    session["seen"] = now()
    return local_or_home(session.pop("unlock_next", None))
