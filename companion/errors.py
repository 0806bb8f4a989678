"""Generic error pages with a correlation id; never a traceback, path or version."""

from flask import Flask, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from companion.extensions import db

MESSAGES = {
    400: "The request could not be understood. Please go back and try again.",
    403: "You do not have access to this page.",
    404: "Not found, or not yours to see.",
    405: "That action is not available here.",
    410: "This is no longer available to you.",
    413: "That was too much data for one request.",
    429: "Too many attempts. Please wait a moment and try again.",
    500: "Something went wrong on our side. Nothing you entered was saved twice.",
    503: "The service is not available right now. Please try again shortly.",
}
# Never written back into a page: the user types these again.
SECRET_FIELDS = frozenset({"csrf_token", "password", "new_password", "confirm", "pin", "code"})
FORM_EXPIRED = "Your form had expired, please press save again."


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _page(status: int, message: str | None = None):
    text = message or MESSAGES.get(status, MESSAGES[400])
    request_id = g.get("request_id")
    if status == 410 and request.headers.get("HX-Request"):  # an open page's fragment or queue
        return render_template("_error.html", status=status, message=text,
                               request_id=request_id), status, {"HX-Retarget": "#main",
                                                                "HX-Reswap": "innerHTML"}
    return render_template("error.html", status=status, message=text, request_id=request_id), status


def _http_error(error: HTTPException):
    if error.code and error.code < 400:
        return error
    description = error.description if getattr(error, "show_to_user", False) else None
    return _page(error.code or 500, description)


def _unexpected_error(error: Exception):
    db.session.rollback()
    current_app.logger.exception("unhandled error, request id %s", g.get("request_id"))
    return _page(500)


def _csrf_error(error: CSRFError):
    """An expired or stale token: give the same form back with a fresh token, nothing lost."""
    fields = [(name, value) for name, value in request.form.items(multi=True)
              if name not in SECRET_FIELDS]
    if any(name in SECRET_FIELDS - {"csrf_token"} for name in request.form):
        fields = None  # a sign-in or account form: shown again empty, to be typed again
    template = "_form_expired.html" if request.headers.get("HX-Request") else "form_expired.html"
    headers = {"HX-Retarget": "#main", "HX-Reswap": "innerHTML"}
    return render_template(template, fields=fields, action=request.full_path.rstrip("?"),
                           message=_(FORM_EXPIRED)), 400, headers
