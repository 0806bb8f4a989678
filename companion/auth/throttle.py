"""Counting failed sign-in and PIN attempts, in Redis when configured, else in memory.

A broken Redis refuses sign-in (503) rather than allowing unlimited tries.
"""

import hashlib

from flask import Flask, current_app, request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

PER_ACCOUNT = parse("5 per 15 minutes")
PER_ADDRESS = parse("20 per 15 minutes")
WRONG_PINS = parse("5 per 12 hours")
# Second-factor failures: their own count, per account and per pending login, never cleared by
# a correct password (which would reset a brute force of the code).
WRONG_CODES = parse("5 per 15 minutes")
WRONG_REAUTH = parse("5 per 15 minutes")
# Failed and throttled sign-ins leave one audit entry per window, not one per attempt.
AUDIT_WINDOW = parse("1 per 15 minutes")


class ThrottleUnavailable(RuntimeError):
    """The shared counter store cannot be reached."""


class Throttle:
    def __init__(self, uri: str):
        redis = uri.startswith("redis")
        options = {"socket_connect_timeout": 2, "socket_timeout": 2} if redis else {}
        self._limiter = MovingWindowRateLimiter(storage_from_string(uri, **options))

    def _call(self, method, *args):
        try:
            return getattr(self._limiter, method)(*args)
        except (RedisError, OSError) as error:
            raise ThrottleUnavailable(str(error)) from None

    def allowed(self, *pairs) -> bool:
        """True when none of the (limit, key) pairs is used up."""
        return all(self._call("test", item, key) for item, key in pairs)

    def fail(self, *pairs) -> None:
        for item, key in pairs:
            self._call("hit", item, key)

    def first_in_window(self, *names: str) -> bool:
        """Count an event under each name; True when it is the first in its window for all."""
        return all([self._call("hit", AUDIT_WINDOW, "audit:" + name) for name in names])

    def remaining(self, item, key) -> int:
        return self._call("get_window_stats", item, key).remaining

    def clear(self, item, key) -> None:
        self._call("clear", item, key)


def init_app(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    app.extensions["throttle"] = Throttle(url or "memory://")


def throttle() -> Throttle:
    return current_app.extensions["throttle"]


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def account_key(username: str) -> tuple:
    return PER_ACCOUNT, "login:account:" + _digest(username.strip().lower())


def address_key() -> tuple:
    return PER_ADDRESS, "login:address:" + _digest(request.remote_addr or "unknown")


def login_keys(username: str) -> tuple:
    return account_key(username), address_key()


def code_keys(user, pending_id: str) -> tuple:
    return (WRONG_CODES, f"mfa:account:{user.id}"), (WRONG_CODES, f"mfa:pending:{pending_id}")


def reauth_key(user) -> tuple:
    return WRONG_REAUTH, f"reauth:{user.id}"


def pin_key(user) -> tuple:
    return WRONG_PINS, f"pin:{user.id}:{user.session_version}"
