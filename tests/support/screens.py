"""Helpers the browser tests share to work the capture screen like a worker does."""

import re

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from companion.extensions import db
from companion.models import Capture


class Taps:
    """Clicks through this, so the test counts every tap a worker makes."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        self.count += 1
        locator.click()

    def type(self, locator, text):
        """One typed field is one action (the tap into it included)."""
        self.count += 1
        locator.fill(text)


def chip(page, label):
    """A marker chip on the capture screen, by its label."""
    return page.locator("label.chip", has_text=label)


def rating(page, legend, value):
    """One of the 1-5 segments of a rating group (Goals, Tasks, Bond)."""
    group = page.get_by_role("group", name=re.compile(f"^{legend}"))
    return group.locator("label.segment", has_text=re.compile(f"^{value}$"))


def live_sign(page, label, answer):
    """The "Still there" or "Gone" segment of a warning sign still live, on the capture screen."""
    group = page.locator("#live-signs fieldset", has_text=label)
    return group.locator("label.segment", has_text=answer)


def form_key(page):
    """The idempotency key the capture form was rendered with."""
    return page.locator("#capture-form input[name=idempotency_key]").input_value()


def captures_with_key(live_app, key):
    with live_app.app_context():
        return db.session.scalars(
            select(Capture).options(joinedload(Capture.meeting))
            .where(Capture.idempotency_key == key)
        ).all()


# The raw records of the outbox database, as IndexedDB holds them: bytes decoded as UTF-8 (so
# plain text would show), keys described. Does not create the database if it is not there.
OUTBOX_RECORDS = """async () => {
  const names = (await indexedDB.databases()).map(d => d.name);
  if (!names.includes("companion-outbox")) { return []; }
  const db = await new Promise((ok, no) => {
    const open = indexedDB.open("companion-outbox"); open.onsuccess = () => ok(open.result);
    open.onerror = () => no(open.error); });
  if (!db.objectStoreNames.contains("kv")) { db.close(); return []; }
  const tx = db.transaction("kv"), store = tx.objectStore("kv");
  const keys = store.getAllKeys(), values = store.getAll();
  await new Promise(ok => { tx.oncomplete = ok; });
  db.close();
  const show = (v) => v instanceof CryptoKey
    ? `CryptoKey ${v.algorithm.name} extractable=${v.extractable}`
    : (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) ? new TextDecoder().decode(v)
    : (v && typeof v === "object")
    ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, show(x)])) : v;
  return keys.result.map((key, i) => [String(key), show(values.result[i])]);
}"""


def outbox_records(page):
    return page.evaluate(OUTBOX_RECORDS)


def outbox_names(page, prefix):
    return [name for name, _ in outbox_records(page) if name.startswith(prefix)]


def settled(read, want, page, tries=60):
    """Poll `read()` until it equals `want` (CSP forbids wait_for_function's eval)."""
    value = read()
    for _ in range(tries):
        if value == want:
            break
        page.wait_for_timeout(100)
        value = read()
    return value


def ready_offline(page):
    """Wait until the service worker controls the page and holds the worker's whole pack."""
    read = """async () => {
        const pack = await (await fetch("/offline/pack", {headers: {"HX-Request": "true"}})).json();
        const kept = (await (await caches.open("pages")).keys()).map(r => new URL(r.url).pathname);
        return !!navigator.serviceWorker.controller && pack.pages.every(p => kept.includes(p));
    }"""
    assert settled(lambda: page.evaluate(read), True, page, tries=150)


def ready_to_capture(page):
    """Wait for the capture form with the offline code set up on it: the code loads after the
    page (a save before then posts the plain form; see test_capture for a draft typed by then)."""
    page.wait_for_selector("#capture-form[data-outbox-ready]")
