"""Generic error pages with a correlation id; never a traceback, path or version."""

import hmac

from flask import Flask, current_app, g, render_template, request, session
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.exceptions import HTTPException

from companion.extensions import csrf, db

MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    403: _l("You do not have access to this page."),
    404: _l("Not found, or not yours to see."),
    405: _l("That action is not available here."),
    410: _l("This is no longer available to you."),
    413: _l("That was too much data for one request."),
    429: _l("Too many attempts. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. Nothing you entered was saved twice."),
    503: _l("The service is not available right now. Please try again shortly."),
}
# Never written back into a page: the user types these again.
SECRET_FIELDS = frozenset({"csrf_token", "password", "new_password", "confirm", "pin", "code"})
FORM_EXPIRED = _l("Your form had expired, please press save again.")
FORM_REFUSED = _l("This form could not be sent. Please open it again from the app.")


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


def _own_expired_token(error: CSRFError) -> bool:
    """True when the request carried a token this session issued that merely timed out."""
    raw = session.get(current_app.config["WTF_CSRF_FIELD_NAME"])
    token = csrf._get_csrf_token()
    if error.description != "The CSRF token has expired." or not raw or not token:
        return False
    serializer = URLSafeTimedSerializer(
        current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key,
        salt="wtf-csrf-token")
    try:
        return hmac.compare_digest(serializer.loads(token), raw)
    except BadData:
        return False


def _csrf_error(error: CSRFError):
    """A form of this session whose token expired comes back with a fresh token, nothing lost.
    Any other refused token gets no form and no token (that would launder a forged POST), and
    a request without a session gets no session (a cross-site POST must not replace a cookie)."""
    fields, message = None, str(FORM_REFUSED)
    if _own_expired_token(error):
        message = str(FORM_EXPIRED)
        fields = [(name, value) for name, value in request.form.items(multi=True)
                  if name not in SECRET_FIELDS]
        if any(name in SECRET_FIELDS - {"csrf_token"} for name in request.form):
            fields = []  # a sign-in or account form: shown again empty, to be typed again
    template = "_form_expired.html" if request.headers.get("HX-Request") else "form_expired.html"
    headers = {"HX-Retarget": "#main", "HX-Reswap": "innerHTML"}
    page = render_template(template, fields=fields, action=request.full_path.rstrip("?"),
                           back=_page_of_form(), message=message, no_token=not session)
    return page, 400, headers


def _page_of_form() -> str | None:
    """The form's own page, when its address also answers a GET (a link carries no token)."""
    try:
        current_app.url_map.bind_to_environ(request.environ).match(request.path, method="GET")
    except HTTPException:
        return None
    return request.full_path.rstrip("?")
