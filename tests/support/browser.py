"""Browser tests: Debian's Chromium, a phone-sized window, the demo password, signing in."""

import shutil
import time

from sqlalchemy import select

from companion.extensions import db
from companion.models import User

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "demo password 1"


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def sign_in_by_session(context, live_app, live_url, username: str) -> None:
    with live_app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        now = int(time.time())
        data = {"_user_id": user.get_id(), "_fresh": True, "_permanent": True,
                "login_at": now, "seen": now}
        with live_app.test_request_context():
            value = live_app.session_interface.get_signing_serializer(live_app).dumps(data)
    context.add_cookies([{"name": live_app.config["SESSION_COOKIE_NAME"], "value": value,
                          "url": live_url}])
