"""Who may use which view, and which records a user may see. Deny by default."""

from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import Select, bindparam, false, select
from sqlalchemy.orm import selectinload

from companion import audit
from companion.extensions import db, login_manager
from companion.models import (
    Assignment,
    Capture,
    Client,
    Meeting,
    MeetingWorker,
    Milestone,
    Pair,
    Team,
    User,
)

if TYPE_CHECKING:
    from companion.debriefs.shared import SharedMeeting

PUBLIC = frozenset({"public"})
ANY_ROLE = frozenset({"worker", "lead", "admin"})


def allow(*roles: str) -> Callable:
    """Declare the roles that may use a view; a view that declares nothing is refused."""
    unknown = set(roles) - ANY_ROLE
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def mark(view: Callable) -> Callable:
        view.allowed_roles = frozenset(roles)
        return view

    return mark


def public(view: Callable) -> Callable:
    view.allowed_roles = PUBLIC
    return view


def declared_roles(app: Flask, endpoint: str) -> frozenset | None:
    if endpoint == "static":
        return PUBLIC
    return getattr(app.view_functions.get(endpoint), "allowed_roles", None)


def check_request():
    """Run before every request: anonymous users go to login, wrong roles get 403."""
    if request.endpoint is None:
        return None
    roles = declared_roles(current_app, request.endpoint)
    if roles is None:
        abort(403)
    if roles is PUBLIC:
        return None
    if not current_user.is_authenticated:
        if request.headers.get("HX-Request"):  # the whole page goes to sign-in, not a fragment
            return "", 401, {"HX-Redirect": url_for("auth.login")}
        return login_manager.unauthorized()
    if current_user.role not in roles:
        audit.record("access.denied", request.endpoint)
        abort(403)
    if not current_user.is_confirmed and request.endpoint not in UNCONFIRMED_MAY_USE:
        return _to_waiting_page()
    return None


# An account no one has confirmed yet reaches only its own account and the waiting page.
UNCONFIRMED_MAY_USE = frozenset({
    "home.healthz", "auth.logout", "auth.unlock", "auth.lock_check", "auth.second_factor",
    "account.index", "account.password", "account.pin", "account.two_factor",
    "members.waiting",
})


def _to_waiting_page():
    url = url_for("members.waiting")
    if request.headers.get("HX-Request"):
        return "", 401, {"HX-Redirect": url}
    return redirect(url, 303)


# A worker's clients: the ones assigned to them (built once; `viewer_id` is the worker).
ASSIGNED_TO_VIEWER = select(Assignment.client_id).where(
    Assignment.user_id == bindparam("viewer_id"))


def visible_clients(user) -> Select:
    """The clients `user` may see: workers their assigned ones, leads their team's, admins and
    accounts not yet confirmed none."""
    query = select(Client)
    if not user.is_confirmed:
        return query.where(false())
    if user.role == "worker":
        return query.where(Client.id.in_(ASSIGNED_TO_VIEWER.params(viewer_id=user.id)))
    if user.role == "lead":
        return query.where(Client.team_id == user.team_id)
    return query.where(false())


def deny(subject: str) -> NoReturn:
    """Refuse: audit the attempt and answer 404 (not found, or not yours to see)."""
    audit.record("access.denied", subject)
    abort(404)


def load_client(client_id: int, action: str = "client.view") -> Client:
    """The client if the current user may see it, else 404; every read is audited."""
    client = db.session.scalar(visible_clients(current_user).where(Client.id == client_id))
    if client is None:
        _refuse_handed_over(client_id)
        deny(f"client:{client_id}")
    audit.record(action, f"client:{client.id}")
    return client


def _refuse_handed_over(client_id: int) -> None:
    """A worker the client was handed away from is told so (410), not shown a bare 404."""
    from companion.clients.lifecycle import CaseUnavailable, refusal

    reason = refusal(client_id, current_user) if current_user.role == "worker" else None
    if reason:
        audit.record("access.denied", f"client:{client_id} handed-over")
        raise CaseUnavailable(reason)


