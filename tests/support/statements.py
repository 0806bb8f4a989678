"""Counting the SQL statements a request runs (queries per page must not grow with data)."""

from flask import g
from sqlalchemy import event

from companion.extensions import db


def statements(app, call, ok=(200, 303)) -> int:
    """How many statements `call()` (one request through the test client) sends to the database."""
    sent = []

    def count(*_args):
        sent.append(1)

    with app.app_context():
        engine = db.engine
    g.pop("_login_user", None)  # pytest-flask keeps one app context (g, session) across requests
    db.session.remove()
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code in ok, response.status_code
    return len(sent)


def statements_for_home(app, client):
    return statements(app, lambda: client.get("/"), ok=(200,))


def statements_for(app, client, url: str, status: int = 200) -> int:
    """How many SQL statements one GET of `url` runs."""
    return statements(app, lambda: client.get(url), ok=(status,))
