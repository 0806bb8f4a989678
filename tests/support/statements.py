"""Counting the SQL statements a page runs (queries per page must not grow with data)."""

from flask import g
from sqlalchemy import event

from companion.extensions import db


def statements_for_home(app, client):
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    g.pop("_login_user", None)  # pytest-flask keeps one app context (g, session) across requests
    db.session.remove()
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get("/")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


def statements_for(app, client, url: str, status: int = 200) -> int:
    """How many SQL statements one GET of `url` runs."""
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    g.pop("_login_user", None)
    db.session.remove()
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == status
    return len(statements)
