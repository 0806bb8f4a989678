"""A team lead gets the monthly PDF in two taps from home, on a phone-sized window."""


from axe_playwright_python.sync_playwright import Axe

from companion.reports.months import month_key, previous_month
from tests.support import team_today
from tests.support.browser import sign_in


def test_lead_taps_reports_then_a_month_and_gets_the_pdf(page, tmp_path):
    sign_in(page, "lead1")
    page.get_by_role("link", name="Reports").click()
    page.wait_for_url("**/reports/")
    month = month_key(previous_month(team_today().replace(day=1)))
    assert page.locator("#report-months a").count() >= 3
    with page.expect_download() as download_info:
        page.locator(f"#report-months a[href$='/{month}.pdf']").click()
    download = download_info.value
    assert download.suggested_filename == f"demo-team-{month}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")


def test_reports_page_passes_axe_and_fits_the_phone(page):
    sign_in(page, "lead1")
    page.goto("/reports/")
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
