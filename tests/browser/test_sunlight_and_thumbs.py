"""Issue 12 defects 6 and 10 on a 390x844 phone with the demo data: a short client page,
borders at 3:1 against their background (WCAG 1.4.11), every link and control at least
44x44 CSS px, and the lead's comparison without sideways scrolling."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from companion.extensions import db
from companion.models import Capture, Client, Debrief, Meeting
from tests.support.browser import PHONE, sign_in_by_session
from tests.support.sections import SECTIONS

SCREEN = PHONE["height"]
axe = Axe()

# Relative luminance and contrast (WCAG 2.2), for a border against the white page.
CONTRAST = """
(selector) => {
  const channel = (c) => { c /= 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = (rgb) => { const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).map(Number);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b); };
  return [...document.querySelectorAll(selector)].filter((el) => el.getClientRects().length)
    .map((el) => { const style = getComputedStyle(el);
      const ratio = 1.05 / (luminance(style.borderTopColor) + 0.05);
      return [el.tagName + "." + el.className, style.borderTopColor,
              Math.round(ratio * 100) / 100]; });
}
"""
# Every visible link and control whose box is under 44x44; a checkbox or radio hidden inside
# its label (a chip, a segment) counts as its label.
SMALL_TARGETS = """
() => [...document.querySelectorAll(
    "a[href], button, summary, select, textarea, input:not([type=hidden]), label:has(input)")]
  .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden")
  .filter((el) => !el.closest(".visually-hidden"))
  .filter((el) => !(el.matches("input[type=checkbox], input[type=radio]") && el.closest("label")))
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.width < 44 || box.height < 44)
  .map(([el, box]) => `${el.tagName} "${(el.innerText || el.value || "").trim().slice(0, 30)}" `
                      + `${Math.round(box.width)}x${Math.round(box.height)}`)
"""


def _ids(live_app):
    """The demo's client ids, and a compared meeting whose ratings are two or more apart (its
    table has the widest cells: "≠ 2 apart")."""
    with live_app.app_context():
        clients = dict(db.session.execute(select(Client.code, Client.id)).all())
        compared = db.session.scalars(
            select(Debrief.meeting_id).join(Meeting, Meeting.id == Debrief.meeting_id)
            .where(Meeting.client_id == clients["K-102"]).order_by(Meeting.held_on.desc()))
        for meeting_id in compared:
            first, second = db.session.scalars(
                select(Capture).where(Capture.meeting_id == meeting_id)).all()
            if any(None not in (a, b) and abs(a - b) >= 2 for a, b in zip(
                    _ratings(first), _ratings(second), strict=True)):
                return clients, meeting_id
    raise AssertionError("the demo has no compared meeting with ratings two apart")


def _ratings(capture):
    return capture.rating_goals, capture.rating_tasks, capture.rating_bond


@pytest.fixture
def worker(context, live_app, live_url):
    sign_in_by_session(context, live_app, live_url, "worker1")
    return context.new_page()


@pytest.fixture
def lead(context, live_app, live_url):
    sign_in_by_session(context, live_app, live_url, "lead1")
    return context.new_page()


def test_the_client_page_is_short_before_you_go_in_first_sections_closed(worker, live_app):
    clients, _ = _ids(live_app)
    heights = {}
    for code in ("K-101", "K-102", "K-103"):
        worker.goto(f"/clients/{clients[code]}")
        heights[code] = worker.evaluate("document.documentElement.scrollHeight")
        assert worker.locator("#now-heading").bounding_box()["y"] < SCREEN / 2
        assert worker.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert max(heights.values()) <= 3.5 * SCREEN, heights  # was 7,000-11,400 px

    worker.locator("#section-meetings > summary").tap()  # a thumb opens a section...
    expect(worker.locator("#timeline")).to_be_visible()  # ...and its body is fetched
    worker.goto(f"/clients/{clients['K-101']}/card/middle")
    more = worker.locator("#more-prompts")
    assert not more.locator(".prompt").first.is_visible()
    assert worker.locator(".donts .prompt").first.is_visible()  # the don'ts stay in view
    more.locator("> summary").tap()
    assert more.locator(".prompt").first.is_visible()
    result = axe.run(worker)
    assert result.violations_count == 0, result.generate_report()


def test_input_chip_and_card_borders_reach_3_to_1_against_white(worker, live_app):
    clients, _ = _ids(live_app)
    found = []
    for section in SECTIONS:  # the page holds only the open section's body
        worker.goto(f"/clients/{clients['K-102']}/{section}")
        found += worker.evaluate(CONTRAST, ".card, .panel, .client-section, .tabs a")
    worker.goto(f"/clients/{clients['K-102']}/capture")
    found += worker.evaluate(CONTRAST, "input:not([type=hidden]), select, textarea, .chip, "
                                       ".segment:not(:has(input:checked))")
    assert len(found) > 20
    weak = [item for item in found if item[2] < 3]
    assert weak == [], weak


def test_every_link_and_control_is_at_least_44_px_for_a_worker(worker, live_app):
    clients, compared = _ids(live_app)
    small = {}
    sections = [f"/clients/{clients['K-102']}/{section}" for section in SECTIONS]
    for path in ("/", *sections, f"/clients/{clients['K-102']}",
                 f"/meetings/{compared}/debrief", "/pairs", "/account"):
        worker.goto(path)
        worker.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        small[path] = worker.evaluate(SMALL_TARGETS)
    worker.goto("/pairs")
    worker.locator("a[href*='/pairs/']").first.click()
    worker.wait_for_url(re.compile(r"/pairs/\d+$"))
    small["pair"] = worker.evaluate(SMALL_TARGETS)
    assert {path: found for path, found in small.items() if found} == {}


def test_the_leads_comparison_fits_390_px_and_its_targets_are_44_px(lead, live_app):
    _, compared = _ids(live_app)
    lead.goto(f"/meetings/{compared}/debrief")
    assert lead.get_by_role("heading", name="Alliance ratings").is_visible()
    assert lead.locator("table.ratings tr.differs").count() >= 1
    assert lead.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert lead.evaluate(SMALL_TARGETS) == []
    result = axe.run(lead)
    assert result.violations_count == 0, result.generate_report()
    lead.goto("/")
    assert lead.evaluate(SMALL_TARGETS) == []
