"""Where the server's time goes on the pages a worker opens most (pyinstrument).

Run from the repository root:  .venv/bin/python bench/profile.py [--page home] [--runs N] [--calls]
Seeds the demo into a scratch SQLite database, signs worker1 in through the Flask test client
(CSRF on, as a browser), then requests each page `--runs` times under pyinstrument and prints
the median wall time and CPU time (the CPU time is what the request itself used: on a busy
machine the wall time also counts waiting for a core), and with --tree the call tree.
"""

import argparse
import datetime
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pyinstrument import Profiler

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from companion import create_app, demo  # noqa: E402
from companion.extensions import db  # noqa: E402

PASSWORD = "bench password 1"  # noqa: S105 - a scratch database that is deleted
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FIELD = re.compile(r'<input type="(?:date|time|number|hidden)"[^>]*name="(\w+)" value="([^"]*)"')


def signed_in(folder: Path):
    import os

    os.environ["COMPANION_DEMO_PASSWORD"] = PASSWORD
    app = create_app({"ENV": {"COMPANION_DEMO": "1"}, "DEMO_PASSWORD": PASSWORD,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'profile.sqlite'}"},
                     instance_path=str(folder / "instance"))
    with app.app_context():
        db.create_all()
        demo.seed()
        db.session.commit()
    client = app.test_client()
    token = TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"username": "worker1", "password": PASSWORD,
                                "csrf_token": token})
    return client


def requests(client) -> dict:
    home = client.get("/").get_data(as_text=True)
    client_id = re.search(r'href="/clients/(\d+)"', home).group(1)
    page = client.get(f"/clients/{client_id}/capture").get_data(as_text=True)
    form = dict(FIELD.findall(page)) | {"attendance": "held", "readiness": "relaxed"}
    counter = iter(range(10**6))
    return {
        "home": lambda: client.get("/"),
        "client page": lambda: client.get(f"/clients/{client_id}"),
        "card": lambda: client.get(f"/clients/{client_id}/card/middle",
                                   headers={"HX-Request": "true"}),
        "capture form": lambda: client.get(f"/clients/{client_id}/capture"),
        "capture POST": lambda: client.post(f"/clients/{client_id}/capture",
                                            data=form | another(next(counter))),
    }


def another(number: int) -> dict:
    """A new meeting each time: its own key, and a day and minute of its own (a second meeting
    on a day already captured, marked as such, as the screen asks)."""
    held_on = datetime.date.today() - datetime.timedelta(days=number // 1440)
    return {"idempotency_key": f"profile-key-{number:08d}", "another_meeting": "1",
            "held_on": held_on.isoformat(),
            "starts_at": f"{number % 1440 // 60:02d}:{number % 60:02d}"}


def calls_per_request(call, runs: int = 10) -> float:
    """Python and C function calls per request (cProfile is out of reach: this file's name
    hides the standard library's `profile`, which it imports)."""
    count = 0

    def counting(_frame, event, _arg):
        nonlocal count
        count += event in ("call", "c_call")

    sys.setprofile(counting)
    try:
        for _ in range(runs):
            call()
    finally:
        sys.setprofile(None)
    return count / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", help="profile only this page")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--tree", action="store_true", help="print the call tree")
    parser.add_argument("--calls", action="store_true",
                        help="also count function calls per request (the same on any host, "
                             "unlike the times)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        calls = requests(signed_in(Path(folder)))
        for name, call in calls.items():
            if args.page and name != args.page:
                continue
            for _ in range(20):
                call()
            timings, cpu = [], []
            profiler = Profiler(interval=0.0002)
            if args.tree:
                profiler.start()
            for _ in range(args.runs):
                started, started_cpu = time.perf_counter(), time.thread_time()
                answer = call()
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.thread_time() - started_cpu) * 1000)
                assert answer.status_code in (200, 303), (name, answer.status_code)  # noqa: S101
            print(f"{name:<14} median {statistics.median(timings):6.2f} ms wall, "
                  f"{statistics.median(cpu):6.2f} ms CPU"
                  + (f", {calls_per_request(call):,.0f} calls" if args.calls else ""))
            if args.tree:
                profiler.stop()
                print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
