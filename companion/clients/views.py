"""Client views; every one loads its client through `access.load_client`.

Workers change the phase, milestones and ratings of their clients; leads only read.
"""

from flask import Blueprint, Response, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from companion import access
from companion.capture.operations import EDIT_WINDOW
from companion.clients import brief, forms, goals, handover, operations, progress, queries
from companion.clients.operations import ClientError
from companion.clients.progress import ProgressError
from companion.clock import local_now
from companion.extensions import db
from companion.models import utcnow
from companion.rendering import render_fragment, see_other, wants_fragment
from companion.vocabulary import PARTS

bp = Blueprint("clients", __name__, url_prefix="/clients")
DECISIONS = {"confirm": "confirmed", "dismiss": "dismissed"}
# The body of each section, alone for htmx (see show.html: only the open one is in the page).
SECTION_BODIES = {"meetings": "clients/_meetings.html", "signs": "clients/_signs.html",
                  "milestones": "clients/_milestones.html", "ratings": "clients/_ratings.html",
                  "phase": "clients/_phase.html", "workers": "clients/_lifecycle.html"}
SECTIONS = ", ".join(SECTION_BODIES)  # each opens on its own URL



def render_page(client, part: str = "beginning", status: int = 200, **forms_and_errors):
    return render_template("clients/show.html",
                           **page_context(client, part, **forms_and_errors)), status


def page_context(client, part: str = "beginning", **forms_and_errors) -> dict:
    context = queries.client_page(client, current_user, part)
    context |= {
        "worker": current_user.role == "worker",
        "phase_form": forms.PhaseForm(formdata=None),
        "milestone_form": forms.MilestoneForm(formdata=None),
        "rating_form": rating_form(context["ratings"], context["today"]),
        "interval_form": forms.ReviewIntervalForm(formdata=None,
                                                  months=str(context["review"].every)),
        "editable_since": utcnow() - EDIT_WINDOW,
    } | lifecycle_context(client, context["assignments"]) | forms_and_errors
    return context


def lifecycle_context(client, assignments) -> dict:
    from companion.clients import lifecycle_forms

    context = {"close_form": lifecycle_forms.CloseForm(formdata=None, version=client.version),
               "reopen_form": lifecycle_forms.ReopenForm(formdata=None, version=client.version)}
    if current_user.role == "lead":
        context["handover_form"] = lifecycle_forms.handover_form(
            client, queries.team_workers(client), assignments)
    return context


def rating_form(ratings, today) -> forms.RatingForm:
    """This month's rating prefilled when there is one."""
    month = progress.month_key(today)
    current = next((r for r in ratings if r.month == month), None)
    data = {"month": month}
    if current is not None:
        data |= {name: forms.NOT_KNOWN if getattr(current, name) is None
                 else str(getattr(current, name)) for name in forms.DIMENSIONS}
    return forms.RatingForm(formdata=None, data=data)


def refused(client, form, error: ProgressError, name: str, status: int = 400, **more):
    """The page again with the message next to the field it is about; nothing was saved."""
    db.session.rollback()
    field = form._fields.get(error.field)
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        more["milestone_error"] = str(error)
    return render_page(client, status=status, **{name: form}, **more)


def back_to(client, section: str | None = None):
    if section is None:
        return see_other(url_for("clients.show", client_id=client.id))
    return see_other(url_for("clients.section", client_id=client.id, section=section,
                             _anchor=f"section-{section}"))


@bp.get("/<int:client_id>")
@access.allow("worker", "lead")
def show(client_id: int):
    client = access.load_client(client_id)
    arrived = handover.unseen_for(client, current_user)
    if arrived is not None:  # the first time the new worker opens it: shown once, then kept
        handover.mark_seen(arrived)
        db.session.commit()
    return render_page(client, arrived=arrived)


@bp.get(f"/<int:client_id>/<any({SECTIONS}):section>")
@access.allow("worker", "lead")
def section(client_id: int, section: str):
    """The client page with one section of history or trends open; for htmx, its body alone."""
    client = access.load_client(client_id)
    if wants_fragment():
        return render_fragment(SECTION_BODIES[section], **page_context(client,
                                                                      open_section=section))
    return render_page(client, open_section=section)


