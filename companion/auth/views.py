"""Signing in (password, then the second factor), signing out, and unlocking a locked session."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from companion import access, audit
from companion.auth import bp, mfa, sessions
from companion.auth.forms import CodeForm, LoginForm, UnlockForm
from companion.auth.throttle import ThrottleUnavailable, account_key, login_keys, pin_key, throttle
from companion.extensions import db
from companion.models import User
from companion.passwords import hash_secret, needs_rehash, verify_secret

WRONG_LOGIN = _l("Wrong username or password.")
TOO_MANY = _l("Too many attempts. Please wait 15 minutes and try again.")
UNAVAILABLE = _l("Sign-in is not available right now. Please try again shortly.")
PENDING_SECONDS = 300


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, or None; upgrades old hashes.
    An unknown username costs the same argon2 check as a wrong password."""
    user = db.session.scalar(select(User).where(User.username == username))
    if not verify_secret(user.password_hash if user else None, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_secret(password)
        audit.record("password.rehashed", f"user:{user.id}", user=user)
    return user


def safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("home.index")


def _login_page(form, status, message=None):
    if message:
        form.form_errors.append(message)
    return render_template("auth/login.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@access.public
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return _login_page(form, 400 if form.errors else 200)
    keys = login_keys(form.username.data)
    try:
        if not throttle().allowed(*keys):
            audit.record("login.throttled", f"username:{form.username.data[:40]}")
            db.session.commit()
            return _login_page(form, 429, TOO_MANY)
        user = authenticate(form.username.data, form.password.data)
        if user is None:
            throttle().fail(*keys)
        else:
            throttle().clear(*account_key(form.username.data))
    except ThrottleUnavailable:
        db.session.rollback()
        current_app.logger.error("login refused: the throttle store is unavailable")
        return _login_page(form, 503, UNAVAILABLE)
    if user is None:
        audit.record("login.failed", f"username:{form.username.data[:40]}")
        db.session.commit()
        return _login_page(form, 401, WRONG_LOGIN)
    return _password_accepted(user, safe_next(form.next.data))


def _password_accepted(user: User, next_url: str):
    if user.totp_secret:
        session.clear()
        session["pending"] = {"user": user.get_id(), "at": sessions.now(), "next": next_url}
        audit.record("login.password_ok", f"user:{user.id}", user=user)
        db.session.commit()
        return redirect(url_for("auth.second_factor"), 303)
    sessions.start(user)
    audit.record("login", f"user:{user.id}", user=user)
    db.session.commit()
    return redirect(next_url, 303)


def _pending_user() -> User | None:
    pending = session.get("pending") or {}
    if sessions.now() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user_id, _sep, version = str(pending.get("user", "")).partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active or str(user.session_version) != version:
        return None
    return user


@bp.route("/login/code", methods=["GET", "POST"])
@access.public
def second_factor():
    user = _pending_user()
    if user is None:
        session.pop("pending", None)
        flash(_("Please sign in."))
        return redirect(url_for("auth.login"), 303)
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("auth/code.html", form=form), 400 if form.errors else 200
    key = account_key(user.username)
    try:
        if not throttle().allowed(key):
            return _code_refused(form, user, "mfa.throttled", TOO_MANY, 429)
        if not _second_factor_ok(user, form.code.data):
            throttle().fail(key)
            return _code_refused(form, user, "mfa.failed", _("That code did not work."), 401)
    except ThrottleUnavailable:
        db.session.rollback()
        return _code_refused(form, user, "mfa.unavailable", UNAVAILABLE, 503)
    next_url = session["pending"]["next"]
    sessions.start(user)
    audit.record("login", f"user:{user.id} mfa", user=user)
    db.session.commit()
    return redirect(safe_next(next_url), 303)


def _second_factor_ok(user: User, code: str) -> bool:
    if mfa.looks_like_totp(code):
        return mfa.verify_totp(user, code)
    if mfa.use_recovery_code(user, code):
        left = sum(1 for stored in user.recovery_codes if stored.used_at is None)
        audit.record("mfa.recovery_used", f"user:{user.id} left:{left}", user=user)
        return True
    return False


def _code_refused(form, user, action, message, status):
    audit.record(action, f"user:{user.id}", user=user)
    db.session.commit()
    form.code.errors = [message]
    return render_template("auth/code.html", form=form), status


@bp.post("/logout")
@access.allow(*access.ANY_ROLE)
def logout():
    audit.record("logout", f"user:{current_user.id}")
    sessions.end()
    db.session.commit()
    flash(_("You are signed out."))
    response = redirect(url_for("auth.login"), 303)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/unlock", methods=["GET", "POST"])
@access.allow(*access.ANY_ROLE)
def unlock():
    if not session.get("locked"):
        return redirect(sessions.unlock(), 303)
    form = UnlockForm()
    if not form.validate_on_submit():
        return render_template("auth/unlock.html", form=form), 400 if form.errors else 200
    user = current_user._get_current_object()
    try:
        if verify_secret(user.pin_hash, form.pin.data):
            throttle().clear(*pin_key(user))
            audit.record("session.unlocked", f"user:{user.id}")
            db.session.commit()
            return redirect(sessions.unlock(), 303)
        throttle().fail(pin_key(user))
        left = throttle().remaining(*pin_key(user))
    except ThrottleUnavailable:
        left = 0
    audit.record("session.unlock_failed", f"user:{user.id}")
    if left <= 0:
        audit.record("session.ended", f"user:{user.id} wrong pins")
        sessions.end(user)
        db.session.commit()
        flash(_("Too many wrong PINs. Please sign in again."))
        return redirect(url_for("auth.login"), 303)
    db.session.commit()
    form.pin.errors = [_("Wrong PIN. %(left)d tries left.", left=left)]
    return render_template("auth/unlock.html", form=form), 401


@bp.get("/lock/check")
@access.allow(*access.ANY_ROLE)
def lock_check():
    """Polled by every signed-in page (and when it becomes visible): locks it when idle."""
    if session.get("locked"):
        return sessions.lock_response()
    return "", 204
