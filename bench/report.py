"""Benchmark the monthly PDF for synthetic teams of 5, 25 and 100 workers.

    .venv/bin/python bench/report.py                    # SQLite, all sizes
    .venv/bin/python bench/report.py --postgres postgresql+psycopg://postgres@127.0.0.1/postgres
                                    # also on PostgreSQL, in a scratch database made and dropped

Each size runs in its own process (clean peak memory) against a scratch database: every worker
has four clients met weekly (about 4 meetings per worker-week) over the six months the report's
trend covers, pairs share one client each, every attended meeting is captured with markers and
ratings; phase changes, milestones and five-dimension ratings as in a real month. Prints seconds
to load and render, peak memory and the time per meeting (of the report's month) relative to
the smallest team, and the seconds for the funders' one-page PDF.
"""

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock

from pypdf import PdfReader

SIZES = (5, 25, 100)
MONTH = date(2026, 10, 1)
FIRST = date(2026, 5, 1)  # the trend's first month: meetings from here to the end of MONTH
CLIENTS_PER_WORKER = 4


def build(size: int, seed: int = 1) -> int:
    """A team of `size` workers with a month of data; returns the team id."""
    from companion import content
    from companion.extensions import db
    from companion.models import (
        Assignment,
        Capture,
        Client,
        DimensionRating,
        Meeting,
        MeetingWorker,
        Milestone,
        Pair,
        PhaseChange,
        Team,
        User,
    )

    rng = random.Random(seed)
    vocabulary = content.current().vocabulary
    ids = {category: [m.id for m in getattr(vocabulary, category)]
           for category in ("readiness", "warning", "move", "slip")}
    team = Team(name=f"Bench team {size}")
    db.session.add(team)
    workers = [User(username=f"bench{size}-{n}", password_hash="!",  # noqa: S106 (no login)
                    role="worker", team=team) for n in range(size)]
    db.session.add_all(workers)
    db.session.flush()
    for first, second in zip(workers[::2], workers[1::2], strict=False):
        db.session.add(Pair(team_id=team.id, first_id=first.id, second_id=second.id))
    for number, worker in enumerate(workers):
        partner = workers[number ^ 1] if number ^ 1 < size else None
        for slot in range(CLIENTS_PER_WORKER):
            shared = slot == 0 and partner is not None and number % 2 == 0
            client = Client(code=f"B-{number:03d}-{slot}", team=team, phase="first_meetings")
            db.session.add(client)
            people = [worker, partner] if shared else [worker]
            for person in people:
                db.session.add(Assignment(client=client, user=person, role="lead_worker"))
            _history(db, client, rng, PhaseChange, Milestone, DimensionRating)
            _meetings(db, client, people, rng, ids, Meeting, MeetingWorker, Capture)
        if number % 10 == 0:
            db.session.flush()
    db.session.commit()
    return team.id


def _history(db, client, rng, PhaseChange, Milestone, DimensionRating):  # noqa: N803
    db.session.add(PhaseChange(client=client, from_phase=None, to_phase="first_meetings",
                               changed_at=datetime(2026, 6, rng.randint(1, 28), 9)))
    if rng.random() < 0.15:
        to_phase = rng.choice(["change_work", "crisis"])
        client.phase = to_phase
        db.session.add(PhaseChange(client=client, from_phase="first_meetings", to_phase=to_phase,
                                   changed_at=datetime(2026, 10, rng.randint(1, 28), 15)))
    db.session.flush()
    if rng.random() < 0.2:
        db.session.add(Milestone(client_id=client.id, title="Started vocational training",
                                 status="reached", reached_on=date(2026, 10, rng.randint(1, 28))))
    for month in ("2026-09", "2026-10"):
        if rng.random() < 0.5:
            scores = [rng.randint(1, 5) for _ in range(5)]
            db.session.add(DimensionRating(
                client_id=client.id, month=month, radicalisation=scores[0],
                extremist_activity=scores[1], crime=scores[2], marginalisation=scores[3],
                mental_health=scores[4]))


def _meetings(db, client, people, rng, ids, Meeting, MeetingWorker, Capture):  # noqa: N803
    day = FIRST + timedelta(days=rng.randint(0, 6))
    while day < date(MONTH.year, MONTH.month + 1, 1):
        attendance = rng.choices(["held", "cut_short", "no_show", "cancelled"],
                                 [80, 8, 7, 5])[0]
        meeting = Meeting(client=client, held_on=day, starts_at=clock(10), attendance=attendance,
                          length_minutes=75 if attendance == "held" else 30)
        meeting.workers = [MeetingWorker(user=person) for person in people]
        db.session.add(meeting)
        if attendance in ("held", "cut_short"):
            for person in people:
                marks = (rng.sample(ids["readiness"], rng.randint(0, 5))
                         + rng.sample(ids["warning"], rng.choice([0, 0, 0, 1, 2]))
                         + rng.sample(ids["move"], rng.randint(1, 4))
                         + rng.sample(ids["slip"], rng.choice([0, 0, 1])))
                db.session.add(Capture(
                    meeting=meeting, author=person, idempotency_key=f"{client.code}-{day}-"
                    f"{person.username}", attendance=attendance, held_on=day, starts_at=clock(10),
                    length_minutes=meeting.length_minutes, marks=marks,
                    rating_goals=rng.randint(1, 5), rating_tasks=rng.randint(1, 5),
                    rating_bond=rng.randint(1, 5), delay_minutes=rng.randint(5, 600),
                    note="not in the report"))
        day += timedelta(days=7)


