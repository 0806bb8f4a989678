"""Unassign a worker, dissolve or restore a pair, correct a client's code: each confirmed on
its own page first, each offering an undo on the team page afterwards."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from companion import access
from companion.admin import changes, operations
from companion.admin.forms import CodeForm, UnassignForm
from companion.admin.team_views import _back, bp, shown
from companion.clients.lifecycle import ClientStateError
from companion.extensions import db
from companion.models import Assignment, Client, Pair


@bp.get("/assignments/<int:assignment_id>/remove")
@access.allow("admin")
def confirm_unassign(assignment_id: int):
    assignment = access.load_for_admin(Assignment, assignment_id)
    return shown("admin/unassign.html", [assignment.client_id], assignment=assignment,
                 form=UnassignForm(formdata=None, version=assignment.client.version,
                                   client=assignment.client_id, worker=assignment.user_id))


@bp.post("/assignments/<int:assignment_id>/remove")
@access.allow("admin")
def unassign(assignment_id: int):
    form, assignment = UnassignForm(), db.session.get(Assignment, assignment_id)
    if assignment is None:  # a second tap: the first removed it
        return _already_unassigned(form)
    client, worker, role = assignment.client, assignment.user, assignment.role
    refused = _unassigned(assignment, form)
    if refused and _gone(assignment_id):  # the other tap of a double tap won the race
        return _already_unassigned(form)
    if refused:
        return shown("admin/unassign.html", [assignment.client_id], refused[0],
                     assignment=assignment, form=form, error=refused[1])
    return _back(client.team_id, _("%(name)s no longer works with %(code)s.",
                                   name=worker.username, code=client.code),
                 _undo_unassign(client, worker, role))


def _undo_unassign(client, worker, role: str) -> dict:
    """The undo button after an unassign: assign the worker again, in the same role."""
    return {"label": _("Undo: assign %(name)s again", name=worker.username),
            "action": url_for("admin.create_assignment", team_id=client.team_id),
            "fields": {"client": client.id, "worker": worker.id, "role": role}}


def _unassigned(assignment: Assignment, form: UnassignForm) -> tuple[int, str] | None:
    """None when done, else the status and why not: a bad form (400), or the client changed
    since the confirmation page was drawn (409)."""
    if not form.validate_on_submit():
        return 400, _("Reload the page and try again.")
    try:
        changes.unassign(assignment, int(form.version.data), current_user)
    except ClientStateError as error:
        db.session.rollback()
        return 409, str(error)
    return None


def _gone(assignment_id: int) -> bool:
    return db.session.scalar(select(Assignment.id).where(Assignment.id == assignment_id)) is None


def _already_unassigned(form: UnassignForm):
    """Back to the team page, as after the first tap, saying it was done already."""
    client, worker = changes.unassigned_pair(form.client.data, form.worker.data)
    if client is None or worker is None:
        flash(_("That assignment was removed already."))
        return redirect(url_for("admin.index"), 303)
    assigned_again = db.session.scalar(select(Assignment.id).where(
        Assignment.client_id == client.id, Assignment.user_id == worker.id))
    names = {"name": worker.username, "code": client.code}
    return _back(client.team_id, _(
        "That assignment was removed earlier; %(name)s works with %(code)s again now.", **names)
        if assigned_again else _("%(name)s was already unassigned from %(code)s.", **names))


@bp.get("/pairs/<int:pair_id>/dissolve")
@access.allow("admin")
def confirm_dissolve(pair_id: int):
    return render_template("admin/dissolve.html", pair=access.load_for_admin(Pair, pair_id))


@bp.post("/pairs/<int:pair_id>/dissolve")
@access.allow("admin")
def dissolve_pair(pair_id: int):
    pair = access.load_for_admin(Pair, pair_id)
    changes.dissolve(pair)
    names = {"first": pair.first.username, "second": pair.second.username}
    return _back(pair.team_id, _("%(first)s and %(second)s are no longer a pair.", **names), {
        "label": _("Undo: pair them again"), "fields": {},
        "action": url_for("admin.restore_pair", pair_id=pair.id)})


@bp.post("/pairs/<int:pair_id>/restore")
@access.allow("admin")
def restore_pair(pair_id: int):
    pair = access.load_for_admin(Pair, pair_id)
    try:
        changes.restore(pair)
    except operations.AdminError as error:
        return _back(pair.team_id, str(error))
    return _back(pair.team_id, _("%(first)s and %(second)s are a pair again.",
                                 first=pair.first.username, second=pair.second.username))


@bp.route("/clients/<int:client_id>/code", methods=["GET", "POST"])
@access.allow("admin")
def correct_code(client_id: int):
    client = access.load_for_admin(Client, client_id)
    form = CodeForm() if request.method == "POST" else CodeForm(was=client.code)
    old = _corrected(client, form) if form.validate_on_submit() else None
    if old is None:
        status = 400 if form.is_submitted() else 200
        return shown("admin/code.html", [client.id], status, client=client, form=form)
    if not old:  # a second tap: the client has this code already
        return _back(client.team_id, _("The code is %(code)s already.", code=client.code))
    return _back(client.team_id, _("%(old)s is now %(code)s.", old=old, code=client.code), {
        "label": _("Undo: back to %(code)s", code=old), "fields": {"code": old, "was": client.code},
        "action": url_for("admin.correct_code", client_id=client.id)})


def _corrected(client: Client, form: CodeForm) -> str | None:
    """The old code; "" when nothing more was to do (a second tap); None when refused."""
    try:
        return changes.correct_code(client, form.code.data, form.was.data or "") or ""
    except operations.AdminError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return None
