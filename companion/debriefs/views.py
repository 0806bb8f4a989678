"""Debrief screens: the comparison of a shared meeting, its agreed next step, the pair page."""

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from companion import access, content
from companion.clock import local_now
from companion.debriefs import comparison, operations
from companion.debriefs.forms import CloseForm, NextStepForm
from companion.debriefs.pairs import (
    pair_months,
    pair_of,
    pairs_of,
    recent_shared_meetings,
    team_disagreements,
)
from companion.debriefs.shared import SharedMeeting
from companion.extensions import db
from companion.rendering import page_or_fragment, see_other, wants_fragment
from companion.vocabulary import ALLIANCE, ATTENDANCE, label

bp = Blueprint("debriefs", __name__)


@bp.get("/meetings/<int:meeting_id>/debrief")
@access.allow("worker", "lead")
def show(meeting_id: int):
    shared = access.load_shared_meeting(meeting_id)
    if shared.viewer_is_worker and shared.both_in and not shared.cancelled:
        operations.open_debrief(shared)
    return render_template("debriefs/show.html", **_context(shared))


@bp.post("/meetings/<int:meeting_id>/debrief/next-step")
@access.allow("worker")
def agree(meeting_id: int):
    shared, form = _opened(meeting_id), NextStepForm()
    if shared.debrief.closed_at is not None:
        return _next_step(shared, form, 409, _("This debrief is closed: it is read-only now."))
    if not form.validate():
        return _next_step(shared, form, 422)
    operations.agree_next_step(shared.debrief, form.next_step.data, current_user)
    db.session.commit()
    if wants_fragment():
        return _next_step(shared, NextStepForm(formdata=None, next_step=form.next_step.data), 200)
    return see_other(url_for(".show", meeting_id=meeting_id))


@bp.post("/meetings/<int:meeting_id>/debrief/close")
@access.allow("worker")
def close(meeting_id: int):
    shared = _opened(meeting_id)
    if CloseForm().validate_on_submit():
        operations.close_debrief(shared.debrief, current_user)
        db.session.commit()
    return see_other(url_for(".show", meeting_id=meeting_id))


@bp.get("/pairs")
@access.allow("worker", "lead")
def pairs():
    found, vocabulary = pairs_of(current_user), content.current().vocabulary
    topics = (team_disagreements(found, local_now().date(), vocabulary.observed)
              if current_user.role == "lead" else [])
    return render_template("debriefs/pairs.html", pairs=found, topics=topics,
                           labels=vocabulary.by_id)


@bp.get("/pairs/<int:pair_id>")
@access.allow("worker", "lead")
def pair(pair_id: int):
    found = access.load_pair(pair_id)
    vocabulary = content.current().vocabulary
    months = pair_months(found, local_now().date(), vocabulary.observed)
    return render_template("debriefs/pair.html", pair=found, months=months,
                           recent=recent_shared_meetings(found), labels=vocabulary.by_id)


def _opened(meeting_id: int) -> SharedMeeting:
    """The shared meeting with its debrief opened; 404 until both captures are in, and for a
    meeting both recorded as cancelled."""
    shared = access.load_shared_meeting(meeting_id)
    if not shared.both_in or shared.cancelled:
        access.deny(f"meeting:{meeting_id}")
    operations.open_debrief(shared)
    db.session.commit()  # opened, whatever the answer to this request
    return shared


def _next_step(shared, form, status: int, message: str | None = None):
    """The next-step fragment for htmx, or the whole page, with `status`."""
    context = _context(shared, next_step_form=form, next_step_error=message)
    return page_or_fragment("debriefs/show.html", "debriefs/_next_step.html", status, **context)


def _label_of(kind: str, value) -> str:
    """A compared value in words, for the discussion prompts."""
    if kind == "marker":
        return content.current().vocabulary.by_id[value].label
    if kind == "dimension":
        return label(ALLIANCE, value).lower()
    return label(ATTENDANCE, value).lower() if kind == "attendance" else str(value)


def _proposed(shared: SharedMeeting) -> str | None:
    """The agreed step so far, or the proposal the worker chose with "Use this"."""
    chosen = request.args.get("use", "")
    if shared.viewer_is_worker and shared.both_in and chosen in ("0", "1"):
        return shared.captures[int(chosen)].next_step or None
    return shared.debrief.agreed_next_step if shared.debrief else None


def _context(shared: SharedMeeting, **extra) -> dict:
    words = content.current()
    result = shared.comparison(words.vocabulary.observed)
    debrief = shared.debrief
    discuss = {}
    if result is not None and shared.viewer_is_worker:
        discuss = {
            (d.kind, d.subject): comparison.prompt_for(d, words.debrief_prompts,
                                                       words.vocabulary.category_of, _label_of)
            for d in result.disagreements
        }
    first, second = shared.workers
    context = {
        "shared": shared, "meeting": shared.meeting, "client": shared.meeting.client,
        "debrief": debrief, "result": result, "discuss": discuss,
        "markers": words.vocabulary.by_id,
        "names": (_("You") if shared.viewer_is_worker else first.username, second.username),
        "names_by_id": {worker.id: worker.username for worker in shared.workers},
        "next_step_form": NextStepForm(formdata=None, next_step=_proposed(shared)),
        "close_form": CloseForm(formdata=None),
        "next_step_error": None,
        "pair": pair_of(shared.workers),
    }
    return context | extra
