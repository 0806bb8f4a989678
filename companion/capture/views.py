"""Capture views: a new capture per client, a capture of a meeting a partner recorded, edits.

A plain POST answers with a 303 to the client page; an htmx POST with the "saved" fragment.
"""

from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from companion import access, audit, offline
from companion.capture import forms, operations, receipts
from companion.capture.validation import Rules, validate
from companion.cards import Vocabulary, load_content
from companion.clock import local_now, team_zone
from companion.extensions import db, htmx
from companion.models import Capture, Client, Meeting, User

bp = Blueprint("capture", __name__)

ATTENDANCE_LABELS = {
    "held": _l("Held"),
    "cut_short": _l("Cut short"),
    "no_show": _l("No-show"),
    "cancelled": _l("Cancelled by the institution"),
}
GROUP_TITLES = {
    "readiness": _l("Readiness markers"),
    "warning": _l("Warning signs"),
    "move": _l("Moves used"),
    "slip": _l("Don'ts that slipped"),
}


@dataclass
class Screen:
    """Everything the form needs besides its values."""

    client: Client
    action: str
    draft_key: str
    co_workers: list[User]
    meeting: Meeting | None = None
    capture: Capture | None = None
    pending: list[Meeting] = field(default_factory=list)

    def co_worker_options(self) -> list[tuple[str, str, None]]:
        """Segments for "who was there": only me, or one of the other assigned workers."""
        return [("", _("Only me"), None)] + [
            (str(user.id), user.username, None) for user in self.co_workers
        ]

    def rules(self, vocabulary: Vocabulary) -> Rules:
        return Rules(
            vocabulary=vocabulary,
            today=local_now().date(),
            client_id=self.client.id,
            meeting_id=self.meeting.id if self.meeting else None,
            co_workers=frozenset(user.id for user in self.co_workers),
        )


def vocabulary() -> Vocabulary:
    """The marker vocabulary, read once per app."""
    content = current_app.extensions.get("content")
    if content is None:
        content = load_content(Path(current_app.instance_path) / "content")
        current_app.extensions["content"] = content
    return content.vocabulary


@bp.app_template_global()
def attendance_label(attendance: str) -> str:
    return str(ATTENDANCE_LABELS.get(attendance, attendance))


@bp.app_template_global()
def marker_groups(marks: list[str]) -> list[tuple[str, list[str]]]:
    """Ticked marker labels by table (readiness, warning, move, slip), tables with none left out;
    ids no longer in the vocabulary are skipped."""
    by_id = vocabulary().by_id
    groups = []
    for category, title in GROUP_TITLES.items():
        labels = [by_id[m].label for m in marks if m in by_id and by_id[m].category == category]
        if labels:
            groups.append((str(title), labels))
    return groups


@bp.route("/clients/<int:client_id>/capture", methods=["GET", "POST"])
@access.allow("worker")
def new(client_id: int):
    client = access.load_client(client_id, "capture.form")
    co_workers = operations.co_worker_choices(client.id, current_user.id)
    pending = [] if offline.packing() else operations.uncaptured_meetings(
        current_user, client.id, limit=3)
    screen = Screen(client=client, action=url_for(".new", client_id=client.id),
                    draft_key=f"{current_user.id}:capture:{client.id}:new", co_workers=co_workers,
                    pending=pending)
    if request.method == "POST":
        return _save(screen)
    partner = operations.default_co_worker(current_user.id, co_workers)
    return _show(screen, forms.for_new(client.id, team_zone(), partner))


@bp.route("/meetings/<int:meeting_id>/capture", methods=["GET", "POST"])
@access.allow("worker")
def meeting(meeting_id: int):
    found = _load_meeting(meeting_id)
    client = access.load_client(found.client_id, "capture.form")
    existing = operations.capture_of(found.id, current_user.id)
    if existing is not None:
        flash(_("You have already captured this meeting."))
        return redirect(url_for(".edit", capture_id=existing.id), 303)
    co_workers = operations.co_worker_choices(client.id, current_user.id)
    screen = Screen(client=client, action=url_for(".meeting", meeting_id=found.id),
                    draft_key=f"{current_user.id}:capture:{client.id}:{found.id}",
                    co_workers=co_workers, meeting=found)
    if request.method == "POST":
        return _save(screen)
    partner = operations.default_co_worker(current_user.id, co_workers, found)
    return _show(screen, forms.for_meeting(found, partner))


