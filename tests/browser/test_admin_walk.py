"""On a phone (390x844), axe-clean at every step: admin1 dissolves a pair and undoes it,
deactivates worker2 after a confirmation page, lead1 sees worker2's clients as needing a
worker, admin1 reactivates worker2 (confirmed), and lead1 ends a session of their own."""

import re

from axe_playwright_python.sync_playwright import Axe

from tests.support.browser import PHONE, sign_in, sign_in_by_session

axe = Axe()
WIDER_THAN_THE_PHONE = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 391)
  .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))
  .slice(0, 8)"""


def _phone(browser, live_url):
    return browser.new_context(viewport=PHONE, base_url=live_url, is_mobile=True,
                               has_touch=True)


def _check(page):
    result = axe.run(page)
    assert result.violations_count == 0, result.generate_report()
    wide = page.evaluate(WIDER_THAN_THE_PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide


def test_admin_and_lead_walk_through_the_leaver_and_team_screens(browser, live_app, live_url):
    admin_context = _phone(browser, live_url)
    sign_in_by_session(admin_context, live_app, live_url, "admin1")
    admin = admin_context.new_page()
    admin.goto("/admin/")
    _check(admin)
    admin.get_by_role("link", name="Demo team").tap()
    admin.wait_for_selector("#team-name")
    _check(admin)
    admin.get_by_role("link", name="Dissolve the pair worker1 and worker2").tap()
    admin.wait_for_selector("#confirm-button")
    _check(admin)
    admin.locator("#confirm-button").tap()
    admin.wait_for_selector("text=worker1 and worker2 are no longer a pair.")
    _check(admin)
    admin.locator("#undo-button").tap()
    admin.wait_for_selector("text=worker1 and worker2 are a pair again.")

    admin.goto("/admin/")
    admin.get_by_role("link", name="Deactivate worker2").tap()
    admin.wait_for_selector("#deactivate-consequences")
    consequences = admin.locator("#deactivate-consequences").inner_text()
    assert "K-104" in consequences and "K-105" in consequences and "worker1" in consequences
    _check(admin)
    admin.locator("#confirm-button").tap()
    admin.wait_for_selector("text=worker2 is deactivated and signed out everywhere.")

    lead_context = _phone(browser, live_url)
    lead = lead_context.new_page()
    sign_in(lead, "lead1")
    needs = lead.locator("#attention .attention-needs_worker")
    assert re.search(r"K-104.*worker2 left the team", needs.inner_text(), re.S)
    assert "K-105" in needs.inner_text() and "K-101" not in needs.inner_text()
    _check(lead)

    admin.goto("/admin/")
    admin.get_by_role("link", name="Reactivate worker2").tap()
    admin.wait_for_selector("#confirm-button")
    _check(admin)
    admin.locator("#confirm-button").tap()
    admin.wait_for_selector("text=worker2 can sign in again.")
    lead.goto("/")
    assert lead.locator("#attention .attention-needs_worker").count() == 0

    other_context = _phone(browser, live_url)
    sign_in(other_context.new_page(), "lead1")  # a second browser of lead1's
    lead.goto("/account/")
    lead.locator("#sessions-link").tap()
    lead.wait_for_selector("#session-list")
    assert lead.locator("#session-list > li").count() == 2
    assert "Chrome" in lead.locator("#session-list").inner_text()
    _check(lead)
    lead.get_by_role("button", name="End this session").tap()
    lead.wait_for_selector("text=That session is ended")
    assert lead.locator("#session-list > li").count() == 1
    for context in (admin_context, lead_context, other_context):
        context.close()
