"""Passkeys (WebAuthn, via the `webauthn` package): enrolled under Account on the worker's own
phone, they unlock an idle-locked session in one tap. They never sign anyone in: the full
sign-in with password and second factor stays the only way to start a session.

Each ceremony's challenge is kept in the signed session and used once; the platform
authenticator must verify the user (fingerprint, face or the phone's own PIN)."""

import json

from flask import current_app, request, session
from sqlalchemy import select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorAttachment,
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from companion.extensions import db
from companion.models import Passkey, User, utcnow

RP_NAME = "Alliance Companion"
_CHALLENGE = "passkey_challenge"


def relying_party() -> tuple[str, str]:
    """The relying party id (this site's host name, or `COMPANION_PASSKEY_RP_ID`) and the
    origin a browser reports for it."""
    origin = request.host_url.rstrip("/")
    return current_app.config.get("PASSKEY_RP_ID") or request.host.split(":")[0], origin


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=key.credential_id) for key in user.passkeys]


def _remember(purpose: str, challenge: bytes) -> None:
    session[_CHALLENGE] = {"for": purpose, "challenge": bytes_to_base64url(challenge)}


def _take_challenge(purpose: str) -> bytes | None:
    stored = session.pop(_CHALLENGE, None) or {}
    if stored.get("for") != purpose:
        return None
    return base64url_to_bytes(stored["challenge"])


def registration_options(user: User) -> str:
    """The options for `navigator.credentials.create()`, as JSON."""
    rp_id, _origin = relying_party()
    options = generate_registration_options(
        rp_id=rp_id, rp_name=RP_NAME, user_name=user.username,
        user_id=f"companion-user-{user.id}".encode(),
        authenticator_selection=AuthenticatorSelectionCriteria(
            authenticator_attachment=AuthenticatorAttachment.PLATFORM,
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=_descriptors(user),
    )
    _remember(f"register:{user.id}", options.challenge)
    return options_to_json(options)


def register(user: User, credential: str) -> Passkey | None:
    """Store the new credential if the browser's answer checks out; None otherwise."""
    challenge = _take_challenge(f"register:{user.id}")
    rp_id, origin = relying_party()
    if challenge is None:
        return None
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError, TypeError):
        return None
    if db.session.scalar(select(Passkey.id).where(
            Passkey.credential_id == verified.credential_id)) is not None:
        return None
    passkey = Passkey(credential_id=verified.credential_id, sign_count=verified.sign_count,
                      public_key=verified.credential_public_key)
    user.passkeys.append(passkey)
    return passkey


def unlock_options(user: User) -> str:
    """The options for `navigator.credentials.get()`: only this user's passkeys."""
    rp_id, _origin = relying_party()
    options = generate_authentication_options(
        rp_id=rp_id, allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.REQUIRED)
    _remember(f"unlock:{user.id}", options.challenge)
    return options_to_json(options)


def _credential_id(credential: str) -> bytes | None:
    try:
        return base64url_to_bytes(json.loads(credential)["rawId"])
    except (ValueError, KeyError, TypeError):
        return None


def verify_unlock(user: User, credential: str) -> bool:
    """True when `credential` is a fresh, user-verified assertion by one of `user`'s own
    passkeys; another user's passkey, a forged signature or a replay is refused."""
    challenge = _take_challenge(f"unlock:{user.id}")
    credential_id = _credential_id(credential)
    passkey = db.session.scalar(select(Passkey).where(
        Passkey.user_id == user.id, Passkey.credential_id == credential_id))
    if challenge is None or passkey is None:
        return False
    rp_id, origin = relying_party()
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin, credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError, TypeError):
        return False
    passkey.sign_count, passkey.last_used_at = verified.new_sign_count, utcnow()
    return True
