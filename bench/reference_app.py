"""The two limits bench/load.py compares the app with, served by the same gunicorn settings.

`GET /constant` returns a constant; `POST /insert` commits one row, through the app's own
SQLite settings (WAL, synchronous=FULL, busy timeout, and whatever write ordering
companion.database applies) or PostgreSQL, whichever DATABASE_URL names.
"""

import os

from flask import Flask, request
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert

from companion import database
from companion.config import _database_url

database.configure_engines()
url = _database_url(os.environ, ".")
engine = create_engine(url, **database.engine_options(url))
rows = Table("bench_rows", MetaData(), Column("id", Integer, primary_key=True),
             Column("key", String(32), unique=True))
rows.create(engine, checkfirst=True)
app = Flask(__name__)


@app.get("/constant")
def constant():
    return "ok"


@app.post("/insert")
def insert_one():
    with engine.begin() as connection:
        connection.execute(insert(rows).values(key=request.form["key"]))
    return "ok"


@app.get("/healthz")
def healthz():
    return "ok"
