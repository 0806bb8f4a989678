"""Signing in and out, the second factor, the idle lock and the user's own account."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from companion.extensions import db, login_manager
from companion.models import User

bp = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    from companion.auth import throttle

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # Not "strong": a phone changing networks mid-meeting keeps its session.
    login_manager.session_protection = None
    login_manager.login_message = _l("Please sign in.")
    throttle.init_app(app)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Find the user named by the session, if it is still current and the account active."""
    user_id, _sep, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


from companion.auth import views  # noqa: E402, F401  (routes register on `bp`)
from companion.auth.account import bp as account_bp  # noqa: E402

__all__ = ["account_bp", "bp", "init_app", "load_user"]
