"""The app's settings: defaults, then the environment; a missing or malformed setting stops
start-up with one line naming it."""

import hashlib
import hmac
import os
import secrets
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TRUTHY = {"1", "true", "yes", "on"}

DEFAULTS = {  # what the environment and a test's config may override
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    # The 12-hour limit is checked on the server; an unchanged session is not signed again.
    "SESSION_REFRESH_EACH_REQUEST": False,
    "REMEMBER_COOKIE_DURATION": timedelta(0),
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "WTF_CSRF_TIME_LIMIT": 12 * 3600,
    "WTF_CSRF_SSL_STRICT": True,  # over HTTPS a POST must name this site as its Referer
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent / "translations"),
}


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message names it."""


def _flag(env, name, default=False):
    value = env.get(name)
    if value is None or value == "":
        return default
    if value.lower() not in TRUTHY | {"0", "false", "no", "off"}:
        raise ConfigError(f"{name} must be 1 or 0, got {value!r}")
    return value.lower() in TRUTHY


def _int(env, name, default, minimum=1):
    value = env.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit() or int(value) < minimum:
        raise ConfigError(f"{name} must be a whole number of at least {minimum}, got {value!r}")
    return int(value)


def _timezone(env):
    name = env.get("COMPANION_TIMEZONE") or "Europe/Amsterdam"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"COMPANION_TIMEZONE is not a known time zone: {name!r}") from None
    return name


def _database_url(env, instance_path):
    url = env.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'companion.sqlite'}"
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith(("sqlite:", "postgresql+psycopg:")):
        raise ConfigError("DATABASE_URL must be a sqlite:/// or postgresql:// URL")
    return url


def _secret_key(env, instance_path, demo):
    key = env.get("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters")
        return key
    if not demo:
        raise ConfigError("SECRET_KEY is required (set COMPANION_DEMO=1 for a local demo)")
    stored = Path(instance_path) / "secret_key"
    if not stored.exists():
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(secrets.token_urlsafe(48))
        stored.chmod(0o600)
    return stored.read_text().strip()


def _data_key(env):
    key = env.get("COMPANION_DATA_KEY") or None
    if key is not None and len(key) < 32:
        raise ConfigError("COMPANION_DATA_KEY must be at least 32 characters")
    return key


def _audit_key(env, secret_key):
    """COMPANION_AUDIT_KEY, else a key derived from SECRET_KEY (set it to rotate SECRET_KEY
    without breaking the audit chain)."""
    key = env.get("COMPANION_AUDIT_KEY")
    if key:
        if len(key) < 32:
            raise ConfigError("COMPANION_AUDIT_KEY must be at least 32 characters")
        return key
    return hmac.new(secret_key.encode(), b"companion audit chain", hashlib.sha256).hexdigest()


def from_env(instance_path, env=None):
    """Build the app's settings from environment variables."""
    env = os.environ if env is None else env
    demo = _flag(env, "COMPANION_DEMO")
    secret_key = _secret_key(env, instance_path, demo)
    return {
        "DEMO_MODE": demo,
        "SECRET_KEY": secret_key,
        "DATA_KEY": _data_key(env),
        "AUDIT_KEY": _audit_key(env, secret_key),
        "SQLALCHEMY_DATABASE_URI": _database_url(env, instance_path),
        "REDIS_URL": env.get("REDIS_URL") or None,
        "REQUIRE_TOTP": _flag(env, "COMPANION_REQUIRE_TOTP", default=not demo),
        "SECURE_COOKIES": _flag(env, "COMPANION_SECURE_COOKIES", default=not demo),
        "PROXY_COUNT": _int(env, "COMPANION_PROXY_COUNT", 0, minimum=0),
        "IDLE_LOCK_MINUTES": _int(env, "COMPANION_IDLE_LOCK_MINUTES", 15),
        "RETENTION_MONTHS": _int(env, "COMPANION_RETENTION_MONTHS", 24),
        "REVIEW_EVERY_MONTHS": _int(env, "COMPANION_REVIEW_EVERY_MONTHS", 3),
        "TIMEZONE": _timezone(env),
        "DEMO_PASSWORD": env.get("COMPANION_DEMO_PASSWORD") or None,
        "DEMO_PIN": env.get("COMPANION_DEMO_PIN") or "123456",
    }
