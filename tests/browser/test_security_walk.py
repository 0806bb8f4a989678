"""A walk through every page in Chromium, for a worker, a lead and an admin: zero CSP
violations or console errors, no client code or note text in any URL the browser requests,
`Cache-Control: no-store` on every page and htmx answer, and after signing out nothing left in
localStorage, sessionStorage, IndexedDB or the Cache API, and the back button shows no client
data.

The walk follows every link on every page it reaches (one page per kind of route, each card
part), so a page added later is walked as soon as something links to it; the pages each role
must reach are checked by endpoint.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import sign_in
from tests.support.screens import outbox_names, outbox_records, ready_to_capture, settled
from tests.support.walk import MUST_REACH, ROLES, _endpoint, walk

CLIENT_CODE = re.compile(r"\b[KN]-\d{3}\b")
NOTE = "Spoke about the workshop and his sister"
DRAFT = "Unsent words about the probation hearing"
# Listeners the browser runs in every document before our own scripts.
PROBE = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation([event.violatedDirective, event.blockedURI,
                         event.sourceFile + ":" + event.lineNumber].join(" "));
});
"""


class Probe:
    """Everything the browser reports while the walk runs."""

    def __init__(self, context, live_url):
        self.origin = live_url
        self.violations, self.errors, self.urls, self.cacheable = [], [], [], []
        context.expose_binding("__cspViolation", lambda _source, text: self.violations.append(text))
        context.add_init_script(PROBE)
        context.on("request", lambda request: self.urls.append(request.url))
        context.on("response", self._response)
        context.on("page", self.watch)
        for page in context.pages:
            self.watch(page)

    def watch(self, page):
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def _console(self, page, message):
        # A failed load is logged without its address; failed responses are kept with theirs.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"{page.url}: {message.text}")

    def _response(self, response):
        request = response.request
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.errors.append(f"{response.url}: {response.status}")
        if (response.url.startswith(self.origin) and "/static/" not in response.url
                and request.resource_type in ("document", "xhr", "fetch")
                and "no-store" not in (response.headers.get("cache-control") or "")):
            self.cacheable.append(response.url)


@pytest.fixture
def probe(context, live_url):
    return Probe(context, live_url)



def _client_link(page, code):
    return page.locator("a.cover[href^='/clients/']:not([href$='/capture'])", has_text=code)


def _storage(page):
    return page.evaluate("""async () => ({
        local: Object.assign({}, localStorage), session: Object.assign({}, sessionStorage),
        caches: await caches.keys(), databases: (await indexedDB.databases()).length})""")


def test_the_probe_catches_a_violation(page, probe):
    """A blocked inline script is reported, so the walk's zero means something."""
    page.goto("/login")
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "1"; document.body.append(s); }""")
    page.wait_for_timeout(200)
    assert any(v.startswith("script-src") for v in probe.violations), probe.violations
    assert any("Content Security Policy" in error for error in probe.errors)  # console too


@pytest.mark.parametrize("username", ["worker1", "lead1", "admin1"])
def test_every_page_keeps_to_the_csp_and_leaks_nothing(page, probe, live_app, live_url, username):
    sign_in(page, username)
    for _page in walk(page, live_app, live_url, ROLES[username]):
        pass  # the probe listens on every page

    page.goto("/")
    if username == "worker1":  # the htmx parts: a section, card tabs, a saved capture, a draft
        _client_link(page, "K-101").click()
        page.wait_for_url(re.compile(r"/clients/\d+$"))
        page.locator("#section-meetings > summary").click()  # its body fetched as it opens
        expect(page.locator("#timeline")).to_be_visible()
        page.locator("#part-end").click()
        page.wait_for_url("**/card/end")
        page.locator("#capture-link").click()
        ready_to_capture(page)
        page.locator("label.chip", has_text="Concrete plans").click()
        page.get_by_label("Short note").fill(NOTE)
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Capture saved.").wait_for()
        page.get_by_role("link", name="Edit").click()
        page.wait_for_url(re.compile(r"/captures/\d+/edit$"))
        page.goto("/")
        page.get_by_role("link", name="Capture K-106", exact=True).click()
        ready_to_capture(page)
        page.get_by_label("Short note").fill(DRAFT)
        assert settled(lambda: len(outbox_names(page, "d:")), 1, page) == 1  # encrypted
        assert DRAFT not in repr(outbox_records(page))
    elif username == "lead1":
        page.goto("/reports/")
        with page.expect_download() as download:
            page.locator("#report-months a").first.click()
        probe.urls.append(download.value.url)  # a download is not reported as a request
        page.goto("/")
        _client_link(page, "K-102").click()
        page.wait_for_url(re.compile(r"/clients/\d+$"))
    reached = {_endpoint(live_app, url)[0] for url in probe.urls}
    assert MUST_REACH[username] <= reached, MUST_REACH[username] - reached

    assert probe.violations == []
    assert probe.errors == []
    leaks = [url for url in probe.urls if CLIENT_CODE.search(url) or "workshop" in url.lower()
             or "probation" in url.lower()]
    assert leaks == []
    assert probe.cacheable == []

    shown_before = page.content()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    # htmx keeps only the path of the page on show (the sign-in page) in sessionStorage.
    assert _storage(page) == {"local": {}, "caches": [], "databases": 0,
                              "session": {"htmx-current-path-for-history": "/login"}}
    page.go_back()
    page.wait_for_url(re.compile(r"/login\?next="))  # reloaded: the server wants a sign-in
    html = page.content()
    assert not CLIENT_CODE.search(html) and DRAFT not in html and NOTE not in html
    if username != "admin1":
        assert CLIENT_CODE.search(shown_before)  # the page signed out from did show client data
