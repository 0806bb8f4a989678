"""A case's life: closing with a reason, reopening, and the one-row claim that keeps two
people's changes to who works with a client (or whether it is open) from crossing.

Every change takes the client's row first (an UPDATE: PostgreSQL locks the row, SQLite starts
its one write transaction), then reads what it needs; so it sees every change committed before
it, and a change made from an older page (another `version`) is refused instead of merged.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from werkzeug.exceptions import Conflict, Gone

from companion import audit, vocabulary
from companion.extensions import db
from companion.models import Assignment, Client, Handover, User, utcnow
from companion.models.base import CLOSE_REASONS
from companion.timewords import when

CLOSE_LABELS = vocabulary.CLOSE_REASONS


STALE = _l("Someone else changed this client a moment ago. Look at it again before you change "
           "it.")


class ClientStateError(ValueError):
    """A hand-over, close or reopen was refused; the message says why."""


class CaseUnavailable(Gone):
    """The client is closed or no longer this worker's: a clear 410, never a 500."""

    show_to_user = True


def claim(client: Client, seen_version: int) -> None:
    """Take the client's row for a change, if it is still as the person saw it."""
    done = db.session.execute(
        update(Client).where(Client.id == client.id, Client.version == seen_version)
        .values(version=Client.version + 1).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise ClientStateError(str(STALE))
    db.session.refresh(client)


def close(client: Client, seen_version: int, reason: str, note: str, by: User) -> None:
    if reason not in CLOSE_REASONS:
        raise ClientStateError(_("Choose why the case closes."))
    if reason == "other" and not note.strip():
        raise ClientStateError(_("Say in a few words why the case closes."))
    claim(client, seen_version)
    if client.closed_at is not None:
        raise ClientStateError(_("This case is already closed."))
    client.closed_at, client.closed_reason = utcnow(), reason
    client.closed_note, client.closed_by_id = note.strip()[:200], by.id
    audit.record("client.closed", f"client:{client.id} reason:{reason}")


def reopen(client: Client, seen_version: int) -> None:
    claim(client, seen_version)
    if client.closed_at is None:
        raise ClientStateError(_("This case is open."))
    client.closed_at = client.closed_reason = client.closed_by_id = None
    client.closed_note = ""
    audit.record("client.reopened", f"client:{client.id}")


def hold_for_capture(client: Client, author: User) -> None:
    """Just before a capture is written: the case must be open and still the author's, and
    the author's account active, as committed now (not as it was when the request began);
    both rows stay taken until the capture is committed."""
    db.session.execute(update(Client).where(Client.id == client.id)
                       .values(version=Client.version)
                       .execution_options(synchronize_session=False))
    closed = db.session.scalar(select(Client.closed_at).where(Client.id == client.id))
    assigned = db.session.scalar(select(Assignment.id).where(
        Assignment.client_id == client.id, Assignment.user_id == author.id))
    # The author's row too (PostgreSQL: FOR SHARE; SQLite: the write lock taken above): a
    # deactivation waits until this capture is committed, or this sees it committed.
    active = db.session.scalar(select(User.active).where(User.id == author.id)
                               .with_for_update(read=True))
    if closed is not None:
        raise CaseUnavailable(_("The case of %(code)s was closed, so this capture was not "
                                "saved. Ask your lead if it should be reopened.", code=client.code))
    if not active:
        raise CaseUnavailable(_("Your account was deactivated a moment ago, so this capture was "
                                "not saved. Ask your lead."))
    if assigned is None:
        raise CaseUnavailable(refusal(client.id, author) or _(
            "%(code)s is no longer yours, so this capture was not saved. Ask your lead.",
            code=client.code))


class CaseClosed(Conflict):
    """Progress (milestones, ratings, reviews) of a closed case stays as it was: a clear 409."""

    show_to_user = True


def open_for_phase(client: Client) -> None:
    """A closed case keeps the phase it closed in (a suggestion cannot move it either)."""
    if client.closed_at is not None:
        raise CaseClosed(_("The case of %(code)s is closed, so its phase cannot change. "
                           "Reopen it to change it.", code=client.code))


def open_for_progress(client: Client) -> None:
    """A closed case is read-only for progress, as it is for capture."""
    if client.closed_at is not None:
        raise CaseClosed(_("The case of %(code)s is closed, so its milestones, ratings and "
                           "reviews cannot be changed. Reopen it to change them.",
                           code=client.code))


def open_case(client: Client) -> Client:
    """The client, if its case is open: a closed case takes no new captures."""
    if client.closed_at is not None:
        raise CaseUnavailable(_("The case of %(code)s is closed, so it takes no new captures.",
                                code=client.code))
    return client


def refusal(client_id: int, user: User) -> str | None:
    """Why a worker who once had this client no longer sees it, or None if they never had."""
    handover = db.session.scalars(
        select(Handover).where(Handover.client_id == client_id,
                               Handover.from_user_id == user.id)
        .order_by(Handover.id.desc()).limit(1)).first()
    if handover is None:
        return None
    return _("This client was handed over to another worker on %(on)s, so it is no longer "
             "yours to see and nothing more can be saved for it. Ask your lead.",
             on=when(handover.created_at, "moment"))


def close_label(reason: str | None) -> str:
    return vocabulary.label(CLOSE_LABELS, reason) if reason else ""
