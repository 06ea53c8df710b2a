"""Searching from the navigation bar, in Chromium, on a desktop and on a phone."""

import re

from playwright.sync_api import expect

from tests.browser import BROWSER, open_tab, snap

pytestmark = BROWSER


def test_a_reader_searches_from_the_navigation_bar_and_sees_marked_results(
    live_server, seeded_article, tab
):
    tab.goto(live_server.url + seeded_article.get_absolute_url())
    tab.get_by_role("searchbox", name="Search articles and comments").first.fill("Syria")
    tab.get_by_role("searchbox", name="Search articles and comments").first.press("Enter")

    expect(tab.locator(".search-count")).to_contain_text("for “Syria”")
    expect(tab.locator(".search-hit").first.locator("mark").first).to_have_text("Syria")
    snap(tab, "search-desktop")
    tab.locator(".search-hit-comment a.search-hit-link").first.click()
    # The permalink redirects to the comment in its thread.
    thread = re.escape(live_server.url + seeded_article.get_absolute_url())
    expect(tab).to_have_url(re.compile(rf"{thread}#comment-\d+$"))


def test_on_a_phone_in_dark_mode_search_results_fit_the_screen(
    live_server, seeded_article, browser
):
    context, tab, refused = open_tab(
        browser,
        viewport={"width": 390, "height": 844},
        color_scheme="dark",
        has_touch=True,
        is_mobile=True,
    )
    tab.goto(f"{live_server.url}/search/?q=Syria+Iraq")

    expect(tab.locator(".search-hit").first).to_be_visible()
    assert tab.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    snap(tab, "search-phone-dark")
    context.close()
    assert refused == []
