"""A paired debrief on two phones: worker1 and worker2, each in their own browser, capture one
new shared meeting blind, see the same comparison from their two sides, agree a next step and
find it on the client's card as "planned last time"."""

import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from companion.extensions import db
from companion.models import Capture
from tests.support.browser import PHONE, sign_in
from tests.support.screens import chip, rating, ready_to_capture

SCREENSHOTS = os.environ.get("COMPANION_SCREENSHOTS")
CLIENT = "K-102"  # assigned to both workers
START = "08:05"  # demo meetings start at 10:00 and none is held today
W1_NOTE = "w1 private note 5521"
W1_STEP = "w1 own plan 8830"
AGREED = "Ask together about the housing letter"


@pytest.fixture
def phones(browser, live_url):
    """Two phone-sized browsers, one per worker, sharing nothing."""
    contexts = [
        browser.new_context(viewport=PHONE, base_url=live_url, is_mobile=True, has_touch=True)
        for _ in range(2)
    ]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def _rate(page, goals, tasks, bond):
    for legend, value in (("Goals", goals), ("Tasks", tasks), ("Bond", bond)):
        rating(page, legend, value).click()


def _main_text(page) -> str:
    return page.locator("main").inner_text()


def _markers(page, kind) -> list[str]:
    """The marker labels listed under one heading of the comparison, without their prompts."""
    items = page.locator(f'section[aria-labelledby="seen-{kind}"] li.marker').all_inner_texts()
    return [item.split("Talk about it:")[0].replace("⚠", "").replace("Warning sign:", "").strip()
            for item in items]


def _ratings(page) -> list[list[str]]:
    rows = page.locator("table.ratings tbody tr:not(.prompt-row)")
    return [[cell.strip() for cell in row.locator("th, td").all_inner_texts()]
            for row in rows.all()]


def _compare_link(page):
    """The home page's entry for today's shared meeting with the client."""
    return page.locator("#debriefs-compare a", has_text=CLIENT).filter(has_text="today")


def _screenshot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def _assert_axe_clean(page):
    result = Axe().run(page)
    assert result.violations_count == 0, result.generate_report()


