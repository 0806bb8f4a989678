"""On a phone: open a client, switch card parts without a page load, read why a prompt helps."""

import os
import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.support.browser import sign_in

SCREENSHOTS = os.environ.get("COMPANION_SCREENSHOTS")


def open_first_client(page) -> str:
    sign_in(page, "worker1")
    page.get_by_role("link", name=re.compile(r"^K-101")).click()
    page.wait_for_url(re.compile(r"/clients/\d+$"))
    return page.url


def current_part(page) -> str:
    return page.locator('.part-switcher a[aria-current="page"]').inner_text()


def test_switching_card_parts_swaps_only_the_card_and_back_leaves_the_client(page):
    sign_in(page, "worker1")
    home = page.url
    page.get_by_role("link", name=re.compile(r"^K-101")).click()
    page.wait_for_url(re.compile(r"/clients/\d+$"))
    client_url = page.url
    assert page.get_by_role("heading", name="Before you go in").is_visible()
    assert current_part(page) == "Beginning"
    page.evaluate("window.marker = 1; document.getElementById('brief').marker = 1")

    page.get_by_role("link", name="Middle", exact=True).click()
    page.wait_for_url(client_url + "/card/middle")
    assert current_part(page) == "Middle"
    assert page.locator("#card-title").inner_text().startswith("Middle")
    page.get_by_role("link", name="End", exact=True).click()
    page.wait_for_url(client_url + "/card/end")
    assert current_part(page) == "End"
    assert page.evaluate("window.marker") == 1, "switching parts reloaded the page"
    assert page.evaluate("document.getElementById('brief').marker") == 1, "more than the card"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.go_back()  # the part taps replaced the history entry: one Back leaves the client
    page.wait_for_url(home)


def test_a_part_switch_from_far_down_a_long_card_brings_the_new_cards_top_into_view(page):
    client_url = open_first_client(page)
    page.goto(client_url + "/card/middle")  # a direct link to a part still works
    assert current_part(page) == "Middle"
    page.locator("#card .prompt").last.scroll_into_view_if_needed()
    expect(page.locator("#card-title")).not_to_be_in_viewport()
    page.get_by_role("link", name="End", exact=True).click()
    page.wait_for_url(client_url + "/card/end")
    expect(page.locator("#card-title")).to_have_text(re.compile("^End"))
    expect(page.locator("#card-title")).to_be_in_viewport()
    assert page.locator("#card").bounding_box()["y"] >= -1  # its top, not its middle


def test_tapping_a_prompt_reveals_why_and_source(page):
    open_first_client(page)
    prompt = page.locator("#card .prompt details").first
    why = prompt.locator(".why")
    assert not why.is_visible()
    prompt.locator("summary").tap()
    assert why.is_visible()
    assert re.fullmatch(r"Source: .+ \d{4}", prompt.locator(".source").inner_text())


def test_the_part_switcher_stays_within_thumb_reach(page):
    open_first_client(page)
    switcher = page.locator(".part-switcher")
    box = switcher.bounding_box()
    assert box["y"] + box["height"] <= 844
    for link in switcher.locator("a").all():
        link_box = link.bounding_box()
        assert link_box["height"] >= 44 and link_box["width"] >= 44
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/card.png")
        page.screenshot(path=f"{SCREENSHOTS}/client-page.png", full_page=True)


def test_client_page_and_card_pass_axe_accessibility_checks(page):
    axe = Axe()
    client_url = open_first_client(page)
    result = axe.run(page)
    assert result.violations_count == 0, result.generate_report()
    page.get_by_role("link", name="Afterwards", exact=True).click()
    page.wait_for_url(client_url + "/card/afterwards")
    result = axe.run(page)
    assert result.violations_count == 0, result.generate_report()
    page.goto(client_url + "/card/middle")
    result = axe.run(page)
    assert result.violations_count == 0, result.generate_report()