@bp.get("/<int:client_id>/card/<part>")
@access.allow("worker", "lead")
def card(client_id: int, part: str):
    if part not in PARTS:
        abort(404)
    client = access.load_client(client_id)
    if wants_fragment():
        return render_fragment("clients/_card.html", **brief.card_context(client, part))
    return render_page(client, part)


@bp.post("/<int:client_id>/suggestion/<decision>")
@access.allow("worker")
def decide(client_id: int, decision: str):
    if decision not in DECISIONS:
        abort(404)
    client = access.load_client(client_id)
    form = forms.DecisionForm()
    seen = brief.suggestion_for(client, current_user)
    if not form.validate() or seen is None or not seen.actionable \
            or seen.key != form.suggestion.data:
        message = _("The suggestion has changed since you saw it. Look at it again.")
        return render_page(client, status=409, suggestion_error=message)
    operations.decide(client, seen, DECISIONS[decision], current_user)
    db.session.commit()
    return back_to(client)


@bp.post("/<int:client_id>/phase")
@access.allow("worker")
def change_phase(client_id: int):
    client = access.load_client(client_id)
    form = forms.PhaseForm()
    if form.validate():
        try:
            operations.change_phase(client, form.to_phase.data, form.reason.data, current_user)
        except ClientError as error:
            form.to_phase.errors = [str(error)]
        else:
            db.session.commit()
            return back_to(client)
    return render_page(client, status=400, phase_form=form, phase_open=True)


@bp.post("/<int:client_id>/milestones")
@access.allow("worker")
def add_milestone(client_id: int):
    client = access.load_client(client_id)
    form = forms.MilestoneForm()
    if not form.validate():
        return render_page(client, status=400, milestone_form=form, milestone_open=True)
    try:
        progress.add_milestone(client, form.title.data, form.area.data, form.target_month.data,
                               form.agreed.data, current_user, local_now().date())
    except ProgressError as error:
        return refused(client, form, error, "milestone_form", milestone_open=True)
    db.session.commit()
    return back_to(client, "milestones")


@bp.post("/<int:client_id>/milestones/<int:milestone_id>")
@access.allow("worker")
def update_milestone(client_id: int, milestone_id: int):
    client = access.load_client(client_id)
    milestone = access.load_milestone(client, milestone_id)
    form = forms.MilestoneStatusForm()
    if not form.validate():
        return render_page(client, status=400,
                           milestone_error=_("Choose reached, dropped or open again."))
    try:
        progress.set_milestone_status(milestone, form.status.data, current_user,
                                      local_now().date())
    except ProgressError as error:
        return render_page(client, status=409, milestone_error=str(error))
    db.session.commit()
    return back_to(client, "milestones")


@bp.post("/<int:client_id>/review-interval")
@access.allow("worker")
def set_review_interval(client_id: int):
    client = access.load_client(client_id)
    form = forms.ReviewIntervalForm()
    if not form.validate():
        return render_page(client, status=400, interval_form=form)
    progress.set_review_interval(client, int(form.months.data))
    db.session.commit()
    return back_to(client)


@bp.post("/<int:client_id>/review")
@access.allow("worker")
def hold_review(client_id: int):
    client = access.load_client(client_id)
    if not forms.ReviewForm().validate():
        return render_page(client, status=400)
    progress.record_review(client, current_user, local_now().date())
    db.session.commit()
    return back_to(client)


@bp.post("/<int:client_id>/ratings")
@access.allow("worker")
def rate(client_id: int):
    client = access.load_client(client_id)
    form = forms.RatingForm()
    if not form.validate():
        return render_page(client, status=400, rating_form=form)
    try:
        today = local_now().date()
        progress.rate_month(client, form.month.data or progress.month_key(today),
                            form.values(), current_user, today)
    except ProgressError as error:
        return refused(client, form, error, "rating_form")
    db.session.commit()
    return back_to(client, "ratings")


@bp.get("/<int:client_id>/goals.pdf")
@access.allow("worker", "lead")
def goals_pdf(client_id: int):
    client = access.load_client(client_id, action="goals.view")
    pdf = goals.agreed_goals_pdf(client, local_now().date())
    db.session.commit()
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="our-agreed-goals.pdf"',
        "Cache-Control": "no-store",
    })
