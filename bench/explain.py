"""The query plan of every statement behind the pages a worker opens most, with 10,000 captures.

Run from the repository root:
    .venv/bin/python bench/explain.py [--postgres postgresql+psycopg://postgres@127.0.0.1/postgres]
Seeds the demo into a scratch database, adds 10,000 meetings of one client (captured like
tests/test_constant_cost.py), records the statements each page runs as worker1, and prints
`EXPLAIN QUERY PLAN` (SQLite) or `EXPLAIN ANALYZE` (PostgreSQL) for the slowest ones.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from companion import create_app, demo  # noqa: E402
from companion.extensions import db  # noqa: E402
from companion.models import Client, User  # noqa: E402
from tests.test_constant_cost import _grow  # noqa: E402

PASSWORD = "bench password 1"  # noqa: S105 - a scratch database that is deleted


class World:
    """The two names `_grow` needs, for the demo's worker1, worker2 and K-101."""

    def __init__(self):
        names = {u.username: u.id for u in db.session.scalars(select(User))}
        self.users = {"w1": names["worker1"], "w2": names["worker2"]}
        self.clients = {"shared": db.session.scalar(
            select(Client.id).where(Client.code == "K-101"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres")
    parser.add_argument("--slowest", type=int, default=6)
    args = parser.parse_args()
    os.environ["COMPANION_DEMO_PASSWORD"] = PASSWORD
    with tempfile.TemporaryDirectory() as folder:
        if args.postgres:
            from tests.conftest import scratch_postgres_database

            with scratch_postgres_database() as url:
                explain(url, Path(folder), args.slowest)
        else:
            explain(f"sqlite:///{Path(folder) / 'explain.sqlite'}", Path(folder), args.slowest)


def explain(url: str, folder: Path, slowest: int) -> None:
    app = create_app({"ENV": {"COMPANION_DEMO": "1"}, "DEMO_PASSWORD": PASSWORD,
                      "WTF_CSRF_ENABLED": False, "SQLALCHEMY_DATABASE_URI": url},
                     instance_path=str(folder / "instance"))
    with app.app_context():
        db.create_all()
        demo.seed()
        db.session.commit()
        world = World()
        _grow(world, 0, 10_000)
        if url.startswith("postgresql"):
            with db.engine.connect() as connection:
                connection.execute(text("ANALYZE"))
                connection.commit()
        engine = db.engine
    client = app.test_client()
    client.post("/login", data={"username": "worker1", "password": PASSWORD})
    shared = world.clients["shared"]
    seen = []

    def before(_conn, _cursor, statement, parameters, context, _many):
        context._started = time.perf_counter()

    def after(_conn, _cursor, statement, parameters, context, _many):
        seen.append(((time.perf_counter() - context._started) * 1000, statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    for path in ("/", f"/clients/{shared}", f"/clients/{shared}/capture"):
        for _ in range(3):
            client.get(path)
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    best = {}
    for ms, statement, parameters in seen:
        if statement.lstrip().upper().startswith("SELECT") and ms < best.get(statement, (1e9,))[0]:
            best[statement] = (ms, parameters)
    prefix = "EXPLAIN QUERY PLAN " if url.startswith("sqlite") else "EXPLAIN (ANALYZE, COSTS OFF) "
    with engine.connect() as connection:
        for statement, (ms, parameters) in sorted(best.items(), key=lambda i: -i[1][0])[:slowest]:
            print(f"\n-- {ms:.2f} ms (fastest of 3)\n{' '.join(statement.split())[:400]}")
            rows = connection.exec_driver_sql(prefix + statement, parameters).all()
            for row in rows:
                print("   ", row[-1])


if __name__ == "__main__":
    main()
