"""Generic error pages with a correlation id; never a traceback, path or version."""

from flask import Flask, current_app, g, render_template
from werkzeug.exceptions import HTTPException

from companion.extensions import db

MESSAGES = {
    400: "The request could not be understood. Please go back and try again.",
    403: "You do not have access to this page.",
    404: "Not found, or not yours to see.",
    405: "That action is not available here.",
    413: "That was too much data for one request.",
    429: "Too many attempts. Please wait a moment and try again.",
    500: "Something went wrong on our side. Nothing you entered was saved twice.",
    503: "The service is not available right now. Please try again shortly.",
}


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _page(status: int, message: str | None = None):
    text = message or MESSAGES.get(status, MESSAGES[400])
    request_id = g.get("request_id")
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
