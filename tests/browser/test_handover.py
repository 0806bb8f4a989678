"""On a phone: lead1 hands K-103 from worker1 to worker2; worker2 sees the hand-over summary
on first opening it, worker1's open page is refused with a clear message; axe-core clean."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.support.browser import PHONE, sign_in_by_session

axe = Axe()


def _phone(browser, live_app, live_url, username):
    context = browser.new_context(viewport=PHONE, base_url=live_url, is_mobile=True,
                                  has_touch=True)
    sign_in_by_session(context, live_app, live_url, username)
    return context, context.new_page()


def _axe_clean(page):
    result = axe.run(page)
    assert result.violations_count == 0, result.generate_report()


def test_lead_hands_a_client_over_and_the_new_worker_sees_the_summary(browser, live_app,
                                                                      live_url):
    old_context, old = _phone(browser, live_app, live_url, "worker1")
    old.goto("/")
    old.get_by_role("link", name=re.compile(r"^K-103")).first.click()
    old.wait_for_url(re.compile(r"/clients/\d+$"))
    client_url = old.url

    lead_context, lead = _phone(browser, live_app, live_url, "lead1")
    lead.goto(client_url)
    lead.locator("#section-workers > summary").tap()  # its body is fetched when it opens
    expect(lead.locator("#hand-over")).to_be_visible()
    lead.locator("#hand-over summary").tap()
    lead.get_by_label("Hands over").select_option(label="worker1")
    lead.get_by_label("Takes over").select_option(label="worker2")
    _axe_clean(lead)
    lead.get_by_role("button", name="Save the hand-over").tap()
    lead.wait_for_selector("text=Hand-over saved")
    lead.locator("#section-workers > summary").tap()
    workers = lead.locator("#workers")
    expect(workers).to_be_visible()
    expect(workers).to_contain_text("worker2")
    expect(workers).not_to_contain_text("worker1")
    _axe_clean(lead)

    old.get_by_role("link", name="Middle", exact=True).click()  # the open page's fragment
    old.wait_for_selector("text=handed over to another worker")
    old.reload()
    assert "handed over to another worker" in old.locator("main").inner_text()

    new_context, new = _phone(browser, live_app, live_url, "worker2")
    new.goto("/")
    new.get_by_role("link", name=re.compile(r"^K-103")).first.click()
    new.wait_for_url(client_url)
    summary = new.locator("#handover-summary")
    assert summary.is_visible()
    text = summary.inner_text()
    assert "Handed over to you" in text and "from worker1" in text
    assert "Crisis" in text and "Last captures" in text and "Warning signs" in text
    assert new.evaluate("document.documentElement.scrollWidth") <= 390
    _axe_clean(new)
    new.reload()
    assert new.locator("#handover-summary").count() == 0
    for context in (old_context, lead_context, new_context):
        context.close()
