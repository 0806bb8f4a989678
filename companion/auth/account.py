"""The signed-in user's own account: password, PIN and second factor (every role)."""

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from companion import access, audit
from companion.auth import mfa, sessions
from companion.auth.forms import EnrolForm, PasswordForm, PinForm
from companion.extensions import db
from companion.passwords import hash_secret, password_problem, verify_secret

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.get("/")
@access.allow(*access.ANY_ROLE)
def index():
    return render_template("account/index.html")


def _password_ok(form) -> bool:
    if verify_secret(current_user.password_hash, form.password.data):
        return True
    audit.record("account.reauth_failed", f"user:{current_user.id}")
    db.session.commit()
    form.password.errors = [_("That is not your current password.")]
    return False


@bp.route("/password", methods=["GET", "POST"])
@access.allow(*access.ANY_ROLE)
def password():
    form = PasswordForm()
    if not form.validate_on_submit() or not _password_ok(form):
        return render_template("account/password.html", form=form), 400 if form.errors else 200
    problem = password_problem(form.new_password.data, current_user.username)
    if problem:
        form.new_password.errors = [_(problem)]
        return render_template("account/password.html", form=form), 400
    user = current_user._get_current_object()
    user.password_hash = hash_secret(form.new_password.data)
    audit.record("password.changed", f"user:{user.id}")
    sessions.end(user)  # every other copy of the session ends too
    sessions.start(user)
    db.session.commit()
    flash(_("Your password is changed. Other devices are signed out."))
    return redirect(url_for("account.index"), 303)


@bp.route("/pin", methods=["GET", "POST"])
@access.allow(*access.ANY_ROLE)
def pin():
    form = PinForm()
    if not form.validate_on_submit() or not _password_ok(form):
        return render_template("account/pin.html", form=form), 400 if form.errors else 200
    current_user.pin_hash = hash_secret(form.pin.data)
    audit.record("pin.set", f"user:{current_user.id}")
    db.session.commit()
    flash(_("Your PIN is set. It unlocks the app after a pause."))
    return redirect(url_for(sessions.setup_step(current_user) or "home.index"), 303)


@bp.route("/two-factor", methods=["GET", "POST"])
@access.allow(*access.ANY_ROLE)
def two_factor():
    if current_user.totp_secret:
        flash(_("Your second factor is already set up. An administrator can reset it."))
        return redirect(url_for("account.index"), 303)
    secret = session.get("enrol_secret") or mfa.new_secret()
    session["enrol_secret"] = secret
    form = EnrolForm()
    if form.validate_on_submit():
        step = mfa.matching_step(secret, form.code.data, None)
        if step is not None:
            return _enrolled(secret, step)
        audit.record("mfa.enrol_failed", f"user:{current_user.id}")
        db.session.commit()
        form.code.errors = [_("That code did not match. Check the time on your phone and retry.")]
    return render_template(
        "account/two_factor.html", form=form, secret=secret,
        qr=mfa.qr_svg(secret, f"{current_user.username}"),
        required=current_app.config["REQUIRE_TOTP"],
    ), 400 if form.errors else 200


def _enrolled(secret: str, step: int):
    user = current_user._get_current_object()
    user.totp_secret, user.totp_last_step = secret, step
    codes = mfa.new_recovery_codes(user)
    session.pop("enrol_secret", None)
    audit.record("mfa.enrolled", f"user:{user.id}")
    db.session.commit()
    return render_template(
        "account/recovery_codes.html", codes=codes, next_step=sessions.setup_step(user)
    )
