"""On a phone: an admin invites, the person sets up their own account, their lead confirms."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.support.browser import PHONE, sign_in

CHOSEN = "my own words 71"


def _axe_clean(page):
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()


def test_an_invited_worker_sets_up_their_account_and_sees_records_once_the_lead_confirms(
    browser, context, live_url
):
    admin = context.new_page()
    sign_in(admin, "admin1")
    admin.goto("/admin/")
    admin.get_by_text("Invite someone").click()
    form = admin.locator("form[action$='/admin/users']")
    form.get_by_label("Username").fill("worker9")
    form.get_by_label("Role").select_option("worker")
    form.get_by_label("Team", exact=True).select_option(label="Demo team")
    form.get_by_role("button", name="Invite").click()
    code = admin.locator("#invitation-code").inner_text()
    _axe_clean(admin)

    person = _phone(browser, live_url)
    person.goto("/invitation")
    _axe_clean(person)
    person.get_by_label("Username").fill("worker9")
    person.get_by_label("Invitation code").fill(code)
    person.get_by_label("Choose a password").fill(CHOSEN)
    person.get_by_label("The same password again").fill(CHOSEN)
    person.get_by_role("button", name="Set my password").click()
    person.wait_for_url("**/account/pin")
    person.get_by_label("Your password").fill(CHOSEN)
    person.get_by_label("New 6-digit PIN").fill("480264")
    person.get_by_label("The same PIN again").fill("480264")
    person.get_by_role("button", name="Save PIN").click()
    person.wait_for_url("**/members/waiting")
    _axe_clean(person)

    lead = _phone(browser, live_url)
    sign_in(lead, "lead1")
    lead.locator("#members-link").click()
    lead.wait_for_url("**/members/")
    _axe_clean(lead)
    lead.get_by_role("button", name="Confirm worker9").click()
    expect(lead.get_by_text("worker9 is confirmed.")).to_be_visible()
    expect(lead.get_by_role("button", name="Confirm worker9")).to_have_count(0)

    person.goto("/")
    expect(person.get_by_role("heading", name="Your clients")).to_be_visible()
    assert person.url == f"{live_url}/"
    person.context.close()
    lead.context.close()


def _phone(browser, live_url):
    """Another person's phone: a browser profile of its own."""
    return browser.new_context(viewport=PHONE, base_url=live_url, is_mobile=True,
                               has_touch=True).new_page()