def test_two_workers_debrief_a_new_shared_meeting_end_to_end(phones, live_app):
    first, second = phones
    sign_in(first, "worker1")
    sign_in(second, "worker2")

    # worker1 captures the meeting from home, naming worker2 as co-worker.
    first.get_by_role("link", name=f"Capture {CLIENT}", exact=True).click()
    ready_to_capture(first)
    first.get_by_label("Start").fill(START)
    first.get_by_label("Minutes").fill("45")
    first.get_by_role("radio", name="worker2", exact=True).check()
    for label in ("Relaxed, enjoys talking", "More change talk", "Distrust or paranoia"):
        chip(first, label).click()
    _rate(first, 5, 3, 4)
    first.get_by_label("Next step").fill(W1_STEP)
    first.get_by_label("Short note").fill(W1_NOTE)
    key = first.locator("#capture-form input[name=idempotency_key]").input_value()
    first.get_by_role("button", name="Save").click()
    first.get_by_text("Capture saved.").wait_for()
    with live_app.app_context():
        capture = db.session.scalar(select(Capture).where(Capture.idempotency_key == key))
        meeting_id = capture.meeting_id
        assert sorted(w.user.username for w in capture.meeting.workers) == ["worker1", "worker2"]
        assert capture.starts_at.strftime("%H:%M") == START

    # worker2's home says the debrief is waiting, and nothing of what worker1 saw.
    second.reload()
    waiting = second.locator("#debriefs-waiting a", has_text=CLIENT)
    assert waiting.count() == 1
    assert "Meeting today; worker1 has captured it." in waiting.inner_text()
    assert waiting.get_attribute("href") == f"/meetings/{meeting_id}/capture"
    secrets = (W1_NOTE, W1_STEP, "Only you saw", "Both saw")
    home = _main_text(second)
    assert [s for s in secrets if s in home] == []
    early = second.goto(f"/meetings/{meeting_id}/debrief")
    assert early.status == 200
    assert second.get_by_role("heading", name="Capture this meeting first").is_visible()
    assert [s for s in secrets if s in _main_text(second)] == []
    second.go_back()
    second.locator("#client-list a.cover", has_text=CLIENT).click()
    second.wait_for_url(re.compile(r"/clients/\d+$"))
    assert [s for s in secrets if s in _main_text(second)] == []
    second.go_back()

    # worker2 captures the same meeting from home: the form names the partner but carries none
    # of the partner's values, not even the start time they entered (issue 11, finding 5).
    second.locator("#debriefs-waiting a", has_text=CLIENT).click()
    second.wait_for_url(f"**/meetings/{meeting_id}/capture")
    assert second.get_by_label("Start").input_value() == ""
    assert second.get_by_label("Minutes").input_value() == ""
    second.get_by_label("Start").fill(START)
    second.get_by_label("Minutes").fill("45")
    assert second.get_by_role("radio", name="worker1", exact=True).is_checked()
    assert second.locator("#capture-form input[type=checkbox]:checked").count() == 0
    assert second.get_by_label("Short note").input_value() == ""
    assert second.get_by_label("Next step").input_value() == ""
    for label in ("Relaxed, enjoys talking", "Hostility or fury"):
        chip(second, label).click()
    _rate(second, 2, 3, 4)
    second.get_by_role("button", name="Save").click()
    second.get_by_text("Capture saved.").wait_for()

    # Both open the comparison from home and see the same categories from their two sides.
    second.get_by_role("link", name="Home").click()
    _compare_link(second).click()
    second.wait_for_url(f"**/meetings/{meeting_id}/debrief")
    first.goto("/")
    assert first.locator("#debriefs-waiting a", has_text="today").count() == 0
    _compare_link(first).click()
    first.wait_for_url(f"**/meetings/{meeting_id}/debrief")

    assert _markers(first, "both") == _markers(second, "both") == ["Relaxed, enjoys talking"]
    assert _markers(first, "only_mine") == ["More change talk", "Distrust or paranoia"]
    assert _markers(first, "only_theirs") == ["Hostility or fury"]
    assert _markers(second, "only_mine") == _markers(first, "only_theirs")
    assert _markers(second, "only_theirs") == _markers(first, "only_mine")
    assert first.get_by_role("heading", name="Only worker2 saw").is_visible()
    assert second.get_by_role("heading", name="Only worker1 saw").is_visible()
    assert _ratings(first) == [["Goals", "5", "2", "≠ 3 apart"], ["Tasks", "3", "3", "0"],
                               ["Bond", "4", "4", "0"]]
    assert _ratings(second) == [["Goals", "2", "5", "≠ 3 apart"], ["Tasks", "3", "3", "0"],
                                ["Bond", "4", "4", "0"]]
    assert first.locator("table.ratings tr.differs").count() == 1
    mine, theirs = _main_text(first), _main_text(second)
    for text in (mine, theirs):
        assert "4 things to talk about" in text and "Both recorded 45 minutes." in text
    assert "You ticked “More change talk” and your partner did not." in mine
    assert "Your partner noted “Hostility or fury” and you did not." in mine
    assert "You rated goals 5, your partner 2." in mine
    assert "You noted “Hostility or fury” and your partner did not." in theirs
    assert "You rated goals 2, your partner 5." in theirs
    # Once both are saved the pair reads each other's note and proposed step (issue 12, defect 1).
    assert W1_NOTE in theirs and W1_STEP in theirs
    assert first.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _screenshot(first, "debrief-comparison")
    _assert_axe_clean(first)

    # worker1 writes the agreed next step; worker2 sees it.
    first.get_by_label("Next step you both agree on").fill(AGREED)
    first.get_by_role("button", name="Save the next step").click()
    first.locator("#agreed-next-step", has_text=AGREED).wait_for()
    assert first.get_by_role("button", name="Change the next step").is_visible()
    second.reload()
    assert AGREED in second.locator("#agreed-next-step").inner_text()

    # It is "planned last time" on the client's card, for both of them.
    for page in (second, first):
        page.get_by_role("link", name=f"Back to {CLIENT}").click()
        page.wait_for_url(re.compile(r"/clients/\d+$"))
        brief = page.locator("#brief").inner_text()
        assert f"Planned last time: {AGREED}" in brief
        assert "agreed in the debrief" in brief

    # worker2 closes the debrief: read-only history for both, gone from home.
    second.go_back()
    second.get_by_role("button", name="Close the debrief").click()
    second.locator("#debrief-closed").wait_for()
    first.goto(f"/meetings/{meeting_id}/debrief")
    closed = first.locator("#debrief-closed").inner_text()
    assert "Closed by worker2" in closed and "read-only history" in closed
    assert first.get_by_label("Next step you both agree on").count() == 0
    assert first.get_by_role("button", name="Close the debrief").count() == 0
    assert AGREED in first.locator("#agreed-next-step").inner_text()
    _assert_axe_clean(first)
    first.goto("/")
    assert _compare_link(first).count() == 0


def test_the_pair_page_passes_axe_and_fits_a_phone(page):
    sign_in(page, "worker2")
    page.get_by_role("link", name=re.compile("agreement over time")).click()
    page.wait_for_url(re.compile(r"/pairs/\d+$"))
    assert page.get_by_role("heading", name="Pair: worker1 & worker2").is_visible()
    assert re.search(r"\d+%\s+agreement on markers", _main_text(page))
    for summary in page.locator("details summary").all():
        summary.click()
    assert page.locator("table.agreement").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _screenshot(page, "pair")
    _assert_axe_clean(page)