def measure(size: int, database_url: str) -> dict:
    """Build a team in a fresh database, then time two renders and trace a third."""
    from companion import content, create_app
    from companion.extensions import db
    from companion.models import Meeting, Team
    from companion.reports import queries, render
    from companion.reports.figures import monthly_figures
    from companion.reports.months import next_month

    instance = tempfile.mkdtemp(prefix="bench-instance-")
    app = create_app({"ENV": {"COMPANION_DEMO": "1"}, "SQLALCHEMY_DATABASE_URI": database_url},
                     instance_path=instance)
    with app.app_context():
        db.drop_all()
        db.create_all()
        team_id = build(size)
        team = db.session.get(Team, team_id)
        meetings = db.session.query(Meeting).filter(
            Meeting.held_on >= MONTH, Meeting.held_on < next_month(MONTH)).count()
        trend_meetings = db.session.query(Meeting).count()
        timings, cpu = [], []
        for _ in range(2):
            db.session.expire_all()
            started, cpu_started = time.perf_counter(), time.process_time()
            pdf = render.monthly_report_pdf(team, MONTH)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            db.session.rollback()
        started = time.perf_counter()
        data = queries.report_data(team, MONTH)
        figures = monthly_figures(data, content.current().vocabulary)
        compute = time.perf_counter() - started
        tracemalloc.start()
        render.monthly_report_pdf(team, MONTH)
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        db.session.rollback()
        started = time.perf_counter()
        render.funders_pdf(team, MONTH)
        funders_s = time.perf_counter() - started
        db.session.rollback()
        db.drop_all()
    return {
        "trend_meetings": trend_meetings, "funders_s": funders_s,
        "workers": size, "clients": len(figures.clients), "meetings": meetings,
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "kb": len(pdf) // 1024, "first_s": timings[0], "second_s": timings[1],
        "first_cpu_s": cpu[0], "second_cpu_s": cpu[1],
        "load_and_figures_s": compute, "traced_peak_mb": traced_peak / 2**20,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a scratch database is "
                        "created on it for the run and dropped afterwards")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.size:
        print(json.dumps(measure(args.size, args.url)))
        return
    _print("sqlite", [
        _run(size, f"sqlite:///{tempfile.mkdtemp(prefix='bench-')}/bench.sqlite") for size in SIZES
    ])
    if args.postgres:
        with _scratch_postgres(args.postgres) as url:
            _print("postgresql", [_run(size, url) for size in SIZES])


def _run(size: int, url: str) -> dict:
    """One size in a fresh process, so that its peak memory is its own."""
    result = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, __file__, "--size", str(size), "--url", url],
        check=True, capture_output=True, text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@contextmanager
def _scratch_postgres(server: str):
    from sqlalchemy import create_engine, text

    name = f"companion_bench_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _print(engine: str, rows: list[dict]) -> None:
    base = rows[0]["second_s"] / rows[0]["meetings"]
    base_cpu = rows[0]["second_cpu_s"] / rows[0]["meetings"]
    print(f"\n{engine} (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print("| workers | clients | meetings (6 months) | pages | first render s (CPU s) "
          "| warm render s (CPU s) | load+figures s | peak traced MB | max RSS MB "
          "| time per meeting vs 5 (CPU) | funders' PDF s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        ratio = row["second_s"] / row["meetings"] / base
        ratio_cpu = row["second_cpu_s"] / row["meetings"] / base_cpu
        print(f"| {row['workers']} | {row['clients']} | {row['meetings']} "
              f"({row['trend_meetings']}) | {row['pages']} | "
              f"{row['first_s']:.2f} ({row['first_cpu_s']:.2f}) | "
              f"{row['second_s']:.2f} ({row['second_cpu_s']:.2f}) | "
              f"{row['load_and_figures_s']:.3f} | {row['traced_peak_mb']:.0f} | "
              f"{row['max_rss_mb']:.0f} | {ratio:.2f} ({ratio_cpu:.2f}) | "
              f"{row['funders_s']:.2f} |")


if __name__ == "__main__":
    main()
