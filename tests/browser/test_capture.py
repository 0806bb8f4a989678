"""Quick capture on a phone: at most 8 taps from home to saved, one record per save, and an
unsent capture survives a reload or a sign-in in between."""

import re
from datetime import timedelta

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.support import team_today
from tests.support.browser import DEMO_PASSWORD, PHONE, sign_in
from tests.support.screens import (
    Taps,
    captures_with_key,
    chip,
    form_key,
    live_sign,
    outbox_names,
    outbox_records,
    rating,
    ready_to_capture,
    settled,
)


def test_a_typical_capture_takes_at_most_eight_actions_from_home_to_saved(page, live_app):
    """Held, three readiness markers, three ratings (two as last time, one moved), a typed next
    step: eight actions, each a tap or one typed field (issue 12, capture cost)."""
    sign_in(page, "worker1")
    act = Taps()
    act(page.get_by_role("link", name="Capture K-102", exact=True))
    ready_to_capture(page)
    assert page.get_by_role("radio", name="Held").is_checked()
    key = form_key(page)
    for label in ("Relaxed, enjoys talking", "More change talk", "Talks about life after"):
        act(chip(page, label))
    act(page.get_by_role("button", name=re.compile(r"^As last time .*goals 5, tasks 4, bond 3")))
    act(rating(page, "Bond", 4))
    act.type(page.get_by_label("Next step"), "Visit the housing office together")
    act(page.get_by_role("button", name="Save"))
    page.get_by_text("Capture saved.").wait_for()
    assert act.count == 8
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    [capture] = captures_with_key(live_app, key)
    assert capture.marks == ["relaxed", "change_talk_up", "life_after_release"]
    assert (capture.rating_goals, capture.rating_tasks, capture.rating_bond) == (5, 4, 4)
    assert capture.next_step == "Visit the housing office together"
    assert capture.attendance == "held" and capture.held_on == team_today()


def test_a_recent_next_step_is_one_tap(page):
    sign_in(page, "worker2")
    page.get_by_role("link", name="Capture K-102", exact=True).click()
    ready_to_capture(page)
    page.get_by_role("button", name="Talk through the housing application").click()
    assert page.get_by_label("Next step").input_value() == "Talk through the housing application"


def test_a_no_show_hides_what_cannot_apply_and_a_switch_back_keeps_the_ticks(page, live_app):
    sign_in(page, "worker1")
    page.get_by_role("link", name="Capture K-101", exact=True).click()
    ready_to_capture(page)
    key = form_key(page)
    chip(page, "Fewer lies").click()
    rating(page, "Goals", 2).click()
    page.locator("label.segment", has_text="No-show").click()
    assert page.locator("#took-place").is_hidden()
    assert page.locator("#not-held-note").is_visible()
    page.locator("label.segment", has_text=re.compile("^Held$")).click()
    assert page.get_by_role("checkbox", name="Fewer lies").is_checked()
    assert rating(page, "Goals", 2).locator("input").is_checked()
    page.locator("label.segment", has_text="No-show").click()
    page.locator("#held_on").fill((team_today() - timedelta(days=400)).isoformat())
    page.get_by_label("Minutes").fill("0")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Capture saved.").wait_for()
    [capture] = captures_with_key(live_app, key)
    assert capture.attendance == "no_show" and capture.marks == []
    assert (capture.rating_goals, capture.rating_tasks, capture.rating_bond) == (None,) * 3


def test_a_chosen_chip_or_segment_shows_a_tick_not_only_a_fill(page):
    sign_in(page, "worker2")
    page.get_by_role("link", name="Capture K-102", exact=True).click()
    ready_to_capture(page)
    before = "(el) => getComputedStyle(el, '::before').content"
    relaxed = chip(page, "Relaxed, enjoys talking")
    assert relaxed.evaluate(before) == "none"
    relaxed.click()
    assert "\u2713" in relaxed.evaluate(before)
    assert "\u2713" in page.locator("label.segment", has_text=re.compile("^Held$")).evaluate(before)
    assert rating(page, "Tasks", 3).evaluate(before) == "none"


