"""The load client of bench/load.py: signed-in users on loopback, no think time.

Run by load.py in its own process (`python bench/drive.py < plan.json`); prints one JSON
object with every request's step and latency summarised. Uses asyncio and aiohttp with one
keep-alive connection per user, so one client process drives the server without threads.
"""

import asyncio
import datetime
import itertools
import json
import os
import random
import re
import resource
import secrets
import statistics
import sys
import time
from pathlib import Path

import aiohttp

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CLIENT = re.compile(r'href="/clients/(\d+)"')
FIELD = re.compile(r'<input type="(?:date|time|number|hidden)"[^>]*name="(\w+)" value="([^"]*)"')
DOUBLE_POST_EVERY = 10
# A different day and minute for every capture (one worker does not hold two meetings at
# once, and the same time on the same day would be the same meeting); each run of drive.py
# takes its own share of the slots (plan "part" of "parts"), so later runs never repeat one.
SLOTS: list[tuple[int, int]] = []


def next_slot() -> tuple[int, int]:
    return SLOTS.pop() if SLOTS else (secrets.randbelow(28), secrets.randbelow(1440))


def share_slots(part: int, parts: int) -> None:
    SLOTS[:] = [(day, minute) for day in range(28) for minute in range(1440)
                if (day * 1440 + minute) % parts == part]
    random.shuffle(SLOTS)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the server's processes (gunicorn master and workers), from /proc."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


class User:
    """One signed-in browser: its own cookies, one keep-alive connection, its client."""

    def __init__(self, base: str, username: str, password: str):
        self.base, self.username, self.password = base, username, password
        self.http = aiohttp.ClientSession(
            base, cookie_jar=aiohttp.CookieJar(unsafe=True),
            connector=aiohttp.TCPConnector(limit=2), timeout=aiohttp.ClientTimeout(total=60))
        self.client_id = None
        self.form: dict[str, str] = {}

    async def sign_in(self) -> None:
        async with self.http.get("/login") as answer:
            token = CSRF.search(await answer.text()).group(1)
        data = {"csrf_token": token, "username": self.username, "password": self.password}
        async with self.http.post("/login", data=data, allow_redirects=False) as answer:
            assert answer.status == 303, (self.username, answer.status)  # noqa: S101
        async with self.http.get("/") as answer:
            self.client_id = CLIENT.search(await answer.text()).group(1)

    async def get(self, path: str, headers=None) -> tuple[int, str]:
        async with self.http.get(path, headers=headers, allow_redirects=False) as answer:
            return answer.status, await answer.text()

    async def post_capture(self, key: str, when: tuple[int, int] | None = None) -> int:
        """One capture; a double tap sends the same key with the same meeting time twice."""
        when = when or next_slot()
        held_on = (datetime.date.today() - datetime.timedelta(days=when[0])).isoformat()
        # another_meeting=1: a second meeting with this client on the same day, at another time
        # (the screen otherwise asks first, a 409, as it should for a person).
        body = dict(self.form, idempotency_key=key, attendance="held", readiness="relaxed",
                    another_meeting="1",
                    held_on=held_on, starts_at=f"{when[1] // 60:02d}:{when[1] % 60:02d}",
                    rating_goals="4", rating_tasks="4", rating_bond="4", next_step="")
        path = f"/clients/{self.client_id}/capture"
        async with self.http.post(path, data=body, allow_redirects=False) as answer:
            await answer.read()
            return answer.status

    def remember_form(self, page: str) -> None:
        # "Only me": each capture makes its own meeting, so the seven sessions of one demo
        # worker never race for the same shared meeting (that answers 409, correctly).
        self.form = dict(FIELD.findall(page), co_worker_id="")


class Run:
    """Latencies per step and the keys of every acknowledged capture."""

    def __init__(self):
        self.samples: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.statuses: dict[str, int] = {}
        self.acknowledged: list[str] = []
        self.double_posts = 0

    async def timed(self, step: str, call, ok=(200,)):
        started = time.perf_counter()
        status = await call
        status = status[0] if isinstance(status, tuple) else status
        self.samples.setdefault(step, []).append((time.perf_counter() - started) * 1000)
        if status not in ok:
            self.errors[step] = self.errors.get(step, 0) + 1
            self.statuses[f"{step} {status}"] = self.statuses.get(f"{step} {status}", 0) + 1
        return status

    def summary(self, seconds: float) -> dict:
        steps = {}
        for step, values in self.samples.items():
            values.sort()
            cuts = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
            steps[step] = {"count": len(values), "per_s": len(values) / seconds,
                           "p50": cuts[49], "p95": cuts[94], "p99": cuts[98],
                           "errors": self.errors.get(step, 0)}
        return steps


