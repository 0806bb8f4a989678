"""Request ids, the client address behind trusted proxies, and the security headers (the
hooks are registered in order by `register_request_hooks`)."""

import secrets

from flask import Flask, abort, g, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from companion import access

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
}


def init_app(app: Flask) -> None:
    proxies = app.config["PROXY_COUNT"]
    if proxies:  # only then is X-Forwarded-For trusted, and only that many hops of it
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def assign_request_id() -> None:
    g.request_id = secrets.token_hex(8)
    # The user is looked up afresh for every request, even where a test shares one app context.
    g.pop("_login_user", None)
    g.pop("_flask_babel", None)  # and so is the language
    g.pop("_translations", None)


# NUL and other C0 control characters (tab, newline and carriage return aside) have no place
# in anything a person types; PostgreSQL refuses NUL outright.
_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def refuse_control_characters():
    lists = [*request.args.listvalues()]
    if request.method != "GET":
        lists += request.form.listvalues()
    values = [value for values in lists for value in values]
    if any(value != value.translate(_CONTROL) for value in values):
        abort(400)


def refuse_file_parts():
    """No form here takes a file: a multipart file part is refused before a form reads it."""
    if request.files:
        abort(400)


# Ids are INTEGER columns: PostgreSQL's ends at 2^31 - 1 (SQLite's at 2^63 - 1).
MAX_ID = 2**31 - 1


def refuse_out_of_range_ids():
    """An id no row can have is refused like any unknown id (audited, 404), before it reaches
    the database, where it would raise. Runs after the access check."""
    ids = [v for v in (request.view_args or {}).values() if isinstance(v, int)]
    if any(value > MAX_ID for value in ids):
        access.deny(f"{request.endpoint}:{max(ids)}"[:128])


def add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static" or current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    response.headers["X-Request-Id"] = g.get("request_id", "")
    response.headers.pop("Server", None)
    response.vary.add("HX-Request")
    return response