def test_errors_are_summarised_with_links_full_width_and_clear_once_fixed(page):
    sign_in(page, "worker1")
    page.get_by_role("link", name="Capture K-103", exact=True).click()
    ready_to_capture(page)
    page.locator("#held_on").fill((team_today() - timedelta(days=1)).isoformat())
    page.evaluate("document.getElementById('capture-form').noValidate = true")
    page.get_by_label("Minutes").fill("900")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    links = summary.get_by_role("link")
    assert links.all_inner_texts() == [
        "Give the length in minutes, 0 to 600.",
        "Say whether this warning sign is still there or gone.",
        "Say whether this warning sign is still there or gone.",
    ]
    result = Axe().run(page)  # the summary, the marked fields and the open warning signs
    assert result.violations_count == 0, result.generate_report()
    form_width = page.locator("#capture-form").bounding_box()["width"]
    message = page.locator("#length_minutes-error")
    assert message.bounding_box()["width"] >= 0.95 * form_width
    assert message.bounding_box()["height"] < 60  # one or two lines, not a word per line
    links.first.click()
    assert page.evaluate("document.activeElement.id") == "length_minutes"
    page.get_by_label("Minutes").fill("60")
    assert message.count() == 0 and links.count() == 2
    for sign in ("Distrust or paranoia", "Hostility or fury"):
        live_sign(page, sign, "Gone").click()
    assert summary.count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_double_tap_on_save_stores_one_capture(page, live_app):
    sign_in(page, "worker1")
    page.get_by_role("link", name="Capture K-101", exact=True).click()
    ready_to_capture(page)
    key = form_key(page)
    chip(page, "Fewer lies").click()
    page.get_by_role("button", name="Save").dblclick()
    page.get_by_text("Capture saved").wait_for()
    page.wait_for_timeout(300)
    assert len(captures_with_key(live_app, key)) == 1


def test_a_double_tap_without_javascript_stores_one_capture(browser, live_url, live_app):
    context = browser.new_context(viewport=PHONE, base_url=live_url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "worker1")
        page.goto(page.url.rstrip("/") + "/")
        page.get_by_role("link", name="Capture K-103", exact=True).click()
        page.wait_for_selector("#capture-form")
        key = form_key(page)
        chip(page, "Distrust or paranoia").click()
        for sign in ("Distrust or paranoia", "Hostility or fury"):  # live since 27 Nov
            live_sign(page, sign, "Still there").click()
        page.get_by_role("button", name="Save").dblclick()
        page.wait_for_url(re.compile(r"/clients/\d+$"))
        page.wait_for_timeout(300)
        assert len(captures_with_key(live_app, key)) == 1
    finally:
        context.close()


def test_a_saved_capture_shows_on_the_client_page(page, live_app):
    sign_in(page, "worker1")
    page.get_by_role("link", name="Capture K-106", exact=True).click()
    ready_to_capture(page)
    key = form_key(page)
    chip(page, "Concrete plans").click()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Back to K-106").click()
    [capture] = captures_with_key(live_app, key)
    page.wait_for_url(f"**/clients/{capture.meeting.client_id}")
    page.locator("#section-meetings > summary").tap()  # the history sits behind a section
    expect(page.locator("#timeline")).to_contain_text(f"{team_today():%-d %b}")  # once fetched


