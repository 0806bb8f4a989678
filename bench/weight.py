"""Bytes on the wire for the capture screen: first load with an empty cache, then a repeat visit.

Run from the repository root:  .venv/bin/python bench/weight.py
Seeds the demo into a scratch SQLite database, serves it with gunicorn as bench/load.py does,
signs worker1 in with Debian's Chromium, then opens the capture screen in a browser profile
whose cache is empty (the sign-in cookie copied over) and counts every response's encoded
length (headers and compressed body, as Chromium's network panel reports it).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import BIN, PASSWORD, ROOT, gunicorn  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


def transfers(context, url: str) -> list[tuple[str, int, bool]]:
    """(url, bytes on the wire, served from cache) for every response of one page load."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    seen, sizes = {}, {}
    cdp.on("Network.responseReceived", lambda e: seen.__setitem__(
        e["requestId"], (e["response"]["url"], e["response"].get("fromDiskCache", False)
                         or e["response"].get("fromMemoryCache", False))))
    cdp.on("Network.requestServedFromCache",
           lambda e: seen.__setitem__(e["requestId"], ("(cache)", True)))
    cdp.on("Network.loadingFinished",
           lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    page.close()
    return [(seen[r][0], sizes.get(r, 0), seen[r][1]) for r in seen
            if not seen[r][0].startswith("data:")]


def report(title: str, rows) -> None:
    print(f"\n{title}:")
    for url, size, cached in rows:
        where = " (from cache)" if cached else ""
        print(f"  {size / 1000:>6.1f} KB  {url.split('127.0.0.1', 1)[-1]}{where}")
    print(f"  {sum(size for _u, size, _c in rows) / 1000:>6.1f} KB  on the wire in all")


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
        browser.close()


if __name__ == "__main__":
    main()
