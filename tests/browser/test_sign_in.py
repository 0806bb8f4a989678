"""A worker signs in on a phone-sized window and sees their clients."""

from axe_playwright_python.sync_playwright import Axe

from tests.support.browser import sign_in


def test_worker_signs_in_and_sees_their_clients(page):
    sign_in(page, "worker1")
    codes = page.locator("#client-list .code").all_inner_texts()
    assert codes == ["K-101", "K-102", "K-103", "K-106"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_wrong_password_shows_a_message_and_stays_on_login(page):
    page.goto("/login")
    page.get_by_label("Username").fill("worker1")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("Wrong username or password.").is_visible()


def test_login_and_home_pass_axe_accessibility_checks(page):
    axe = Axe()
    page.goto("/login")
    result = axe.run(page)
    assert result.violations_count == 0, result.generate_report()
    sign_in(page, "worker1")
    result = axe.run(page)
    assert result.violations_count == 0, result.generate_report()
