"""Argon2id hashing for passwords, PINs and recovery codes, and the password policy."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash

PRODUCTION = PasswordHasher()  # argon2-cffi defaults: argon2id, RFC 9106 low-memory profile
_hasher = PRODUCTION
# Verified against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash with `hasher` from now on (and time unknown names against it). Only the test
    suite calls it, for argon2id at its lowest cost: a third of a second per check on a
    shared CI host otherwise goes to key stretching instead of behaviour."""
    global _hasher, _DUMMY_HASH  # noqa: PLW0603
    _hasher, _DUMMY_HASH = hasher, hasher.hash("not-a-real-password")
# Hashes an older version of the app (or an import) may have left: checked, then upgraded.
_WERKZEUG_PREFIXES = ("pbkdf2:", "scrypt:")

MIN_PASSWORD = 8
MAX_PASSWORD = 128
# Context words a password must not contain (ASVS 6.2.11), besides the username.
CONTEXT_WORDS = ("alliance", "companion")


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    if stored_hash and stored_hash.startswith(_WERKZEUG_PREFIXES):
        _verify_argon2(_DUMMY_HASH, secret)  # keep the time of an argon2 check
        return check_password_hash(stored_hash, secret)
    return _verify_argon2(stored_hash or _DUMMY_HASH, secret) and stored_hash is not None


def _verify_argon2(stored_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(stored_hash, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True for hashes weaker than today's argon2id parameters, or of another scheme."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords, from the list zxcvbn ships (offline)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, username: str = "") -> str | None:
    """Why `password` is not acceptable as a new password, or None. No composition rules."""
    if len(password) < MIN_PASSWORD:
        return _l("A password has at least %(num)d characters.", num=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        return _l("A password has at most %(num)d characters.", num=MAX_PASSWORD)
    lowered = password.lower()
    squashed = "".join(lowered.split())
    if lowered in common_passwords() or squashed in common_passwords():
        return _l("This password is one of the most common ones. Please choose another.")
    words = [w for w in (username.lower(), *CONTEXT_WORDS) if len(w) >= 3]
    if any(word in squashed for word in words):
        return _l("A password must not contain your username or the name of this app.")
    return None
