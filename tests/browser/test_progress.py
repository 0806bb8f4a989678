"""On a phone, on the demo data: a worker adds a milestone, marks another reached, rates the
five dimensions and gets the one-page "Our agreed goals", well under a minute, axe clean; then
opens a dropped one again and looks at the kept history of the ratings."""

import io
import re
import time

from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader
from sqlalchemy import select

from companion.extensions import db
from companion.models import Client, DimensionRating, Milestone
from companion.vocabulary import DIMENSIONS
from tests.support.browser import sign_in_by_session

axe = Axe()


def _client_id(live_app, code: str) -> int:
    with live_app.app_context():
        return db.session.scalar(select(Client.id).where(Client.code == code))


def test_a_worker_sets_reaches_rates_and_prints_the_goals_on_a_phone(
    context, live_app, live_url, tmp_path
):
    sign_in_by_session(context, live_app, live_url, "worker1")
    page = context.new_page()
    client_id = _client_id(live_app, "K-106")
    started = time.monotonic()
    page.goto(f"/clients/{client_id}")
    assert page.locator("#review-due").is_visible()  # the demo's last review was 95 days ago

    page.locator("#section-milestones > summary").tap()  # behind its own section
    page.get_by_text("Add a milestone set with the client").click()
    page.get_by_label("Goal", exact=True).fill("Phone the job centre")
    page.get_by_label("Area").select_option("work_education")
    page.get_by_label("Target month").fill("2099-06")
    page.get_by_label("Agreed with the client").check()
    page.get_by_role("button", name="Add milestone").click()
    page.wait_for_selector("text=Phone the job centre")

    page.get_by_role("button", name="Mark reached: See the prison doctor about sleeping").click()
    page.locator(".milestone.status-reached", has_text="See the prison doctor").wait_for()
    page.locator("#section-ratings > summary").tap()
    page.locator("#rate-panel summary").click()
    for index, name in enumerate(DIMENSIONS):
        choice = 5 if index == 4 else 2 + index % 3  # the sixth choice is "not known"
        page.locator(f"label[for='{name}-{choice}']").click()
    problems = axe.run(page)
    assert problems.violations_count == 0, problems.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Save this month's rating").click()
    page.wait_for_selector("#ratings-table")
    page.wait_for_url(re.compile(r"/ratings$"))  # back to its section, open

    page.locator("#section-milestones > summary").tap()
    with page.expect_download() as download_info:
        page.locator("#goals-pdf").click()
    elapsed = time.monotonic() - started
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    text = " ".join(PdfReader(io.BytesIO(saved.read_bytes())).pages[0].extract_text().split())
    assert "K-106" in text and "Phone the job centre" in text
    assert "See the prison doctor about sleeping" in text
    assert elapsed < 30, elapsed

    with live_app.app_context():
        reached = db.session.scalar(select(Milestone.status).where(
            Milestone.client_id == client_id, Milestone.title.like("See the prison doctor%")))
        rating = db.session.scalars(select(DimensionRating).where(
            DimensionRating.client_id == client_id).order_by(DimensionRating.month.desc())
        ).first()
    assert reached == "reached" and rating.mental_health is None and rating.radicalisation == 3

    # Undo a drop, and the kept history of the ratings and the review interval, axe clean too.
    page.get_by_role("button", name="Open again: Talk with the imam once a month").click()
    page.locator(".milestone.status-open", has_text="Talk with the imam").wait_for()
    page.locator("#section-ratings > summary").tap()  # the open again returned to milestones
    page.locator("#rating-edits summary").click()
    page.locator("#review-interval summary").click()
    assert page.locator("#rating-edits table").count() >= 2  # this month and the corrected one
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    result = axe.run(page)
    assert result.violations_count == 0, result.generate_report()
