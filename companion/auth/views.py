"""Signing in (password, then the second factor), signing out, and unlocking a locked session.
The attempts themselves, with their throttling and audit, are in `signin`."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from companion import access, audit
from companion.auth import bp, passkeys, sessions, signin
from companion.auth.forms import CodeForm, LoginForm, UnlockForm
from companion.extensions import db


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
    outcome = signin.password_attempt(form.username.data, form.password.data)
    if isinstance(outcome, signin.Refused):
        return _login_page(form, outcome.status, outcome.message)
    return redirect(signin.password_accepted(outcome, form.next.data), 303)


@bp.route("/login/code", methods=["GET", "POST"])
@access.public
def second_factor():
    user = signin.pending_user()
    if user is None:
        flash(_("Please sign in."))
        return redirect(url_for("auth.login"), 303)
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("auth/code.html", form=form), 400 if form.errors else 200
    refused = signin.code_attempt(user, form.code.data)
    if refused:
        form.code.errors = [refused.message]
        return render_template("auth/code.html", form=form), refused.status
    return redirect(signin.second_factor_accepted(user), 303)


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
    refused = signin.pin_attempt(current_user._get_current_object(), form.pin.data)
    if refused is None:
        return redirect(sessions.unlock(), 303)
    if refused.ended:
        flash(refused.message)
        return redirect(url_for("auth.login"), 303)
    form.pin.errors = [refused.message]
    return render_template("auth/unlock.html", form=form), refused.status


@bp.post("/unlock/passkey/options")
@access.allow(*access.ANY_ROLE)
def passkey_unlock_options():
    if not session.get("locked"):
        return {"redirect": sessions.unlock()}, 409
    options = passkeys.unlock_options(current_user._get_current_object())
    return current_app.response_class(options, mimetype="application/json")


@bp.post("/unlock/passkey")
@access.allow(*access.ANY_ROLE)
def unlock_with_passkey():
    """One tap: the phone's passkey instead of the PIN. It lifts a lock, never signs in."""
    if not session.get("locked"):
        return {"redirect": sessions.unlock()}, 409
    user = current_user._get_current_object()
    refused = signin.passkey_attempt(user, request.get_data(as_text=True))
    if refused is None:
        return {"redirect": sessions.unlock()}
    if refused.ended:
        flash(refused.message)
        return {"redirect": url_for("auth.login"), "error": refused.message}, 401
    return {"error": refused.message}, 401


@bp.get("/lock/check")
@access.allow(*access.ANY_ROLE)
def lock_check():
    """Polled by every signed-in page (and when it becomes visible): locks it when idle."""
    if session.get("locked"):
        return sessions.lock_response()
    return "", 204
