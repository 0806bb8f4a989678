"""The life of a signed-in session: a fresh start, a 12-hour limit, the idle lock, setup.

The cookie holds the times; the server can end every copy of it by bumping
`User.session_version` (logout, password change, disabled account, "end all sessions").
"""

import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from companion import audit

MAX_AGE = timedelta(hours=12)
# Activity is noted at most once a minute, so most answers carry no new session cookie; an
# idle session may lock up to a minute early, never late.
SEEN_RESOLUTION = 60
# Endpoints a locked session may still use.
LOCK_EXEMPT = frozenset({"static", "home.healthz", "auth.unlock", "auth.logout", "auth.lock_check",
                         "offline.service_worker", "offline.manifest", "offline.favicon"})
# Endpoints open to an account that still has to set up its second factor or PIN.
SETUP_EXEMPT = frozenset({
    "static", "home.healthz", "auth.logout", "auth.unlock", "auth.lock_check",
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
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    if now() - session.get("login_at", 0) > MAX_AGE.total_seconds():
        return _expire()
    if is_idle():
        session["locked"] = True
        return None if request.endpoint in LOCK_EXEMPT else lock_response()
    noted = now() - session.get("seen", 0) < SEEN_RESOLUTION
    if request.endpoint != "auth.lock_check" and not noted:  # the lock poll is not activity
        session["seen"] = now()
    step = setup_step(current_user)
    if step and request.endpoint not in SETUP_EXEMPT:
        return _go(url_for(step))
    return None


def _expire():
    from companion.extensions import db

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
        return request.full_path.rstrip("?")
    source = request.headers.get("HX-Current-URL") or request.referrer or ""
    parts = urlsplit(source)
    if parts.netloc and parts.netloc != request.host:
        return url_for("home.index")
    return parts.path + (f"?{parts.query}" if parts.query else "") or url_for("home.index")


def unlock() -> str:
    """Lift the lock; the page the user was on when it locked."""
    session.pop("locked", None)
    session["seen"] = now()
    return session.pop("unlock_next", None) or url_for("home.index")
