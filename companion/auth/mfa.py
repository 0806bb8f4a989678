"""The second factor: TOTP codes (each usable once), their QR code, and recovery codes."""

import hmac
import secrets
import time

import pyotp
import segno
from markupsafe import Markup

from companion.keys import keyed_hash
from companion.models import RecoveryCode, User, utcnow
from companion.passwords import hash_secret, verify_secret

ISSUER = "Alliance Companion"
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits from `secrets`


def qr_svg(secret: str, username: str) -> Markup:
    """The enrolment QR code as inline SVG markup (no script, no data: URL)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(scale=5, title="QR code for your authenticator app")
    # segno writes the markup itself and escapes the URI inside it.
    return Markup(svg)  # noqa: S704  # nosec B704


def matching_step(secret: str, code: str, after: int | None, now: float | None = None):
    """The time step (of now, or one either side) whose code is `code` and is newer than
    `after`, the last step used; None when the code is wrong or was used already."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int((now if now is not None else time.time()) // totp.interval)
    for step in (current - 1, current, current + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify_totp(user: User, code: str) -> bool:
    """Accept a code once: its step is remembered, so a replay of it (or an older one) fails."""
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code, user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; the plain codes are returned to be shown once."""
    codes = [
        "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODES)
    ]
    user.recovery_codes = [
        RecoveryCode(code_hash=hash_secret(code), lookup=_lookup(code)) for code in codes
    ]
    return codes


def _lookup(code: str) -> str:
    # 32 bits: enough that a guess meets one stored hash, too few to say which code it was.
    return keyed_hash("recovery-code", code, 8)


def use_recovery_code(user: User, code: str) -> bool:
    """Accept an unused recovery code once. A guess costs one argon2 check: only the code whose
    keyed lookup matches is verified (codes from before the lookup existed are all tried)."""
    code = "".join(code.lower().split())
    if len(code) != 11:
        return False
    lookup = _lookup(code)
    candidates = [stored for stored in user.recovery_codes
                  if stored.used_at is None and stored.lookup in (lookup, None)]
    if not candidates:
        verify_secret(None, code)  # the same time as a near miss
    for stored in candidates:
        if verify_secret(stored.code_hash, code):
            stored.used_at = utcnow()
            return True
    return False


def looks_like_totp(code: str) -> bool:
    code = "".join(code.split())
    return code.isdigit() and len(code) == 6
