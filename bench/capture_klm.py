"""How long a typical capture takes a person: a Keystroke-Level Model estimate from the actions
and the scroll distance of the real form on a 390x844 phone screen (issue 12, capture cost).

Run from the repository root:  .venv/bin/python bench/capture_klm.py
It seeds the demo team into a scratch SQLite database, serves it on loopback, and lets Debian's
Chromium (Playwright) do the capture of the browser test tests/browser/test_capture.py: from home,
worker1 captures K-102 (held, three readiness markers, the three ratings as last time with one
changed, a next step, save). It records every action, the page's scroll before and after it and
how long the server took, then prints the model's time beside the 30-second goal: once with the
next step typed, once with a recent step picked (one tap).

Operators (each cited; the model predicts an expert's error-free time, so it is a floor, not
what a tired worker in a car park needs):
  M 1.35 s  mental preparation, one before every decision (Card, Moran & Newell 1980,
            "The keystroke-level model for user performance time with interactive systems",
            Communications of the ACM 23(7), heuristic rule 0, none removed)
  P 1.10 s  pointing at a target (same paper; a finger on a large target is faster than the
            mouse it was measured with, so this errs high)
  K 0.28 s  one press: the tap itself (same paper, average non-secretary typist)
  T 0.33 s  one character typed with the thumbs on a phone keyboard: 36.2 words a minute of
            5 characters (Palin, Feit, Kim, Kristensson & Oulasvirta 2019, "How do people type
            on mobile devices?", MobileHCI, 37,000 volunteers)
  S 1.10 s  one flick of scrolling, counted as a pointing movement (P) for every half screen
            (422 px) of the distance the page moves over the whole capture, rounded up
  R         the server's answer, as measured here on loopback
"""

import math
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's code
from companion import create_app, demo  # noqa: E402
from companion.extensions import db  # noqa: E402

M, P, K, T, S = 1.35, 1.10, 0.28, 0.33, 1.10
PHONE = {"width": 390, "height": 844}
FLICK_PX = PHONE["height"] // 2
GOAL_SECONDS = 30
PASSWORD = "bench password 1"  # noqa: S105 - a scratch database that is deleted
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
NEXT_STEP = "Visit the housing office together"


def build_app(folder: Path):
    app = create_app({"ENV": {"COMPANION_DEMO": "1", "COMPANION_DEMO_PASSWORD": PASSWORD},
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'klm.sqlite'}"},
                     instance_path=str(folder / "instance"))
    with app.app_context():
        db.create_all()
        demo.seed()
        db.session.commit()
    return app


class Recorder:
    """Does each action like the browser test and keeps what the model needs of it."""

    def __init__(self, page):
        self.page, self.actions = page, []

    def _do(self, kind, label, locator, run, chars=0, waits=None):
        before = self.page.evaluate("window.scrollY")
        locator.scroll_into_view_if_needed()
        scrolled = abs(self.page.evaluate("window.scrollY") - before)
        started = time.perf_counter()
        run()
        if waits:
            waits()
        answer = time.perf_counter() - started if waits else 0.0
        self.actions.append({"kind": kind, "label": label, "chars": chars,
                             "scrolled": scrolled, "answer": answer})

    def tap(self, label, locator, waits=None):
        self._do("tap", label, locator, locator.click, waits=waits)

    def type(self, label, locator, text):
        self._do("type", label, locator, lambda: locator.fill(text), chars=len(text))


def capture(page, pick: bool) -> Recorder:
    act = Recorder(page)
    page.goto("/")
    act.tap("Capture K-102 (home)", page.get_by_role("link", name="Capture K-102", exact=True),
            waits=lambda: page.wait_for_selector("#capture-form"))
    for label in ("Relaxed, enjoys talking", "More change talk", "Talks about life after"):
        act.tap(label, page.locator("label.chip", has_text=label))
    act.tap("As last time (ratings)", page.get_by_role("button", name="As last time", exact=False))
    bond = page.get_by_role("group", name="Bond").locator("label.segment", has_text="4")
    act.tap("Bond 4 (the one that moved)", bond)
    if pick:
        act.tap("A recent next step", page.locator("[data-picks] button.pick").first)
    else:
        act.type("Next step, typed", page.get_by_label("Next step"), NEXT_STEP)
    act.tap("Save", page.get_by_role("button", name="Save", exact=True),
            waits=lambda: page.get_by_text("Capture saved.").wait_for())
    return act


def seconds(actions) -> dict[str, float]:
    parts = {"M": M * len(actions), "P": P * len(actions), "K": K * len(actions),
             "T": T * sum(a["chars"] for a in actions),
             "S": S * math.ceil(sum(a["scrolled"] for a in actions) / FLICK_PX),
             "R": sum(a["answer"] for a in actions)}
    parts["total"] = sum(parts.values())
    return parts


def report(name, recorder) -> None:
    actions = recorder.actions
    parts = seconds(actions)
    scrolled = sum(a["scrolled"] for a in actions)
    print(f"\n{name}: {len(actions)} actions, {scrolled:.0f} px scrolled "
          f"({math.ceil(scrolled / FLICK_PX)} flicks)")
    for a in actions:
        extra = f", {a['chars']} characters" if a["chars"] else ""
        print(f"  {a['kind']:4} {a['label']}{extra}; scrolled {a['scrolled']:.0f} px"
              + (f"; answer {a['answer']:.2f} s" if a["answer"] else ""))
    print("  " + "  ".join(f"{k} {v:.1f} s" for k, v in parts.items() if k != "total"))
    verdict = "within" if parts["total"] < GOAL_SECONDS else "OVER"
    print(f"  KLM estimate {parts['total']:.1f} s, goal under {GOAL_SECONDS} s: {verdict}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for name, pick, user in (("Next step typed", False, "worker1"),
                                         ("Next step picked", True, "worker2")):
                    context = browser.new_context(viewport=PHONE, base_url=url, is_mobile=True,
                                                  has_touch=True)
                    page = context.new_page()
                    page.goto("/login")
                    page.get_by_label("Username").fill(user)
                    page.get_by_label("Password").fill(PASSWORD)
                    page.get_by_role("button", name="Sign in").click()
                    page.wait_for_url("**/")
                    report(f"{name} ({user}, K-102)", capture(page, pick))
                    context.close()
                browser.close()
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
