"""Debrief screens: the comparison of a shared meeting, its agreed next step, the pair page."""

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from companion import access
from companion.clock import local_now, to_local
from companion.debriefs import comparison, operations
from companion.debriefs.forms import CloseForm, NextStepForm
from companion.extensions import db, htmx

bp = Blueprint("debriefs", __name__)

ATTENDANCE_LABELS = {
    "held": _l("held"), "cut_short": _l("cut short"), "no_show": _l("no-show"),
    "cancelled": _l("cancelled"),
}
DIMENSION_LABELS = {"goals": _l("Goals"), "tasks": _l("Tasks"), "bond": _l("Bond")}


@bp.record_once
def _load_prompts(state) -> None:
    """Read the discussion prompts once, at start-up, so a broken file stops the app early."""
    state.app.extensions["debrief_prompts"] = comparison.load_prompts()


@bp.app_template_filter("team_clock")
def _team_clock(moment):
    """A stored UTC timestamp on the team's wall clock."""
    return to_local(moment) if moment else moment


@bp.app_template_filter("meeting_ago")
def _meeting_ago(day) -> str:
    """How long ago a meeting day was, in words."""
    days = (local_now().date() - day).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return ngettext("%(num)d day ago", "%(num)d days ago", days)


@bp.get("/meetings/<int:meeting_id>/debrief")
@access.allow("worker", "lead")
def show(meeting_id: int):
    shared = operations.load_shared_meeting(meeting_id)
    if shared.viewer_is_worker and shared.both_in:
        operations.open_debrief(shared)
    db.session.commit()
    return render_template("debriefs/show.html", **_context(shared))


@bp.post("/meetings/<int:meeting_id>/debrief/next-step")
@access.allow("worker")
def agree(meeting_id: int):
    shared = _opened(meeting_id)
    form = NextStepForm()
    if shared.debrief.closed_at is not None:
        return _next_step(shared, form, 409, _("This debrief is closed: it is read-only now."))
    if not form.validate():
        return _next_step(shared, form, 422)
    operations.agree_next_step(shared.debrief, form.next_step.data, current_user)
    db.session.commit()
    if htmx and not htmx.boosted:
        return _next_step(shared, NextStepForm(formdata=None, next_step=form.next_step.data), 200)
    return redirect(url_for(".show", meeting_id=meeting_id), 303)


@bp.post("/meetings/<int:meeting_id>/debrief/close")
@access.allow("worker")
def close(meeting_id: int):
    shared = _opened(meeting_id)
    if CloseForm().validate_on_submit():
        operations.close_debrief(shared.debrief, current_user)
        db.session.commit()
    return redirect(url_for(".show", meeting_id=meeting_id), 303)


@bp.get("/pairs")
@access.allow("worker", "lead")
def pairs():
    return render_template("debriefs/pairs.html", pairs=operations.pairs_of(current_user))


@bp.get("/pairs/<int:pair_id>")
@access.allow("worker", "lead")
def pair(pair_id: int):
    found = operations.load_pair(pair_id)
    vocabulary, _prompts = operations.content()
    months = operations.pair_months(found, local_now().date(),
                                    operations.observed_ids(vocabulary))
    recent = operations.recent_shared_meetings(found)
    db.session.commit()
    return render_template("debriefs/pair.html", pair=found, months=months, recent=recent,
                           labels=vocabulary.by_id)


def _opened(meeting_id: int) -> operations.SharedMeeting:
    """The shared meeting with its debrief opened; 404 until both captures are in."""
    shared = operations.load_shared_meeting(meeting_id)
    if not shared.both_in:
        operations.deny(meeting_id)
    operations.open_debrief(shared)
    db.session.commit()
    return shared


def _next_step(shared, form, status: int, message: str | None = None):
    """The next-step fragment for htmx, or the whole page, with `status`."""
    context = _context(shared, next_step_form=form, next_step_error=message)
    fragment = htmx and not htmx.boosted
    template = "debriefs/_next_step.html" if fragment else "debriefs/show.html"
    return render_template(template, **context), status


def _context(shared: operations.SharedMeeting, **extra) -> dict:
    vocabulary, prompts = operations.content()
    result = shared.comparison(operations.observed_ids(vocabulary))
    debrief = shared.debrief

    def label_of(kind, value):
        if kind == "marker":
            return vocabulary.by_id[value].label
        if kind == "dimension":
            return str(DIMENSION_LABELS[value]).lower()
        return str(ATTENDANCE_LABELS.get(value, value)) if kind == "attendance" else str(value)

    discuss = {}
    if result is not None and shared.viewer_is_worker:
        discuss = {
            (d.kind, d.subject): comparison.prompt_for(d, prompts, vocabulary.category_of,
                                                       label_of)
            for d in result.disagreements
        }
    context = {
        "shared": shared,
        "meeting": shared.meeting,
        "client": shared.meeting.client,
        "debrief": debrief,
        "result": result,
        "discuss": discuss,
        "markers": vocabulary.by_id,
        "attendance_labels": ATTENDANCE_LABELS,
        "dimension_labels": DIMENSION_LABELS,
        "names": _names(shared),
        "names_by_id": {worker.id: worker.username for worker in shared.workers},
        "next_step_form": NextStepForm(
            formdata=None, next_step=debrief.agreed_next_step if debrief else None
        ),
        "close_form": CloseForm(formdata=None),
        "next_step_error": None,
        "pair": operations.pair_of(shared.workers),
    }
    return context | extra


def _names(shared: operations.SharedMeeting) -> tuple[str, str]:
    """How the two sides are called: "you" and the partner, or both usernames for a lead."""
    first, second = shared.workers
    return (_("You") if shared.viewer_is_worker else first.username), second.username
