"""Admin screens: one page of lists and small forms, each form posting to its own action."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from companion import access, audit
from companion.admin import operations
from companion.admin.forms import AssignmentForm, ClientForm, PairForm, TeamForm, UserForm
from companion.extensions import db
from companion.members import operations as members
from companion.models import Assignment, Client, Pair, Team, User

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _forms(**bound) -> dict:
    """Every form on the page, with choices from the database; `bound` replaces one of them."""
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    workers = db.session.scalars(
        select(User).options(joinedload(User.team)).where(User.role == "worker").order_by(
            User.username
        )
    ).all()
    clients = db.session.scalars(
        select(Client).options(joinedload(Client.team)).order_by(Client.code)
    ).all()
    forms = {
        "team_form": TeamForm(formdata=None),
        "user_form": UserForm(formdata=None),
        "client_form": ClientForm(formdata=None),
        "assignment_form": AssignmentForm(formdata=None),
        "pair_form": PairForm(formdata=None),
    } | bound
    team_choices = [SelectChoice(team.id, team.name) for team in teams]
    worker_choices = [SelectChoice(w.id, f"{w.username} ({w.team.name})") for w in workers]
    forms["user_form"].team.choices = [SelectChoice(0, _("No team (admins)"))] + team_choices
    forms["client_form"].team.choices = team_choices
    forms["assignment_form"].client.choices = [
        SelectChoice(c.id, f"{c.code} ({c.team.name})") for c in clients
    ]
    forms["assignment_form"].worker.choices = worker_choices
    forms["pair_form"].first.choices = worker_choices
    forms["pair_form"].second.choices = worker_choices
    return forms


def _page(status: int = 200, **bound):
    context = _forms(**bound)
    context["users"] = db.session.scalars(
        select(User).options(joinedload(User.team)).order_by(User.username)
    ).all()
    context["teams"] = db.session.scalars(select(Team).order_by(Team.name)).all()
    context["assignments"] = db.session.scalars(
        select(Assignment).options(joinedload(Assignment.client), joinedload(Assignment.user))
    ).all()
    context["pairs"] = db.session.scalars(
        select(Pair).options(joinedload(Pair.first), joinedload(Pair.second))
    ).all()
    shown = [a.client_id for a in context["assignments"]]
    audit.listed("admin", shown + [c.value for c in context["assignment_form"].client.choices])
    page = render_template("admin/index.html", **context)
    db.session.commit()
    return page, status


def _submit(form_name: str, form, action):
    """Validate `form`, run `action(form)`, commit; re-show the page with errors otherwise."""
    bound = _forms(**{form_name: form})[form_name]
    if bound.validate_on_submit():
        try:
            message = action(bound)
        except operations.AdminError as error:
            db.session.rollback()
            bound.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(message)
            return redirect(url_for("admin.index"), 303)
    return _page(400, **{form_name: bound})


@bp.get("/")
@access.allow("admin")
def index():
    return _page()


@bp.post("/teams")
@access.allow("admin")
def create_team():
    return _submit(
        "team_form", TeamForm(),
        lambda f: _("Team %(name)s added.", name=operations.create_team(f.name.data).name),
    )


@bp.post("/users")
@access.allow("admin")
def create_user():
    form = _forms(user_form=UserForm())["user_form"]
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


@bp.post("/clients")
@access.allow("admin")
def create_client():
    def action(form):
        client = operations.create_client(form.code.data, db.session.get(Team, form.team.data))
        return _("Client %(code)s added.", code=client.code)

    return _submit("client_form", ClientForm(), action)


@bp.post("/assignments")
@access.allow("admin")
def create_assignment():
    def action(form):
        client = db.session.get(Client, form.client.data)
        worker = db.session.get(User, form.worker.data)
        operations.assign(client, worker, form.role.data)
        return _("Assignment saved.")

    return _submit("assignment_form", AssignmentForm(), action)


@bp.post("/pairs")
@access.allow("admin")
def create_pair():
    def action(form):
        operations.pair_workers(
            db.session.get(User, form.first.data), db.session.get(User, form.second.data)
        )
        return _("Pair saved.")

    return _submit("pair_form", PairForm(), action)


def _account_action(user_id: int, action, message: str):
    user = access.load_user(user_id)
    if user.id == current_user.id:
        flash(_("You cannot do that to your own account here."))
        return redirect(url_for("admin.index"), 303)
    action(user)
    db.session.commit()
    flash(message % {"name": user.username})
    return redirect(url_for("admin.index"), 303)


@bp.post("/users/<int:user_id>/disable")
@access.allow("admin")
def disable_user(user_id: int):
    return _account_action(
        user_id, lambda u: operations.set_active(u, False),
        _("%(name)s is disabled and signed out everywhere."),
    )


@bp.post("/users/<int:user_id>/enable")
@access.allow("admin")
def enable_user(user_id: int):
    return _account_action(
        user_id, lambda u: operations.set_active(u, True), _("%(name)s can sign in again.")
    )


@bp.post("/users/<int:user_id>/end-sessions")
@access.allow("admin")
def end_sessions(user_id: int):
    return _account_action(
        user_id, operations.end_sessions, _("%(name)s is signed out on every device.")
    )


@bp.post("/users/<int:user_id>/reset-second-factor")
@access.allow("admin")
def reset_second_factor(user_id: int):
    """Lost phone or password: a new invitation, and the lead confirms the account again."""
    user = access.load_user(user_id)
    if user.id == current_user.id:
        flash(_("You cannot do that to your own account here."))
        return redirect(url_for("admin.index"), 303)
    code = members.reinvite(user, current_user)
    db.session.commit()
    return _invitation_page(user, code)
