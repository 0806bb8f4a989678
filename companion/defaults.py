"""Defaults that the environment and test config may override."""

from datetime import timedelta

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
# The 12-hour limit is checked on the server; an unchanged session is not signed and sent again.
SESSION_REFRESH_EACH_REQUEST = False
REMEMBER_COOKIE_DURATION = timedelta(0)
MAX_CONTENT_LENGTH = 64 * 1024
WTF_CSRF_TIME_LIMIT = 12 * 3600
WTF_CSRF_SSL_STRICT = False
BABEL_DEFAULT_LOCALE = "en"
