"""The signed-in browsers a user has, by a short device label (never an IP address), so they
can see where they are signed in and end any of them."""

import re
from datetime import timedelta

from sqlalchemy import select

from companion import audit
from companion.extensions import db
from companion.models import UserSession, utcnow

LISTED_FOR = timedelta(hours=12)  # a session ends 12 hours after sign-in (auth.sessions)
BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
            ("SamsungBrowser/", "Samsung Internet"), ("Chrome/", "Chrome"),
            ("Chromium/", "Chromium"), ("Safari/", "Safari"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
           ("Windows", "Windows"), ("Mac OS X", "Mac"), ("CrOS", "ChromeOS"),
           ("Linux", "Linux"))


def device_label(user_agent: str) -> str:
    """'Firefox on Android': enough to recognise one's own phone, nothing more is kept."""
    agent = re.sub(r"[^\x20-\x7e]", "", user_agent or "")[:512]
    browser = next((name for token, name in BROWSERS if token in agent), "")
    system = next((name for token, name in SYSTEMS if token in agent), "")
    if browser and system:
        return f"{browser} / {system}"
    return browser or system or ""


def open_sessions(user) -> list[UserSession]:
    """The user's sessions not ended and not past their 12 hours, most recently seen first."""
    return list(db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id,
                                  UserSession.ended_at.is_(None),
                                  UserSession.created_at > utcnow() - LISTED_FOR)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())))


def end_session(row: UserSession) -> None:
    """That browser is signed out on its next request (auth.sessions.check)."""
    if row.ended_at is None:
        row.ended_at = utcnow()
        audit.record("session.ended", f"user:{row.user_id} session:{row.id}")
