"""Unlock with a passkey on a phone: Chromium's virtual platform authenticator (CDP WebAuthn)
stands in for the phone's fingerprint reader. A worker adds a passkey under Account, the idle
lock lifts with one tap, a forged credential and another worker's credential are refused and
counted like wrong PINs, the PIN still works, and a passkey never signs anyone in.

WebAuthn needs a host name (an IP address is no relying party id), so these pages are opened
on `localhost` rather than 127.0.0.1."""

import base64
import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from companion.extensions import db
from companion.models import AuditEntry, Passkey, User
from tests.support.browser import PHONE, sign_in

AUTHENTICATOR = {  # a phone's built-in authenticator that verifies its user (fingerprint)
    "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
    "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True,
}


@pytest.fixture
def phone(browser, live_url):
    """A phone-sized browser on localhost with a virtual platform authenticator."""
    contexts = []

    def open_phone():
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                      base_url=live_url.replace("127.0.0.1", "localhost"))
        contexts.append(context)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        found = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
        return page, cdp, found["authenticatorId"]

    yield open_phone
    for context in contexts:
        context.close()


def _go_idle(page, live_app):
    """Move the session's last activity back past the idle limit, then come back to a page."""
    context = page.context
    serializer = live_app.session_interface.get_signing_serializer(live_app)
    name = live_app.config["SESSION_COOKIE_NAME"]
    [cookie] = [c for c in context.cookies() if c["name"] == name]
    data = serializer.loads(cookie["value"])
    data["seen"] -= live_app.config["IDLE_LOCK_MINUTES"] * 60 + 1
    context.add_cookies([{**cookie, "value": serializer.dumps(data)}])
    page.goto("/account/")
    page.wait_for_url("**/unlock")


def _add_passkey(page):
    page.goto("/account/")
    page.get_by_role("link", name="Passkeys").click()
    page.get_by_role("button", name="Add a passkey on this phone").click()
    page.get_by_text("Passkey added.").wait_for()


def _passkeys_of(live_app, username):
    with live_app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return db.session.scalars(select(Passkey).where(Passkey.user_id == user.id)).all()


def _unlock_with_passkey(page):
    page.get_by_role("button", name="Unlock with passkey").click()


def _status(page):
    status = page.locator("[data-passkey-status]")
    status.wait_for(state="visible")
    return status.inner_text()


def _forged_key() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return base64.b64encode(der).decode()


def _credential(cdp, authenticator):
    [credential] = cdp.send("WebAuthn.getCredentials",
                            {"authenticatorId": authenticator})["credentials"]
    return credential


def _unlock_actions(live_app):
    with live_app.app_context():
        return db.session.scalars(select(AuditEntry.subject).where(
            AuditEntry.action.in_(["session.unlocked", "session.unlock_failed"]))
            .order_by(AuditEntry.id)).all()


def test_a_passkey_unlocks_a_locked_session_in_one_tap_and_only_the_owners(phone, live_app):
    page, cdp, authenticator = phone()
    sign_in(page, "worker1")
    _add_passkey(page)
    assert Axe().run(page).violations_count == 0
    [stored] = _passkeys_of(live_app, "worker1")
    assert page.get_by_role("button", name="Remove").count() == 1

    _go_idle(page, live_app)
    assert Axe().run(page).violations_count == 0
    _unlock_with_passkey(page)  # the one tap; the virtual authenticator verifies the user
    page.wait_for_url("**/account/")
    assert _unlock_actions(live_app)[-1].endswith(" passkey")

    # A forged credential: the same credential id, another private key.
    own = _credential(cdp, authenticator)
    cdp.send("WebAuthn.removeCredential",
             {"authenticatorId": authenticator, "credentialId": own["credentialId"]})
    cdp.send("WebAuthn.addCredential", {"authenticatorId": authenticator, "credential": {
        **{k: own[k] for k in ("credentialId", "isResidentCredential", "rpId", "userHandle")},
        "privateKey": _forged_key(), "signCount": own["signCount"] + 1}})
    _go_idle(page, live_app)
    _unlock_with_passkey(page)
    assert "did not unlock this session. 4 tries left." in _status(page)
    assert page.url.endswith("/unlock")

    # Another worker's real passkey, offered by a tampered page for worker1's session.
    other_page, other_cdp, other_authenticator = phone()
    sign_in(other_page, "worker2")
    _add_passkey(other_page)
    theirs = _credential(other_cdp, other_authenticator)
    cdp.send("WebAuthn.addCredential", {"authenticatorId": authenticator, "credential": theirs})

    def offer_theirs(route):
        options = json.loads(route.fetch().text())
        credential_id = base64.urlsafe_b64encode(base64.b64decode(theirs["credentialId"]))
        options["allowCredentials"] = [{"type": "public-key",
                                        "id": credential_id.decode().rstrip("=")}]
        route.fulfill(json=options)

    page.route("**/unlock/passkey/options", offer_theirs)
    _unlock_with_passkey(page)
    assert "did not unlock this session. 3 tries left." in _status(page)
    page.unroute("**/unlock/passkey/options")
    assert _passkeys_of(live_app, "worker1")[0].sign_count == stored.sign_count + 1

    # The PIN is still the fallback.
    page.get_by_label("Your 6-digit PIN").fill(live_app.config["DEMO_PIN"])
    page.get_by_role("button", name="Unlock", exact=True).click()
    page.wait_for_url("**/account/")
    assert _unlock_actions(live_app)[-3:] == [
        f"user:{stored.user_id} passkey", f"user:{stored.user_id} passkey",
        f"user:{stored.user_id} pin"]


def test_a_passkey_never_signs_anyone_in(phone, live_app):
    page, _cdp, _authenticator = phone()
    sign_in(page, "worker3")
    _add_passkey(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    landed = page.evaluate("""() => fetch("/unlock/passkey", {
        method: "POST", body: "{}", headers: {"X-CSRFToken":
            document.querySelector("input[name=csrf_token]").value}
    }).then((response) => new URL(response.url).pathname)""")
    assert landed == "/login"  # sent to sign in, not signed in
    page.goto("/unlock")
    page.wait_for_url("**/login*")
    assert page.get_by_role("button", name="Unlock with passkey").count() == 0
