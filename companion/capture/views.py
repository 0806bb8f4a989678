"""Capture views: a new capture per client, a capture of a meeting a partner recorded, edits.

A plain POST answers with a 303 to the client page; an htmx POST with the "saved" fragment.
"""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from companion import access, audit, content, offline
from companion.capture import aids, operations, prefill, queries, receipts
from companion.capture.validation import Rules, validate
from companion.clients.lifecycle import open_case
from companion.clock import local_now, team_zone
from companion.content import Vocabulary
from companion.debriefs.shared import ready_to_compare
from companion.extensions import db
from companion.models import Capture, Client, Meeting, User
from companion.rendering import page_or_fragment, render_fragment, see_other, wants_fragment
from companion.timewords import when

bp = Blueprint("capture", __name__)


@dataclass
class Screen:
    """Everything the form needs besides its values."""

    client: Client
    action: str
    draft_key: str
    co_workers: list[User]
    meeting: Meeting | None = None
    capture: Capture | None = None
    packed: bool = False  # the copy the phone keeps for no signal: codes and phases only
    offer_pending: bool = False  # list this worker's meetings with the client still to capture

    @cached_property
    def pending(self) -> list[Meeting]:
        """Looked up only when the form is shown (a save that succeeds never needs it)."""
        if not self.offer_pending:
            return []
        return queries.uncaptured_meetings(current_user, self.client.id, limit=3)

    @property
    def aided(self) -> bool:
        """Offer recent steps, last ratings and live signs: a new capture, not the kept copy."""
        return self.capture is None and not self.packed

    def co_worker_options(self) -> list[tuple[str, str, None]]:
        """Segments for "who was there": only me, or one of the other assigned workers."""
        return [("", _("Only me"), None)] + [
            (str(user.id), user.username, None) for user in self.co_workers
        ]

    def live_signs(self, day: object, key: object = "") -> list[aids.LiveSign]:
        """Warning signs still live before this meeting (none asked again on an edit)."""
        if not self.aided:
            return []
        try:
            before = date.fromisoformat(str(day))
        except ValueError:
            before = self.meeting.held_on if self.meeting else local_now().date()
        return aids.live_signs(self.client, current_user, before,
                               self.meeting.id if self.meeting else None, str(key))

    def rules(self, vocabulary: Vocabulary) -> Rules:
        return Rules(
            vocabulary=vocabulary,
            today=local_now().date(),
            client_id=self.client.id,
            meeting_id=self.meeting.id if self.meeting else None,
            co_workers=frozenset(user.id for user in self.co_workers),
            live=tuple(s.marker_id for s in self.live_signs(
                request.form.get("held_on", ""), request.form.get("idempotency_key", ""))),
        )


@bp.route("/clients/<int:client_id>/capture", methods=["GET", "POST"])
@access.allow("worker")
def new(client_id: int):
    client = open_case(access.load_client(client_id, "capture.form"))
    co_workers = queries.co_worker_choices(client.id, current_user.id)
    packing = offline.packing()
    screen = Screen(client=client, action=url_for(".new", client_id=client.id),
                    draft_key=f"{current_user.id}:capture:{client.id}:new", co_workers=co_workers,
                    offer_pending=not packing, packed=packing)
    if request.method == "POST":
        return _save(screen)
    partner = queries.default_co_worker(current_user.id, co_workers)
    return _show(screen, prefill.for_new(client.id, team_zone(), partner))


@bp.route("/meetings/<int:meeting_id>/capture", methods=["GET", "POST"])
@access.allow("worker")
def meeting(meeting_id: int):
    found = access.load_meeting(meeting_id)
    client = open_case(access.load_client(found.client_id, "capture.form"))
    existing = queries.capture_of(found.id, current_user.id)
    if existing is not None:
        flash(_("You have already captured this meeting."))
        return see_other(url_for(".edit", capture_id=existing.id))
    co_workers = queries.co_worker_choices(client.id, current_user.id)
    screen = Screen(client=client, action=url_for(".meeting", meeting_id=found.id),
                    draft_key=f"{current_user.id}:capture:{client.id}:{found.id}",
                    co_workers=co_workers, meeting=found)
    if request.method == "POST":
        return _save(screen)
    partner = queries.default_co_worker(current_user.id, co_workers, found)
    return _show(screen, prefill.for_meeting(found, partner, current_user.id))


@bp.route("/meetings/<int:meeting_id>/warnings/acknowledge", methods=["POST"])
@access.allow("worker")
def acknowledge(meeting_id: int):
    """On the card: the worker has acted on this meeting's warning signs (needs their own
    capture of it: the card shows no one else's signs before that)."""
    found = access.load_meeting(meeting_id)
    if queries.capture_of(found.id, current_user.id) is None:
        access.deny(f"meeting:{found.id}")
    client = access.load_client(found.client_id, "warnings.acknowledged")  # audited there
    aids.acknowledge(found, current_user)
    db.session.commit()
    flash(_("Warning signs acknowledged: they are no longer shown as open."))
    return see_other(url_for("clients.show", client_id=client.id))


