"""Voting and sorting in Chromium: a vote in place with JavaScript (buttons named for
the comment's author, aria-pressed), the same as plain form posts without it, a
comment folded for its low score, and the sort links."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from comments import services
from comments.threads import ranking
from tests.browser import BROWSER, open_tab, snap
from tests.factories import establish, give_votes, voters
from tests.test_browser_reading import sign_in

pytestmark = BROWSER
CARD = "li#comment-{} > details > article"


@pytest.fixture
def discussion(article, other_reader):
    """Three threads by `other`: the first unvoted, the second liked, the third
    disliked past the threshold (folded); a reply under the first."""
    first = services.comment_create(article=article, author=other_reader, body="First, unvoted.")
    liked = services.comment_create(article=article, author=other_reader, body="Liked by many.")
    sunk = services.comment_create(article=article, author=other_reader, body="Sunk by votes.")
    services.comment_create(article=article, parent=first, author=other_reader, body="A reply.")
    crowd = voters(6)
    give_votes(liked, up=4, crowd=crowd)
    give_votes(sunk, down=6, crowd=crowd)
    return {"first": first, "liked": liked, "sunk": sunk}


def bodies(tab) -> list[str]:
    return tab.locator("ol.comment-thread > li.comment .comment-body").all_inner_texts()


def test_with_javascript_a_vote_happens_in_place_and_is_remembered(
    live_server, transactional_db, article, reader, discussion, tab
):
    establish(reader)
    sign_in(tab, live_server, reader)
    tab.goto(f"{live_server.url}{article.get_absolute_url()}?sort=oldest")
    first = tab.locator(CARD.format(discussion["first"].pk))
    up = first.get_by_role("button", name="Vote up the comment by other")
    down = first.get_by_role("button", name="Vote down the comment by other")
    expect(up).to_have_attribute("aria-pressed", "false")
    url = tab.url

    up.click()
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(first.locator(".points")).to_have_text("1 point")
    assert tab.url == url  # in place: no page load
    down.click()
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(up).to_have_attribute("aria-pressed", "false")
    expect(first.locator(".points")).to_have_text("-1 point")

    tab.reload()
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(tab.locator("#own-votes")).to_have_count(0)  # aria-pressed says it instead
    # From the keyboard: focus the button, press Enter: the vote is taken back.
    down.focus()
    tab.keyboard.press("Enter")
    expect(down).to_have_attribute("aria-pressed", "false")
    expect(first.locator(".points")).to_have_count(0)
    discussion["first"].refresh_from_db()
    assert (discussion["first"].up, discussion["first"].down) == (0, 0)


def test_without_javascript_a_vote_is_a_form_post_back_to_the_same_page(
    live_server, transactional_db, article, reader, discussion, scriptless_tab, monkeypatch
):
    tab = scriptless_tab
    establish(reader)
    sign_in(tab, live_server, reader)
    page = f"{live_server.url}{article.get_absolute_url()}?sort=top"
    tab.goto(page)
    first = tab.locator(CARD.format(discussion["first"].pk))

    first.get_by_role("button", name="Vote up the comment by other").click()

    expect(tab).to_have_url(f"{page}#comment-{discussion['first'].pk}")
    up = first.get_by_role("button", name="Vote up the comment by other")
    assert up.evaluate("b => getComputedStyle(b).fontWeight") == "700"  # shown pressed
    other = tab.locator(CARD.format(discussion["liked"].pk)).get_by_role(
        "button", name="Vote up the comment by other"
    )
    assert other.evaluate("b => getComputedStyle(b).fontWeight") != "700"
    # The cached page's points are at most one period old (comments.threads.ranking):
    # the next period, the page shows the vote's point.
    now = ranking.clock()
    monkeypatch.setattr(ranking, "clock", lambda: now + settings.FORUM_RANK_SECONDS)
    tab.reload()
    expect(first.locator(".points")).to_have_text("1 point")


def test_a_low_scored_comment_is_folded_and_opens_on_demand(
    live_server, transactional_db, article, discussion, browser
):
    context, tab, refused = open_tab(browser)
    sunk = discussion["sunk"]
    tab.goto(f"{live_server.url}{article.get_absolute_url()}")
    fold = tab.locator(f"li#comment-{sunk.pk} > details.fold-low")
    summary = fold.locator(":scope > summary")
    expect(summary).to_have_text(re.compile(r"other · -6 points · comment score below threshold"))
    expect(fold.locator(".comment-body")).to_be_hidden()
    summary.click()
    expect(fold.locator(".comment-body")).to_have_text("Sunk by votes.")

    # A link to the comment opens it.
    tab.goto(f"{live_server.url}{sunk.get_absolute_url()}")
    tab.reload()
    expect(tab.locator(f"li#comment-{sunk.pk} .comment-body")).to_be_visible()
    context.close()
    assert refused == []


def test_sorts_reorder_the_threads_and_say_what_they_mean(
    live_server, transactional_db, article, reader, discussion, tab
):
    establish(reader)
    sign_in(tab, live_server, reader)
    tab.goto(f"{live_server.url}{article.get_absolute_url()}")

    sorts = tab.get_by_role("navigation", name="Sort comments")
    expect(sorts.locator("[aria-current=true]")).to_have_text("Best")
    expect(tab.locator(".comment-body").first).to_have_text("Liked by many.")
    services.comment_vote(comment=discussion["liked"], voter=reader, value=1)
    tab.reload()
    snap(tab, "ranked-thread", of=tab.locator("#comments"))

    sorts.get_by_role("link", name="Oldest").click()
    expect(sorts.locator("[aria-current=true]")).to_have_text("Oldest")
    assert bodies(tab)[:2] == ["First, unvoted.", "A reply."]
    sorts.get_by_role("link", name="Controversial").click()
    expect(sorts.locator("[aria-current=true]")).to_have_text("Controversial")
    sorts.get_by_text("What the sorts mean").click()
    expect(sorts.locator("dl")).to_contain_text("Many votes, evenly split between up and down")


def test_the_ranked_thread_on_a_phone_in_dark_mode(
    live_server, transactional_db, article, reader, discussion, browser
):
    context, tab, refused = open_tab(
        browser, viewport={"width": 390, "height": 844}, color_scheme="dark", has_touch=True
    )
    establish(reader)
    sign_in(tab, live_server, reader)
    tab.goto(f"{live_server.url}{article.get_absolute_url()}")
    up = tab.locator(CARD.format(discussion["liked"].pk)).get_by_role(
        "button", name="Vote up the comment by other"
    )
    up.click()
    expect(up).to_have_attribute("aria-pressed", "true")
    box = up.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    snap(tab, "ranked-thread-phone-dark", of=tab.locator("#comments"))
    context.close()
    assert refused == []
