"""One team's page for the admin: its accounts, clients, assignments and pairs, with choices
from that team only; unassign, dissolve, rename and code corrections, each undoable."""

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from companion import access, audit
from companion.admin import changes, operations
from companion.admin.forms import (
    AssignmentForm,
    ClientForm,
    PairForm,
    TeamForm,
)
from companion.admin.views import bp
from companion.clients.lifecycle import ClientStateError
from companion.extensions import db
from companion.models import Assignment, Client, Pair, Team, User

UNDO = "admin_undo"


def _forms(team: Team, **bound) -> dict:
    """The team's forms; every choice is one of this team's active workers or open clients."""
    workers = [u for u in team.members if u.role == "worker" and u.active]
    clients = db.session.scalars(select(Client).where(
        Client.team_id == team.id, Client.closed_at.is_(None)).order_by(Client.code)).all()
    forms = {"rename_form": TeamForm(formdata=None, name=team.name),
             "client_form": ClientForm(formdata=None),
             "assignment_form": AssignmentForm(formdata=None),
             "pair_form": PairForm(formdata=None)} | bound
    worker_choices = [SelectChoice(w.id, w.username) for w in workers]
    forms["assignment_form"].client.choices = [SelectChoice(c.id, c.code) for c in clients]
    forms["assignment_form"].worker.choices = worker_choices
    forms["pair_form"].first.choices = forms["pair_form"].second.choices = worker_choices
    return forms


def _page(team: Team, status: int = 200, **bound):
    clients = db.session.scalars(
        select(Client).where(Client.team_id == team.id).order_by(Client.code)).all()
    assignments = db.session.scalars(select(Assignment).join(Client).where(
        Client.team_id == team.id).order_by(Client.code, Assignment.role.desc())).all()
    pairs = db.session.scalars(select(Pair).where(Pair.team_id == team.id).order_by(
        Pair.ended_at.is_not(None), Pair.id)).all()
    audit.listed("admin", [c.id for c in clients])
    page = render_template("admin/team.html", team=team, clients=clients, pairs=pairs,
                           assignments=assignments, undo=session.pop(UNDO, None),
                           **_forms(team, **bound))
    db.session.commit()
    return page, status


def shown(template: str, client_ids, status: int = 200, **context):
    """A page naming client codes: which ones is audited like any other read."""
    audit.listed("admin", client_ids)
    page = render_template(template, **context)
    db.session.commit()
    return page, status


def _back(team_id: int, message: str, undo: dict | None = None):
    db.session.commit()
    flash(message)
    if undo:
        session[UNDO] = undo
    return redirect(url_for("admin.team", team_id=team_id), 303)


def _submit(team: Team, name: str, form, action):
    """Validate `form` (this team's choices), run `action(form)`; the page again otherwise."""
    form = _forms(team, **{name: form})[name]
    if form.validate_on_submit():
        try:
            return action(form)
        except (operations.AdminError, ClientStateError) as error:
            db.session.rollback()
            form.form_errors.append(str(error))
    return _page(db.session.get(Team, team.id), 400, **{name: form})


@bp.get("/teams/<int:team_id>")
@access.allow("admin")
def team(team_id: int):
    return _page(access.load_for_admin(Team, team_id))


@bp.post("/teams/<int:team_id>/name")
@access.allow("admin")
def rename_team(team_id: int):
    team = access.load_for_admin(Team, team_id)

    def action(form):
        old = changes.rename_team(team, form.name.data)
        if old is None:  # a second tap, or the name it has: nothing more to change
            return _back(team.id, _("The team is called %(name)s already.", name=team.name))
        return _back(team.id, _("The team is now called %(name)s.", name=team.name), {
            "label": _("Undo: call it %(name)s again", name=old), "fields": {"name": old},
            "action": url_for("admin.rename_team", team_id=team.id)})

    return _submit(team, "rename_form", TeamForm(), action)


@bp.post("/teams/<int:team_id>/clients")
@access.allow("admin")
def create_client(team_id: int):
    team = access.load_for_admin(Team, team_id)

    def action(form):
        client = operations.create_client(form.code.data, team)
        return _back(team.id, _("Client %(code)s added.", code=client.code))

    return _submit(team, "client_form", ClientForm(), action)


@bp.post("/teams/<int:team_id>/assignments")
@access.allow("admin")
def create_assignment(team_id: int):
    team = access.load_for_admin(Team, team_id)

    def action(form):
        operations.assign(db.session.get(Client, form.client.data),
                          db.session.get(User, form.worker.data), form.role.data)
        return _back(team.id, _("Assignment saved."))

    return _submit(team, "assignment_form", AssignmentForm(), action)


@bp.post("/teams/<int:team_id>/pairs")
@access.allow("admin")
def create_pair(team_id: int):
    team = access.load_for_admin(Team, team_id)

    def action(form):
        operations.pair_workers(db.session.get(User, form.first.data),
                                db.session.get(User, form.second.data))
        return _back(team.id, _("Pair saved."))

    return _submit(team, "pair_form", PairForm(), action)


from companion.admin import team_changes  # noqa: E402, F401  (unassign, dissolve, code)
