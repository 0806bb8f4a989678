"""Bytes on the wire for the capture screen: first load with an empty cache, then a repeat visit.

Run from the repository root:  .venv/bin/python bench/weight.py
Seeds the demo into a scratch SQLite database, serves it with gunicorn as bench/load.py does,
signs worker1 in with Debian's Chromium, then opens the capture screen in a browser profile
whose cache is empty (the sign-in cookie copied over) and counts every response's encoded
length (headers and compressed body, as Chromium's network panel reports it), apart for the
requests sent until the load event (what the page needs to be usable) and after it (the app's
script and the offline code, which page.js adds then; the favicon), each beside the 25 KB limit.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import BIN, PASSWORD, ROOT, gunicorn  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


LIMIT = 25_000  # goal 1 of issue 14: the first load at most 25 KB on the wire


def transfers(context, url: str) -> list[tuple[str, int, bool, bool]]:
    """(url, bytes on the wire, served from cache, asked for after the load event) for every
    response of one page load, waiting until the network has been idle for half a second."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Page.enable")
    seen, sizes, asked, loaded = {}, {}, {}, []
    cdp.on("Network.requestWillBeSent",
           lambda e: asked.setdefault(e["requestId"], e["timestamp"]))
    cdp.on("Network.responseReceived", lambda e: seen.__setitem__(
        e["requestId"], (e["response"]["url"], e["response"].get("fromDiskCache", False)
                         or e["response"].get("fromMemoryCache", False))))
    cdp.on("Network.requestServedFromCache",
           lambda e: seen.__setitem__(e["requestId"], ("(cache)", True)))
    cdp.on("Network.loadingFinished",
           lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    cdp.on("Page.loadEventFired", lambda e: loaded.append(e["timestamp"]))
    page.goto(url, wait_until="networkidle")
    page.close()
    load = loaded[0]
    return [(seen[r][0], sizes.get(r, 0), seen[r][1], asked.get(r, load) > load) for r in seen
            if not seen[r][0].startswith("data:")]


def kb(size: int) -> str:
    return f"{size / 1000:>6.1f} KB"


def beside_limit(size: int) -> str:
    if size <= LIMIT:
        return f"limit {LIMIT / 1000:.0f} KB: met, {(LIMIT - size) / 1000:.1f} KB to spare"
    return f"limit {LIMIT / 1000:.0f} KB: not met, {(size - LIMIT) / 1000:.1f} KB over"


def report(title: str, rows) -> None:
    """Print the responses asked for until the load event (what the page needs to be usable) and
    after it (the offline code, in the background), each total and their sum beside the limit."""
    print(f"\n{title}:")
    totals = []
    for after, heading, total in (
            (False, "until the load event (the page usable)", "until the load event"),
            (True, "after the load event, in the background", "after it, in the background")):
        print(f"  {heading}:")
        part = [(url, size, cached) for url, size, cached, late in rows if late == after]
        for url, size, cached in part:
            where = " (from cache)" if cached else ""
            print(f"    {kb(size)}  {urlsplit(url).path}{where}")
        totals.append(sum(size for _u, size, _c in part))
        print(f"    {kb(totals[-1])}  {total} ({beside_limit(totals[-1])})")
    print(f"  {kb(sum(totals))}  in all ({beside_limit(sum(totals))})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, COMPANION_DEMO="1", COMPANION_DEMO_PASSWORD=PASSWORD,
                   DATABASE_URL=f"sqlite:///{Path(folder) / 'weight.sqlite'}", FLASK_APP="wsgi")
        for command in (["db", "upgrade"], ["seed-demo"]):
            subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=env,  # noqa: S603
                           check=True, capture_output=True)
        server, base = gunicorn("wsgi:app", env, args)
        try:
            measure(base)
        finally:
            server.terminate()
            server.wait()


def measure(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        signing_in = browser.new_context(base_url=base, viewport=PHONE, is_mobile=True)
        page = signing_in.new_page()
        page.goto("/login")
        page.get_by_label("Username").fill("worker1")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        capture = page.locator("a[href$='/capture']").first.get_attribute("href")
        state = signing_in.storage_state()
        signing_in.close()
        fresh = browser.new_context(base_url=base, viewport=PHONE, is_mobile=True,
                                    storage_state=state)
        report("capture screen, first load (empty cache)", transfers(fresh, base + capture))
        report("capture screen, repeat visit", transfers(fresh, base + capture))
        print("\nNot counted: what the service worker fetches itself (sw.js, its two scripts, the "
              "pack of pages)\nand a page it answers (0.0 KB above: its HTML crossed the wire "
              "inside the worker).")
        browser.close()


if __name__ == "__main__":
    main()
