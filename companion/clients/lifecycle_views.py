"""A lead hands a client over; a lead or an assigned worker closes and reopens a case."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from companion import access
from companion.clients import handover, lifecycle, lifecycle_forms
from companion.clients.views import bp, render_page
from companion.extensions import db
from companion.models import User
from companion.rendering import see_other


def _refused(client, message: str, status: int = 409, **forms):
    db.session.rollback()
    return render_page(client, status=status, lifecycle_error=message, **forms)


def _done(client, message: str):
    """Commit the change and go back to the client page, which says what happened."""
    db.session.commit()
    flash(message)
    return see_other(url_for("clients.show", client_id=client.id))


@bp.post("/<int:client_id>/hand-over")
@access.allow("lead")
def hand_over(client_id: int):
    client = access.load_client(client_id, "client.hand_over")
    form = lifecycle_forms.handover_form(client, *page_choices(client), formdata=request.form)
    if form.version.raw_data != [str(client.version)]:  # drawn before another change
        return _refused(client, str(lifecycle.STALE), handover_form=form)
    if not form.validate():
        return _refused(client, _("Choose from the lists."), 400, handover_form=form)
    users = [db.session.get(User, uid) if uid else None
             for uid in (form.from_worker.data, form.to_worker.data)]
    try:
        handover.hand_over(client, form.version.data, current_user, *users)
    except lifecycle.ClientStateError as error:
        return _refused(client, str(error), handover_form=form)
    return _done(client, _("Hand-over saved; the change took effect at once."))


@bp.post("/<int:client_id>/close")
@access.allow("worker", "lead")
def close(client_id: int):
    client = access.load_client(client_id, "client.close")
    form = lifecycle_forms.CloseForm()
    if not form.validate():
        return _refused(client, _("Choose why the case closes."), 400, close_form=form)
    try:
        lifecycle.close(client, form.version.data, form.reason.data, form.note.data or "",
                        current_user)
    except lifecycle.ClientStateError as error:
        return _refused(client, str(error), close_form=form)
    return _done(client, _("Case closed. It can be reopened from this page."))


@bp.post("/<int:client_id>/reopen")
@access.allow("worker", "lead")
def reopen(client_id: int):
    client = access.load_client(client_id, "client.reopen")
    form = lifecycle_forms.ReopenForm()
    try:
        if not form.validate():
            raise lifecycle.ClientStateError(_("Reload the page and try again."))
        lifecycle.reopen(client, form.version.data)
    except lifecycle.ClientStateError as error:
        return _refused(client, str(error))
    return _done(client, _("Case reopened."))


def page_choices(client) -> tuple[list[User], list]:
    from companion.clients.queries import assignments, team_workers

    return team_workers(client), assignments(client)
