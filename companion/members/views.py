"""Completing an invitation (public); confirming members (leads, admins); the waiting page."""

import hashlib

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from companion import access, audit
from companion.admin.operations import AdminError
from companion.auth import sessions
from companion.auth.throttle import PER_ACCOUNT, ThrottleUnavailable, address_key, throttle
from companion.extensions import db
from companion.members import operations
from companion.members.forms import InvitationForm

bp = Blueprint("members", __name__)


def _keys(username: str) -> tuple:
    digest = hashlib.sha256(username.strip().lower().encode("utf-8", "surrogatepass"))
    return (PER_ACCOUNT, "invite:account:" + digest.hexdigest()[:32]), address_key()


def _accept_page(form, status, message=None):
    if message:
        form.form_errors.append(message)
    return render_template("members/accept.html", form=form), status


def _try_invitation(form):
    """The account the form's code opens, or a page saying why not."""
    keys = _keys(form.username.data)
    try:
        if not throttle().allowed(*keys):
            return None, _accept_page(form, 429, _("Too many attempts. Please wait 15 minutes."))
        user = operations.complete_invitation(
            form.username.data, form.code.data, form.password.data)
        if user is None:
            throttle().fail(*keys)
    except ThrottleUnavailable:
        return None, _accept_page(form, 503, _("Not available right now. Please try shortly."))
    except AdminError as error:
        db.session.rollback()
        form.password.errors = [str(error)]
        return None, _accept_page(form, 400)
    if user is None:
        audit.record("invitation.failed", "")
        db.session.commit()
        return None, _accept_page(form, 401, _("That username and code do not match an open "
                                               "invitation."))
    return user, None


@bp.route("/invitation", methods=["GET", "POST"])
@access.public
def accept():
    form = InvitationForm()
    if not form.validate_on_submit():
        return _accept_page(form, 400 if form.errors else 200)
    user, refused = _try_invitation(form)
    if refused:
        return refused
    sessions.start(user)
    db.session.commit()
    flash(_("Your password is set. Next, secure your account."))
    return redirect(url_for("home.index"), 303)


@bp.get("/members/waiting")
@access.allow(*access.ANY_ROLE)
def waiting():
    if current_user.is_confirmed:
        return redirect(url_for("home.index"), 303)
    return render_template("members/waiting.html")


@bp.get("/members/")
@access.allow("lead", "admin")
def index():
    members = operations.awaiting(current_user, current_app.config["REQUIRE_TOTP"])
    audit.record("members.listed", f"team:{current_user.team_id or '-'}")
    db.session.commit()
    return render_template("members/index.html", members=members)


@bp.post("/members/<int:user_id>/confirm")
@access.allow("lead", "admin")
def confirm(user_id: int):
    member = access.load_user(user_id)
    try:
        operations.confirm(member, current_user, current_app.config["REQUIRE_TOTP"])
    except AdminError as error:
        access.deny(f"user:{user_id} {error}"[:128])
    db.session.commit()
    flash(_("%(name)s is confirmed.", name=member.username))
    return redirect(url_for("members.index"), 303)