def test_an_unsent_capture_is_restored_after_a_reload_and_cleared_once_saved(page, live_app):
    sign_in(page, "worker2")
    page.get_by_role("link", name="Capture K-105", exact=True).click()
    ready_to_capture(page)
    key = form_key(page)
    chip(page, "Open posture").click()
    chip(page, "Distrust").click()
    page.get_by_label("Short note").fill("Arrived late, settled after ten minutes.")
    page.reload()
    page.get_by_text("Your unsaved entries were restored").wait_for()
    assert page.get_by_role("checkbox", name="More open posture").is_checked()
    assert page.get_by_role("checkbox", name="Distrust or paranoia").is_checked()
    assert page.get_by_label("Short note").input_value().startswith("Arrived late")
    assert page.locator("#note-count").inner_text() == "40 / 500"
    assert form_key(page) == key
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Capture saved.").wait_for()
    assert settled(lambda: outbox_names(page, "d:"), [], page) == []
    assert outbox_names(page, "q:") == []
    [capture] = captures_with_key(live_app, key)
    assert capture.marks == ["open_posture", "distrust"]


def test_a_draft_typed_before_the_offline_code_arrives_is_kept_and_not_overwritten(
        browser, live_url):
    """The offline code loads after the load event: what is typed by then wins over an older
    draft and is kept on the phone as soon as the code arrives."""
    context = browser.new_context(viewport=PHONE, base_url=live_url, is_mobile=True,
                                  has_touch=True, service_workers="block")
    page = context.new_page()
    try:
        sign_in(page, "worker1")
        page.get_by_role("link", name="Capture K-101", exact=True).click()
        page.wait_for_selector("#capture-form[data-outbox-ready]")
        page.get_by_label("Short note").fill("An older draft")
        assert settled(lambda: len(drafts(page)), 1, page) == 1
        old = drafts(page)

        held = []
        context.route("**/static/worker.*.js", lambda route: held.append(route))
        page.reload()  # returns at the load event, which did not wait for the offline code
        assert settled(lambda: len(held), 1, page) == 1
        assert page.evaluate("document.readyState") == "complete"
        assert page.locator("#capture-form[data-outbox-ready]").count() == 0
        chip(page, "Open posture").click()
        page.get_by_label("Short note").fill("Typed before the code came")
        held[0].continue_()
        page.wait_for_selector("#capture-form[data-outbox-ready]")
        assert settled(lambda: drafts(page) != old, True, page)
        assert page.get_by_label("Short note").input_value() == "Typed before the code came"
        assert page.locator("[data-draft-notice]").is_hidden()

        context.unroute("**/static/worker.*.js")
        page.reload()
        page.get_by_text("Your unsaved entries were restored").wait_for()
        assert page.get_by_label("Short note").input_value() == "Typed before the code came"
        assert page.get_by_role("checkbox", name="More open posture").is_checked()
    finally:
        context.close()


def drafts(page):
    """The drafts on the phone as stored (encrypted, so only whether they changed shows)."""
    return [record for name, record in outbox_records(page) if name.startswith("d:")]


def test_a_capture_saved_after_the_session_ended_waits_and_is_sent_after_sign_in(
    page, context, live_app
):
    sign_in(page, "worker2")
    page.get_by_role("link", name="Capture K-104", exact=True).click()
    ready_to_capture(page)
    key = form_key(page)
    chip(page, "Relaxed").click()
    rating(page, "Bond", 3).click()
    context.clear_cookies()  # the session ends while the worker is typing
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/login?next=*")
    assert captures_with_key(live_app, key) == []
    page.get_by_label("Username").fill("worker2")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/capture")
    page.locator("#outbox [data-receipts]").get_by_text("K-104").wait_for()
    [capture] = captures_with_key(live_app, key)
    assert capture.rating_bond == 3 and capture.marks == ["relaxed"]


def test_the_capture_screen_passes_axe_accessibility_checks(page):
    sign_in(page, "worker1")
    axe = Axe()
    result = axe.run(page)
    assert result.violations_count == 0, result.generate_report()
    page.get_by_role("link", name="Capture K-101", exact=True).click()
    ready_to_capture(page)
    page.locator("#practice summary").click()
    result = axe.run(page)
    assert result.violations_count == 0, result.generate_report()