@bp.route("/captures/<int:capture_id>/edit", methods=["GET", "POST"])
@access.allow("worker")
def edit(capture_id: int):
    capture = _load_own_capture(capture_id)
    client = access.load_client(capture.meeting.client_id, "capture.view")
    if not operations.can_edit(capture):
        return _read_only(capture, client, 403 if request.method == "POST" else 200)
    screen = Screen(client=client, action=url_for(".edit", capture_id=capture.id),
                    draft_key=f"{current_user.id}:edit:{capture.id}", meeting=capture.meeting,
                    capture=capture,
                    co_workers=operations.co_worker_choices(client.id, current_user.id))
    if request.method == "GET":
        return _show(screen, forms.for_capture(capture))
    data, errors = validate(request.form, screen.rules(vocabulary()))
    if errors:
        return _show(screen, forms.from_form(request.form), errors, 422)
    operations.edit_capture(capture, data, current_user, team_zone())
    db.session.commit()
    return _answer_saved(capture, _("Changes saved."))


def _save(screen: Screen):
    data, errors = validate(request.form, screen.rules(vocabulary()))
    if errors:
        return _show(screen, forms.from_form(request.form), errors, 422)
    try:
        saved = operations.save_capture(current_user, screen.client, data, team_zone(),
                                        screen.meeting)
    except operations.ChangedResend as conflict:
        db.session.rollback()
        return _two_versions(screen, conflict)
    except operations.CaptureConflict as conflict:
        db.session.rollback()
        return _show(screen, forms.from_form(request.form), {"form": str(conflict)}, 409,
                     existing=conflict.existing)
    message = _("Capture saved.") if saved.created else _("Capture saved (it had already arrived).")
    return _answer_saved(saved.capture, message)


def _answer_saved(capture: Capture, message: str):
    zone = team_zone()
    receipt = {"X-Capture-Receipt": receipts.receipt(capture, zone)}
    received = _("Received %(time)s, ref %(ref)s", ref=receipts.ref(capture.idempotency_key),
                 time=receipts.received_at(capture, zone).strftime("%H:%M"))
    if _wants_fragment():
        return render_template("capture/_saved.html", capture=capture, message=message,
                               received=received, client=capture.meeting.client), 200, receipt
    flash(f"{message} {received}.", f"saved:{capture.idempotency_key}")
    response = redirect(url_for("clients.show", client_id=capture.meeting.client_id), 303)
    response.headers.update(receipt)
    return response


def _two_versions(screen: Screen, conflict: operations.ChangedResend):
    """The stored capture and the one just sent, side by side; nothing is overwritten."""
    existing = conflict.existing
    context = {"message": str(conflict), "existing": existing, "sent": conflict.sent,
               "ref": receipts.ref(existing.idempotency_key),
               "received": receipts.received_at(existing, team_zone()),
               "can_edit": operations.can_edit(existing)}
    if _wants_fragment():
        return render_template("capture/_conflict.html", **context), 409
    return _show(screen, forms.from_form(request.form), {}, 409, conflict=context)


def _show(screen: Screen, values: dict, errors: dict | None = None, status: int = 200,
          existing: Capture | None = None, conflict: dict | None = None):
    db.session.commit()  # the audited read
    errors = errors or {}
    words = vocabulary()
    practice = {marker.id for marker in (*words.move, *words.slip)}
    template = "capture/_form.html" if _wants_fragment() else "capture/form.html"
    page = render_template(template, screen=screen, values=values, errors=errors,
                           vocabulary=words, existing=existing, conflict=conflict,
                           practice_open=bool(errors.keys() & {"move", "slip"}
                                              or values["marks"] & practice),
                           today=local_now().date())
    return page, status


def _read_only(capture: Capture, client: Client, status: int):
    db.session.commit()
    template = "capture/_summary.html" if _wants_fragment() else "capture/view.html"
    page = render_template(template, capture=capture, client=client, vocabulary=vocabulary(),
                           closed=True, refused=status == 403,
                           debrief_closed=operations.debrief_closed(capture.meeting_id))
    return page, status


def _wants_fragment() -> bool:
    """An htmx request from the capture form itself, not a boosted navigation."""
    return bool(htmx) and not htmx.boosted


def _load_meeting(meeting_id: int) -> Meeting:
    """The meeting if the current worker took part in it, else 404."""
    found = db.session.get(Meeting, meeting_id)
    if found is None or all(w.user_id != current_user.id for w in found.workers):
        _deny(f"meeting:{meeting_id}")
    return found


def _load_own_capture(capture_id: int) -> Capture:
    """The capture if the current worker wrote it, else 404."""
    capture = db.session.get(Capture, capture_id)
    if capture is None or capture.author_id != current_user.id:
        _deny(f"capture:{capture_id}")
    return capture


def _deny(subject: str):
    audit.record("access.denied", subject)
    db.session.commit()
    abort(404)
