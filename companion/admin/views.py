"""Admin screens: teams and accounts here; one team's clients, assignments and pairs on its
own page (companion/admin/team_views.py). Every destructive action has a confirmation page."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from companion import access, audit
from companion.admin import leavers, operations
from companion.admin.forms import TeamForm, UserForm
from companion.extensions import db
from companion.members import operations as members
from companion.models import Team, User

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(status: int = 200, team_form=None, user_form=None):
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    user_form = user_form or UserForm(formdata=None)
    user_form.team.choices = [SelectChoice(0, _("No team (admins)"))] + [
        SelectChoice(team.id, team.name) for team in teams]
    users = db.session.scalars(
        select(User).options(joinedload(User.team)).order_by(User.username)).all()
    return render_template("admin/index.html", teams=teams, users=users, user_form=user_form,
                           team_form=team_form or TeamForm(formdata=None)), status


@bp.get("/")
@access.allow("admin")
def index():
    return _page()


@bp.post("/teams")
@access.allow("admin")
def create_team():
    form = TeamForm()
    if form.validate_on_submit():
        try:
            team = operations.create_team(form.name.data)
        except operations.AdminError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Team %(name)s added.", name=team.name))
            return redirect(url_for("admin.team", team_id=team.id), 303)
    return _page(400, team_form=form)


@bp.post("/users")
@access.allow("admin")
def create_user():
    form = UserForm()
    form.team.choices = [SelectChoice(0)] + [
        SelectChoice(t) for t in db.session.scalars(select(Team.id))]
    if not form.validate_on_submit():
        return _page(400, user_form=form)
    team = db.session.get(Team, form.team.data) if form.team.data else None
    try:
        user, code = members.invite_user(form.username.data, form.role.data, team, current_user)
    except operations.AdminError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _page(400, user_form=form)
    db.session.commit()
    return _invitation_page(user, code)


def _invitation_page(user: User, code: str):
    """The code, shown once to the admin to hand over out of band; never stored in clear."""
    return render_template("admin/invitation.html", user=user, code=code,
                           days=members.INVITE_DAYS)


def _other_account(user_id: int) -> User | None:
    """The account to act on, or None (with a message) when it is the admin's own."""
    user = access.load_user(user_id)
    if user.id == current_user.id:
        flash(_("You cannot do that to your own account here."))
        return None
    return user


def _done(message: str):
    db.session.commit()
    flash(message)
    return redirect(url_for("admin.index"), 303)


@bp.get("/users/<int:user_id>/deactivate")
@access.allow("admin")
def confirm_deactivate(user_id: int):
    user = _other_account(user_id)
    if user is None:
        return redirect(url_for("admin.index"), 303)
    found = leavers.consequences(user)
    audit.listed("admin", [client.id for client in found["clients"]])
    page = render_template("admin/deactivate.html", user=user, **found)
    db.session.commit()
    return page


@bp.post("/users/<int:user_id>/deactivate")
@access.allow("admin")
def deactivate_user(user_id: int):
    user = _other_account(user_id)
    if user is None:
        return redirect(url_for("admin.index"), 303)
    leavers.deactivate(user, current_user)
    return _done(_("%(name)s is deactivated and signed out everywhere.", name=user.username))


@bp.get("/users/<int:user_id>/reactivate")
@access.allow("admin")
def confirm_reactivate(user_id: int):
    user = _other_account(user_id)
    if user is None:
        return redirect(url_for("admin.index"), 303)
    return render_template("admin/reactivate.html", user=user)


@bp.post("/users/<int:user_id>/reactivate")
@access.allow("admin")
def reactivate_user(user_id: int):
    user = _other_account(user_id)
    if user is None:
        return redirect(url_for("admin.index"), 303)
    leavers.reactivate(user)
    return _done(_("%(name)s can sign in again.", name=user.username))


@bp.post("/users/<int:user_id>/end-sessions")
@access.allow("admin")
def end_sessions(user_id: int):
    user = _other_account(user_id)
    if user is None:
        return redirect(url_for("admin.index"), 303)
    operations.end_sessions(user)
    return _done(_("%(name)s is signed out on every device.", name=user.username))


@bp.post("/users/<int:user_id>/reset-second-factor")
@access.allow("admin")
def reset_second_factor(user_id: int):
    """Lost phone or password: a new invitation, and the lead confirms the account again."""
    user = _other_account(user_id)
    if user is None:
        return redirect(url_for("admin.index"), 303)
    code = members.reinvite(user, current_user)
    db.session.commit()
    return _invitation_page(user, code)


from companion.admin import team_views  # noqa: E402, F401  (the team pages register on `bp`)