def load_meeting(meeting_id: int) -> Meeting:
    """The meeting if the current worker took part in it, else 404."""
    found = db.session.get(Meeting, meeting_id)
    if found is None or all(w.user_id != current_user.id for w in found.workers):
        deny(f"meeting:{meeting_id}")
    return found


def load_own_capture(capture_id: int) -> Capture:
    """The capture if the current worker wrote it, else 404."""
    capture = db.session.get(Capture, capture_id)
    if capture is None or capture.author_id != current_user.id:
        deny(f"capture:{capture_id}")
    return capture


def load_shared_meeting(meeting_id: int) -> "SharedMeeting":
    """The shared meeting, or 404: it must be a two-worker meeting of a client the user may
    see, and the viewing worker must be one of the two (blind until their capture is saved)."""
    from companion.debriefs.shared import shared_meeting

    meeting = db.session.scalar(
        select(Meeting).options(selectinload(Meeting.workers).joinedload(MeetingWorker.user))
        .where(Meeting.id == meeting_id)
    )
    if meeting is None:
        deny(f"meeting:{meeting_id}")
    load_client(meeting.client_id, action="debrief.view")
    shared = shared_meeting(meeting, current_user)
    if shared is None:
        deny(f"meeting:{meeting_id}")  # not a pair's meeting, or not theirs
    audit.record("debrief.view", f"meeting:{meeting.id}")
    return shared


def load_pair(pair_id: int) -> Pair:
    """The pair if the current user is one of its workers or leads its team, else 404."""
    pair = db.session.get(Pair, pair_id)
    allowed = pair is not None and (
        current_user.id in (pair.first_id, pair.second_id)
        if current_user.role == "worker"
        else pair.team_id == current_user.team_id
    )
    if not allowed:
        deny(f"pair:{pair_id}")
    audit.record("pair.view", f"pair:{pair.id}")
    return pair


def load_team(team_id: int | None) -> Team:
    """The lead's own team, else 404: no one else gets its reports."""
    if current_user.role != "lead" or team_id is None or current_user.team_id != team_id:
        deny(f"team:{team_id}")
    return db.session.get(Team, team_id)


def load_milestone(client: Client, milestone_id: int) -> Milestone:
    """One of the client's milestones (the client already loaded and audited), else 404."""
    milestone = db.session.scalar(
        select(Milestone).where(Milestone.id == milestone_id, Milestone.client_id == client.id)
    )
    if milestone is None:
        deny(f"milestone:{milestone_id}")
    return milestone


def load_user(user_id: int) -> User:
    """An account for the admin to manage, else 404."""
    user = db.session.get(User, user_id)
    if user is None:
        deny(f"user:{user_id}")
    return user


def load_team_worker(worker_id: int) -> User:
    """A worker of the current lead's own team, else 404; the read is audited."""
    worker = db.session.get(User, worker_id)
    if (worker is None or worker.role != "worker" or current_user.role != "lead"
            or worker.team_id != current_user.team_id):
        deny(f"user:{worker_id}")
    audit.record("worker.view", f"user:{worker.id}")
    return worker


def load_own_passkey(passkey_id: int):
    """One of the current user's own passkeys, else 404 (audited)."""
    passkey = next((key for key in current_user.passkeys if key.id == passkey_id), None)
    if passkey is None:
        deny(f"passkey:{passkey_id}")
    return passkey


def load_own_session(session_id: int):
    """One of the current user's own listed sessions, else 404 (audited)."""
    from companion.models import UserSession

    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != current_user.id:
        deny(f"session:{session_id}")
    return row


def load_for_admin(model, record_id: int):
    """A team, client, assignment or pair for an admin to manage (every team's), else 404."""
    record = db.session.get(model, record_id)
    if record is None:
        deny(f"{model.__tablename__}:{record_id}")
    return record
