"""Who may use which view, and which records a user may see. Deny by default."""

from collections.abc import Callable

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import Select, false, select

from companion import audit
from companion.extensions import db, login_manager
from companion.models import Assignment, Client

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
        db.session.commit()
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


def visible_clients(user) -> Select:
    """The clients `user` may see: workers their assigned ones, leads their team's, admins and
    accounts not yet confirmed none."""
    query = select(Client)
    if not user.is_confirmed:
        return query.where(false())
    if user.role == "worker":
        assigned = select(Assignment.client_id).where(Assignment.user_id == user.id)
        return query.where(Client.id.in_(assigned))
    if user.role == "lead":
        return query.where(Client.team_id == user.team_id)
    return query.where(false())


def load_client(client_id: int, action: str = "client.view") -> Client:
    """The client if the current user may see it, else 404; every read is audited."""
    client = db.session.scalar(visible_clients(current_user).where(Client.id == client_id))
    if client is None:
        audit.record("access.denied", f"client:{client_id}")
        db.session.commit()
        abort(404)
    audit.record(action, f"client:{client.id}")
    return client
