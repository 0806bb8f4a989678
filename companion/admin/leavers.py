"""Leavers: an admin deactivates an account and can reactivate it.

A deactivated account cannot sign in and every session it has ends at once. Nothing it
recorded is removed: captures stay attributed to it, its assignments stay (so the lead sees
those clients as needing a worker until they hand them over), and the pairs it was in end with
their shared history kept.
"""

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from companion import audit
from companion.admin.operations import AdminError
from companion.extensions import db
from companion.models import Assignment, Pair, User, utcnow


def deactivate(user: User, by: User) -> int:
    """Deactivate `user`; the number of pairs ended. Doing it twice changes nothing more."""
    if user.id == by.id:
        raise AdminError(_("You cannot deactivate your own account."))
    done = db.session.execute(update(User).where(User.id == user.id, User.active.is_(True))
                              .values(active=False).execution_options(synchronize_session=False))
    db.session.refresh(user)
    if done.rowcount != 1:
        return 0  # deactivated already (a second tap, or another admin a moment ago)
    user.end_all_sessions()
    ended = db.session.execute(
        update(Pair).where(or_(Pair.first_id == user.id, Pair.second_id == user.id),
                           Pair.ended_at.is_(None))
        .values(ended_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    clients = len(db.session.scalars(
        select(Assignment.client_id).where(Assignment.user_id == user.id)).all())
    audit.record("user.deactivated", f"user:{user.id} pairs_ended:{ended} clients:{clients}")
    return ended


def reactivate(user: User) -> None:
    """They can sign in again; their clients are theirs again unless handed over meanwhile.
    Pairs stay ended until an admin pairs them again."""
    if not user.active:  # a second tap changes nothing more
        user.active = True
        audit.record("user.reactivated", f"user:{user.id}")


def consequences(user: User) -> dict:
    """What deactivating `user` will do, for the confirmation page."""
    clients = db.session.scalars(
        select(Assignment).where(Assignment.user_id == user.id)).all()
    pairs = db.session.scalars(
        select(Pair).where(or_(Pair.first_id == user.id, Pair.second_id == user.id),
                           Pair.ended_at.is_(None))).all()
    return {"clients": [a.client for a in clients], "pairs": [p.partner_of(user) for p in pairs]}