async def journey(user: User, run: Run, deadline: float, counter) -> None:
    """Home, client page, card fragment, capture form, capture POST; repeat until the deadline."""
    client = f"/clients/{user.client_id}"
    while time.monotonic() < deadline:
        await run.timed("home", user.get("/"))
        await run.timed("client page", user.get(client))
        await run.timed("card (htmx)", user.get(f"{client}/card/middle", {"HX-Request": "true"}))
        started = time.perf_counter()
        status, page = await user.get(f"{client}/capture")
        run.samples.setdefault("capture form", []).append((time.perf_counter() - started) * 1000)
        if status != 200:
            run.errors["capture form"] = run.errors.get("capture form", 0) + 1
            continue
        user.remember_form(page)
        await post(user, run, next(counter))


async def post(user: User, run: Run, number: int) -> None:
    key = secrets.token_urlsafe(24)
    if number % DOUBLE_POST_EVERY:
        statuses = [await run.timed("capture POST", user.post_capture(key), ok=(303,))]
    else:  # a double tap: the same key twice at once
        run.double_posts += 1
        when = next_slot()
        statuses = await asyncio.gather(*(run.timed("capture POST", user.post_capture(key, when),
                                                    ok=(303,)) for _ in range(2)))
    if 303 in statuses:
        run.acknowledged.append(key)


async def posts_only(user: User, run: Run, deadline: float, _counter) -> None:
    status, page = await user.get(f"/clients/{user.client_id}/capture")
    user.remember_form(page)
    while time.monotonic() < deadline:
        key = secrets.token_urlsafe(24)
        if await run.timed("capture POST", user.post_capture(key), ok=(303,)) == 303:
            run.acknowledged.append(key)


async def limit_loop(http, path: str, method: str, run: Run, deadline: float) -> None:
    """The limits: a view that returns a constant, or one that does one INSERT."""
    while time.monotonic() < deadline:
        started = time.perf_counter()
        call = http.post(path, data={"key": secrets.token_hex(12)}) if method == "POST" \
            else http.get(path)
        async with call as answer:
            await answer.read()
            status = answer.status
        run.samples.setdefault(path, []).append((time.perf_counter() - started) * 1000)
        if status != 200:
            run.errors[path] = run.errors.get(path, 0) + 1


async def drive(plan: dict) -> dict:
    run = Run()
    share_slots(plan.get("part", 0), plan.get("parts", 1))
    if plan["mode"] in ("journey", "posts"):
        names = itertools.cycle(plan["usernames"])
        users = [User(plan["base"], next(names), plan["password"]) for _ in range(plan["users"])]
        await asyncio.gather(*(user.sign_in() for user in users))
        scenario = journey if plan["mode"] == "journey" else posts_only
        warm = time.monotonic() + 1
        await asyncio.gather(*(scenario(u, Run(), warm, itertools.count(1)) for u in users))
        counter = itertools.count(1)
        server_before, client_before = cpu_seconds(plan["server_pids"]), own_cpu()
        began = time.monotonic()
        await asyncio.gather(*(scenario(u, run, began + plan["seconds"], counter) for u in users))
        elapsed, server_cpu = time.monotonic() - began, cpu_seconds(plan["server_pids"])
        client_cpu = own_cpu() - client_before
        for user in users:
            await user.http.close()
    else:
        sessions = [aiohttp.ClientSession(plan["base"], connector=aiohttp.TCPConnector(limit=1))
                    for _ in range(plan["users"])]
        method = "POST" if plan["mode"] == "/insert" else "GET"
        await asyncio.gather(*(limit_loop(s, plan["mode"], method, Run(), time.monotonic() + 1)
                               for s in sessions))
        server_before, client_before = cpu_seconds(plan["server_pids"]), own_cpu()
        began = time.monotonic()
        await asyncio.gather(*(limit_loop(s, plan["mode"], method, run, began + plan["seconds"])
                               for s in sessions))
        elapsed, server_cpu = time.monotonic() - began, cpu_seconds(plan["server_pids"])
        client_cpu = own_cpu() - client_before
        for session in sessions:
            await session.close()
    return {"steps": run.summary(elapsed), "seconds": elapsed, "acknowledged": run.acknowledged,
            "double_posts": run.double_posts, "client_cpu_s": client_cpu,
            "unexpected": run.statuses,
            "server_cpu": (server_cpu - server_before) / elapsed}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(drive(json.load(sys.stdin)))))
