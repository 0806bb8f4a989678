"""The audit trail on a 390x844 phone: lead1 answers "who opened this client this month" in two
taps from home, filters by person, and the cards pass axe and never scroll sideways; the
admin's account events too."""

import re

from axe_playwright_python.sync_playwright import Axe

from tests.support.browser import sign_in_by_session

axe = Axe()


def _fits_and_passes_axe(page) -> None:
    result = axe.run(page)
    assert result.violations_count == 0, result.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("table").count() == 0


def test_lead_finds_who_opened_a_client_this_month_in_two_taps(context, live_app, live_url):
    sign_in_by_session(context, live_app, live_url, "worker2")
    worker = context.new_page()
    worker.goto("/")
    code = worker.locator("#client-list .code").first.inner_text()
    worker.locator("#client-list a.cover").first.click()
    worker.wait_for_url("**/clients/*")
    worker.close()
    context.clear_cookies()
    sign_in_by_session(context, live_app, live_url, "lead1")
    page = context.new_page()
    page.goto("/")
    page.locator("#client-list a.cover", has_text=code).click()  # tap 1
    page.get_by_role("link", name=f"Who opened {code} this month").click()  # tap 2
    page.wait_for_url(re.compile(r"/audit/team\?"))
    assert code not in page.url
    cards = page.locator("#audit li.entry")
    assert cards.filter(has_text=f"worker2 opened {code}").count() >= 1
    assert re.fullmatch(r"\d{1,2} \w{3} \d{4}, \d{2}:\d{2}", cards.first.locator("time")
                        .inner_text())
    _fits_and_passes_axe(page)


def test_lead_filters_the_trail_by_person_on_a_phone(context, live_app, live_url):
    sign_in_by_session(context, live_app, live_url, "lead1")
    page = context.new_page()
    page.goto("/audit/team")
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Person").select_option(label="lead1")
    page.get_by_label("Action").select_option(label="Opened a record")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"who=\d+"))
    texts = page.locator("#audit li.entry .what").all_inner_texts()
    assert texts and all(text.startswith("lead1 ") for text in texts)
    _fits_and_passes_axe(page)
    page.goto("/audit/team?from=2026-13-01")
    assert page.get_by_text("Give the day as YYYY-MM-DD").count() == 1
    _fits_and_passes_axe(page)


def test_admin_account_events_are_cards_that_fit_the_phone(context, live_app, live_url):
    sign_in_by_session(context, live_app, live_url, "admin1")
    page = context.new_page()
    page.goto("/audit/accounts")
    page.goto("/audit/accounts")  # the first reading is on the trail now
    assert page.locator("#audit li.entry").count() >= 1
    _fits_and_passes_axe(page)
