"""The signed-in user's own account: password, PIN and second factor (every role)."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from companion import access, audit
from companion.auth import devices, mfa, passkeys, sessions, signin
from companion.auth.forms import EnrolForm, PasswordForm, PinForm
from companion.extensions import db
from companion.passwords import hash_secret, password_problem

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.get("/")
@access.allow(*access.ANY_ROLE)
def index():
    return render_template("account/index.html")


def _refused(form, template: str):
    """The form page again when it is invalid or the current password is wrong (throttled)."""
    if not form.validate_on_submit():
        return render_template(template, form=form), 400 if form.errors else 200
    refused = signin.reauth_attempt(current_user._get_current_object(), form.password.data)
    if refused is None:
        return None
    form.password.errors = [refused.message]
    return render_template(template, form=form), refused.status


@bp.route("/password", methods=["GET", "POST"])
@access.allow(*access.ANY_ROLE)
def password():
    form = PasswordForm()
    refused = _refused(form, "account/password.html")
    if refused:
        return refused
    problem = password_problem(form.new_password.data, current_user.username)
    if problem:
        form.new_password.errors = [str(problem)]
        return render_template("account/password.html", form=form), 400
    _change_password(current_user._get_current_object(), form.new_password.data)
    flash(_("Your password is changed. Other devices are signed out."))
    return redirect(url_for("account.index"), 303)


def _change_password(user, new_password: str) -> None:
    user.password_hash = hash_secret(new_password)
    audit.record("password.changed", f"user:{user.id}")
    sessions.end(user)  # every other copy of the session ends too
    sessions.start(user)
    db.session.commit()


@bp.route("/pin", methods=["GET", "POST"])
@access.allow(*access.ANY_ROLE)
def pin():
    form = PinForm()
    refused = _refused(form, "account/pin.html")
    if refused:
        return refused
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
    secret = _pending_secret(current_user._get_current_object())
    form = EnrolForm()
    if form.validate_on_submit():
        step = mfa.matching_step(secret, form.code.data, None)
        if step is not None:
            return _enrolled(secret, step)
        audit.record("mfa.enrol_failed", f"user:{current_user.id}")
        db.session.commit()
        form.code.errors = [_("That code did not match. Check the time on your phone and retry.")]
    return _enrol_page(form, secret)


def _enrol_page(form, secret: str):
    page = render_template("account/two_factor.html", form=form, secret=secret,
                           qr=mfa.qr_svg(secret, f"{current_user.username}"),
                           required=current_app.config["REQUIRE_TOTP"])
    return page, 400 if form.errors else 200


def _pending_secret(user) -> str:
    """The seed being enrolled, kept encrypted in the database, not in the session cookie."""
    if not user.totp_pending:
        user.totp_pending = mfa.new_secret()
        db.session.commit()
    return user.totp_pending


def _enrolled(secret: str, step: int):
    user = current_user._get_current_object()
    user.totp_secret, user.totp_last_step, user.totp_pending = secret, step, None
    codes = mfa.new_recovery_codes(user)
    audit.record("mfa.enrolled", f"user:{user.id}")
    db.session.commit()
    return render_template(
        "account/recovery_codes.html", codes=codes, next_step=sessions.setup_step(user)
    )


@bp.get("/passkeys")
@access.allow(*access.ANY_ROLE)
def list_passkeys():
    return render_template("account/passkeys.html", passkeys=current_user.passkeys)


@bp.post("/passkeys/options")
@access.allow(*access.ANY_ROLE)
def passkey_options():
    options = passkeys.registration_options(current_user._get_current_object())
    return current_app.response_class(options, mimetype="application/json")


@bp.post("/passkeys")
@access.allow(*access.ANY_ROLE)
def add_passkey():
    """The browser's answer to the options above: stored when it checks out."""
    user = current_user._get_current_object()
    added = passkeys.register(user, request.get_data(as_text=True))
    audit.record("passkey.added" if added else "passkey.add_failed", f"user:{user.id}")
    db.session.commit()
    if not added:
        return {"error": _("This phone's passkey could not be added. Please try again.")}, 400
    flash(_("Passkey added. It unlocks the app on this phone after a pause."))
    return {"redirect": url_for("account.list_passkeys")}, 201


@bp.post("/passkeys/<int:passkey_id>/remove")
@access.allow(*access.ANY_ROLE)
def remove_passkey(passkey_id: int):
    passkey = access.load_own_passkey(passkey_id)
    db.session.delete(passkey)
    audit.record("passkey.removed", f"user:{current_user.id} passkey:{passkey_id}")
    db.session.commit()
    flash(_("Passkey removed."))
    return redirect(url_for("account.list_passkeys"), 303)


@bp.get("/sessions")
@access.allow(*access.ANY_ROLE)
def list_sessions():
    current = sessions.current_row()
    return render_template("account/sessions.html", rows=devices.open_sessions(current_user),
                           current_id=current.id if current else None)


@bp.post("/sessions/<int:session_id>/end")
@access.allow(*access.ANY_ROLE)
def end_session(session_id: int):
    row = access.load_own_session(session_id)
    devices.end_session(row)
    db.session.commit()
    if sessions.current_row() is row:
        return redirect(url_for("auth.login"), 303)  # this browser: signed out from now on
    flash(_("That session is ended: the browser is signed out."))
    return redirect(url_for("account.list_sessions"), 303)
