"""axe-core on every page for every role, on a 390x844 phone, in one shared browser.

Each role is signed in by putting a session cookie in the browser (the sign-in screens have
their own tests), then walks every page open to it without a record id and every kind of page
linked from there (each card part is its own kind), running axe-core on each.
"""


import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.support.browser import sign_in_by_session
from tests.support.screens import ready_to_capture
from tests.support.walk import MUST_REACH, ROLES, walk

axe = Axe()


def _violations(page) -> list[str]:
    result = axe.run(page)
    return [] if result.violations_count == 0 else [f"{page.url}\n{result.generate_report()}"]


@pytest.mark.parametrize("username", sorted(ROLES))
def test_every_page_a_role_reaches_passes_axe_on_a_phone(context, live_app, live_url, username):
    sign_in_by_session(context, live_app, live_url, username)
    page = context.new_page()
    problems = _save_a_capture(page) if username == "worker1" else []
    reached = set()
    for endpoint in walk(page, live_app, live_url, ROLES[username]):
        reached.add(endpoint)
        problems += _violations(page)
    pages = MUST_REACH[username] - {"reports.monthly"}  # a PDF download, not a page
    assert pages <= reached, pages - reached
    assert not problems, "\n\n".join(problems)


def _save_a_capture(page) -> list[str]:
    """A fresh capture (so its edit page is linked), checked as the htmx "saved" answer shows."""
    page.goto("/")
    page.locator("a[href$='/capture']").first.click()
    ready_to_capture(page)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Capture saved.").wait_for()
    return _violations(page)


def test_the_sign_in_page_passes_axe_on_a_phone(page):
    page.goto("/login")
    assert not _violations(page)
