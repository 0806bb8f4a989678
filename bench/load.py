"""Requests per second and p50/p95/p99 per step under load, beside the two limits.

Run from the repository root:
    .venv/bin/python bench/load.py [--seconds 15] [--users 1,20,50]
        [--postgres postgresql://postgres@127.0.0.1/postgres] [--redis redis://127.0.0.1:6379/9]

Seeds the demo teams into a scratch database, starts the app under gunicorn as the README
deploys it, and from a second process (bench/drive.py, asyncio + aiohttp on loopback) signs
in demo workers who walk home, client page, card fragment, capture form and capture POST
without think time (every tenth POST sent twice at once, a double tap), at each number of
users for a bounded time. Then captures alone, and under the same gunicorn settings and the
same database settings bench/reference_app.py: a view returning a constant and a view doing
one INSERT. Prints the figures, the ratios, the CPU used, and checks that every acknowledged
capture is stored exactly once.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "bench password 1"  # noqa: S105 - a scratch database that is deleted
STEPS = ("home", "client page", "card (htmx)", "capture form", "capture POST")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn(target: str, env: dict, args) -> tuple[subprocess.Popen, str]:
    """The deploy command of the README: gunicorn -w <cores> --threads 4 wsgi:app."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "-w", str(args.workers), "--threads", str(args.threads),
               "--no-control-socket", "-b", f"127.0.0.1:{port}", "--log-level", "warning", target]
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - loopback
            return server, base
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"{target} did not start")


def server_pids(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [server.pid, *(int(p) for p in children.read_text().split())]


def drive(plan: dict, server: subprocess.Popen) -> dict:
    plan = plan | {"server_pids": server_pids(server)}
    answer = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "bench" / "drive.py")], input=json.dumps(plan),
        capture_output=True, text=True, check=True, timeout=plan["seconds"] + 300)
    return json.loads(answer.stdout)


def print_steps(title: str, result: dict, order=STEPS) -> None:
    print(f"\n{title}  ({result['seconds']:.0f} s; server CPU {result['server_cpu']:.0%} of "
          f"{os.cpu_count() * 100}%, load client {result['client_cpu_s'] / result['seconds']:.0%})")
    print(f"  {'step':<14} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for step in order:
        row = result["steps"].get(step)
        if row:
            print(f"  {step:<14} {row['per_s']:>7.1f} {row['p50']:>7.1f} {row['p95']:>7.1f} "
                  f"{row['p99']:>7.1f} {row['errors']:>6}")
    total = sum(row["per_s"] for row in result["steps"].values())
    print(f"  {'all':<14} {total:>7.1f}")
    if result.get("unexpected"):
        print(f"  unexpected answers: {result['unexpected']}")


def check_exactly_once(url: str, keys: list[str], double_posts: int) -> None:
    engine = create_engine(url)
    with engine.connect() as connection:
        connection.execute(text("CREATE TEMPORARY TABLE acked (k VARCHAR(64) PRIMARY KEY)"))
        for start in range(0, len(keys), 500):
            connection.execute(text("INSERT INTO acked (k) VALUES (:k)"),
                               [{"k": k} for k in keys[start:start + 500]])
        counts = connection.execute(text(
            "SELECT count(c.id) FROM acked LEFT JOIN captures c ON c.idempotency_key = acked.k "
            "GROUP BY acked.k")).scalars().all()
    engine.dispose()
    missing, doubled = counts.count(0), sum(1 for c in counts if c > 1)
    verdict = "OK" if not missing and not doubled else "FAILED"
    print(f"\nexactly once: {len(keys)} acknowledged captures ({double_posts} sent as double "
          f"posts): {missing} missing, {doubled} stored twice: {verdict}")


def scratch_database(args, folder: Path) -> tuple[str, callable]:
    if not args.postgres:
        return f"sqlite:///{folder / 'bench.sqlite'}", lambda: None
    import psycopg

    name = f"companion_bench_{os.getpid()}"
    admin = args.postgres.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin.rsplit("/", 1)[0] + f"/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--users", default="1,20,50")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a scratch database is made")
    parser.add_argument("--redis", help="REDIS_URL for the app (shared sign-in throttling)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        url, drop = scratch_database(args, folder)
        try:
            run(args, folder, url)
        finally:
            drop()


def run(args, folder: Path, url: str) -> None:
    env = dict(os.environ, COMPANION_DEMO="1", COMPANION_DEMO_PASSWORD=PASSWORD,
               DATABASE_URL=url, FLASK_APP="wsgi")
    env.pop("REDIS_URL", None)
    if args.redis:
        env["REDIS_URL"] = args.redis
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=env, check=True,  # noqa: S603
                       capture_output=True)
    print(f"gunicorn -w {args.workers} --threads {args.threads} wsgi:app on "
          f"{url.split(':', 1)[0]}, {os.cpu_count()} CPUs, {args.seconds:.0f} s per step")
    server, base = gunicorn("wsgi:app", env, args)
    keys, doubles, posts_alone = [], 0, None
    try:
        plan = {"base": base, "password": PASSWORD, "seconds": args.seconds,
                "usernames": ["worker1", "worker2", "worker3"]}
        counts = [int(n) for n in args.users.split(",")]
        plan["parts"] = len(counts) + 1  # each run its own meeting times (bench/drive.py)
        for part, users in enumerate(counts):
            result = drive(plan | {"mode": "journey", "users": users, "part": part}, server)
            keys += result["acknowledged"]
            doubles += result["double_posts"]
            print_steps(f"{users} users, the worker's journey", result)
            print(f"  load average {os.getloadavg()[0]:.1f}")
        posts_alone = drive(plan | {"mode": "posts", "users": 20, "part": len(counts)}, server)
        keys += posts_alone["acknowledged"]
        print_steps("20 users, capture POST alone", posts_alone)
    finally:
        server.terminate()
        server.wait()
    limits = run_limits(args, env, folder)
    capture_rate = posts_alone["steps"]["capture POST"]["per_s"]
    print(f"\ncapture POST alone / one-INSERT view: {capture_rate:.0f} / "
          f"{limits['/insert']:.0f} req/s = {capture_rate / limits['/insert']:.2f} (goal >= 0.5)")
    check_exactly_once(url, keys, doubles)


def run_limits(args, env: dict, folder: Path) -> dict:
    env = dict(env, PYTHONPATH=str(ROOT))
    server, base = gunicorn("bench.reference_app:app", env, args)
    rates = {}
    try:
        for path in ("/constant", "/insert"):
            result = drive({"base": base, "mode": path, "users": 20, "seconds": args.seconds},
                           server)
            print_steps(f"20 users, limit {path}", result, order=(path,))
            rates[path] = result["steps"][path]["per_s"]
    finally:
        server.terminate()
        server.wait()
    return rates


if __name__ == "__main__":
    main()