@bp.route("/captures/<int:capture_id>/edit", methods=["GET", "POST"])
@access.allow("worker")
def edit(capture_id: int):
    capture = access.load_own_capture(capture_id)
    client = access.load_client(capture.meeting.client_id, "capture.view")
    if not operations.can_edit(capture):
        return _read_only(capture, client, 403 if request.method == "POST" else 200)
    screen = Screen(client=client, action=url_for(".edit", capture_id=capture.id),
                    draft_key=f"{current_user.id}:edit:{capture.id}", meeting=capture.meeting,
                    capture=capture,
                    co_workers=queries.co_worker_choices(client.id, current_user.id))
    if request.method == "GET":
        return _show(screen, prefill.for_capture(capture))
    return _save_edit(screen)


def _save_edit(screen: Screen):
    data, errors = validate(request.form, screen.rules(content.current().vocabulary))
    if errors:
        return _show(screen, prefill.from_form(request.form), errors, 422)
    operations.edit_capture(screen.capture, data, current_user, team_zone())
    db.session.commit()
    return _answer_saved(screen.capture, _("Changes saved."))


def _save(screen: Screen):
    data, errors = validate(request.form, screen.rules(content.current().vocabulary))
    if errors:
        return _show(screen, prefill.from_form(request.form), errors, 422)
    earlier = _earlier_same_day(screen, data)
    if earlier:
        return _show(screen, prefill.from_form(request.form), {}, 409, earlier=earlier)
    try:
        saved = operations.save_capture(current_user, screen.client, data, team_zone(),
                                        screen.meeting)
    except operations.ChangedResend as conflict:
        db.session.rollback()
        return _two_versions(screen, conflict)
    except operations.CaptureConflict as conflict:
        db.session.rollback()
        return _show(screen, prefill.from_form(request.form), {"form": str(conflict)}, 409,
                     existing=conflict.existing)
    message = _("Capture saved.") if saved.created else _("Capture saved (it had already arrived).")
    return _answer_saved(saved.capture, message)


def _earlier_same_day(screen: Screen, data) -> dict | None:
    """A new meeting on a date the worker already captured one with this client: say so before
    saving. "This is another meeting" saves it, unless it starts at the same time (then it is
    the same meeting, and only opening it is offered)."""
    if screen.meeting is not None or queries.capture_for_key(data.idempotency_key):
        return None
    found = queries.own_captures_on(current_user.id, screen.client.id, data.held_on,
                                    except_key=data.idempotency_key)  # its twin may have landed
    same_time = [c for c in found if c.meeting.starts_at == data.starts_at]
    if not found or (request.form.get("another_meeting") == "1" and not same_time):
        return None
    return {"capture": (same_time or found)[-1], "same_time": bool(same_time)}


def _answer_saved(capture: Capture, message: str):
    zone = team_zone()
    receipt = {"X-Capture-Receipt": receipts.receipt(capture, zone)}
    received = _("Received %(time)s, ref %(ref)s", ref=receipts.ref(capture.idempotency_key),
                 time=when(receipts.received_at(capture, zone), "time"))
    if wants_fragment():
        response = render_fragment("capture/_saved.html", capture=capture, message=message,
                                   received=received, client=capture.meeting.client,
                                   compare=ready_to_compare(capture))
    else:
        flash(f"{message} {received}.", f"saved:{capture.idempotency_key}")
        response = see_other(url_for("clients.show", client_id=capture.meeting.client_id))
    response.headers.update(receipt)
    return response


def _two_versions(screen: Screen, conflict: operations.ChangedResend):
    """The stored capture and the one just sent, side by side; nothing is overwritten."""
    existing = conflict.existing
    context = {"message": str(conflict), "existing": existing, "sent": conflict.sent,
               "ref": receipts.ref(existing.idempotency_key),
               "received": receipts.received_at(existing, team_zone()),
               "can_edit": operations.can_edit(existing)}
    if wants_fragment():
        return render_fragment("capture/_conflict.html", 409, **context)
    return _show(screen, prefill.from_form(request.form), {}, 409, conflict=context)


def _show(screen: Screen, values: dict, errors: dict | None = None, status: int = 200,
          existing: Capture | None = None, conflict: dict | None = None,
          earlier: dict | None = None):
    errors = errors or {}
    words = content.current().vocabulary
    practice = {marker.id for marker in (*words.move, *words.slip)}
    fresh = screen.aided
    return page_or_fragment("capture/form.html", "capture/_form.html", status, screen=screen,
                            values=values, errors=errors, vocabulary=words, existing=existing,
                            conflict=conflict, earlier=earlier,
                            practice_open=bool(errors.keys() & {"move", "slip"}
                                               or values["marks"] & practice),
                            today=local_now().date(),
                            live=screen.live_signs(values["held_on"], values["idempotency_key"]),
                            picks=aids.next_step_picks(screen.client, current_user) if fresh
                            else [],
                            last_ratings=aids.last_ratings(screen.client, current_user) if fresh
                            else None)


def _read_only(capture: Capture, client: Client, status: int):
    audit.record("capture.view", f"capture:{capture.id}")
    return page_or_fragment("capture/view.html", "capture/_summary.html", status,
                            capture=capture, client=client,
                            vocabulary=content.current().vocabulary, closed=True,
                            refused=status == 403,
                            debrief_closed=queries.debrief_closed(capture.meeting_id))
