"""Page weight, SQL statements and server time for the pages a worker opens most.

Run from the repository root:  .venv/bin/python bench/pages.py
It seeds the demo team into a scratch SQLite database, then adds extra captures for one client
(5 and then 500) to show that neither page size nor the number of SQL statements grows with data.
"""

import gzip
import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

from sqlalchemy import event, select

from companion import create_app, demo
from companion.extensions import db
from companion.models import Capture, Client, Meeting, MeetingWorker, User

RUNS = 20
PASSWORD = "bench password 1"  # noqa: S105 - a scratch database that is deleted
EXTRA_CAPTURES = (5, 500)
STATIC = ("htmx-2.0.11.min.js", "app.css", "app.js")


def build_app(folder: Path):
    os.environ["COMPANION_DEMO_PASSWORD"] = PASSWORD
    app = create_app(
        {"ENV": {"COMPANION_DEMO": "1"}, "WTF_CSRF_ENABLED": False,
         "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}"},
        instance_path=str(folder / "instance"),
    )
    with app.app_context():
        db.create_all()
        demo.seed()
        db.session.commit()
    return app


def add_captures(app, count: int) -> int:
    """Add `count` held meetings of K-102, each captured by worker1; return the client id."""
    with app.app_context():
        worker = db.session.scalar(select(User).where(User.username == "worker1"))
        client = db.session.scalar(select(Client).where(Client.code == "K-102"))
        start = date.today() - timedelta(days=count + 400)
        for index in range(count):
            held_on = start + timedelta(days=index)
            meeting = Meeting(client=client, held_on=held_on, starts_at=clock(9),
                              length_minutes=60, attendance="held", created_by_id=worker.id)
            meeting.workers = [MeetingWorker(user_id=worker.id)]
            db.session.add(meeting)
            db.session.add(Capture(meeting=meeting, author_id=worker.id,
                                   idempotency_key=f"bench-{count}-{index}", attendance="held",
                                   held_on=held_on, starts_at=clock(9), length_minutes=60,
                                   marks=["relaxed", "change_talk_up"], rating_goals=4,
                                   rating_tasks=4, rating_bond=4, delay_minutes=30))
        db.session.commit()
        return client.id


def measure(app, client, url: str, headers=None) -> dict:
    statements = []
    with app.app_context():
        engine = db.engine

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    timings = []
    for _ in range(RUNS):
        statements.clear()
        started = time.perf_counter()
        response = client.get(url, headers=headers or {})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    event.remove(engine, "before_cursor_execute", count)
    body = response.get_data()
    return {"bytes": len(body), "gzip": len(gzip.compress(body)), "queries": len(statements),
            "ms": statistics.median(timings)}


def pages(client_id: int) -> list[tuple[str, str, dict | None]]:
    return [
        ("home", "/", None),
        ("client page", f"/clients/{client_id}", None),
        ("card part (htmx)", f"/clients/{client_id}/card/middle", {"HX-Request": "true"}),
        ("capture form", f"/clients/{client_id}/capture", None),
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder))
        static = Path(app.static_folder)
        print("static assets (bytes raw / gzip):")
        for name in STATIC:
            data = (static / name).read_bytes() if (static / name).exists() else b""
            print(f"  {name:<22} {len(data):>7} / {len(gzip.compress(data)):>6}")
        added = 0
        for extra in EXTRA_CAPTURES:
            client_id = add_captures(app, extra - added)
            added = extra
            client = app.test_client()
            client.post("/login", data={"username": "worker1", "password": PASSWORD})
            print(f"\nwith {extra} extra captures of one client ({RUNS} runs each, median):")
            print(f"  {'page':<18} {'bytes':>7} {'gzip':>6} {'queries':>7} {'ms':>7}")
            for name, url, headers in pages(client_id):
                row = measure(app, client, url, headers)
                print(f"  {name:<18} {row['bytes']:>7} {row['gzip']:>6} {row['queries']:>7} "
                      f"{row['ms']:>7.1f}")


if __name__ == "__main__":
    main()
