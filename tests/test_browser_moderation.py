"""Moderating from the thread in Chromium: in place with JavaScript, through small
confirmation pages without it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments import services
from comments.models import Comment
from tests.browser import BROWSER, snap

pytestmark = BROWSER
PASSWORD = "a-long-passphrase-3"  # the moderator fixture's


def log_in(tab, live_server, next_url: str) -> None:
    tab.goto(f"{live_server.url}{reverse('account_login')}?next={next_url}")
    tab.locator("#id_login").fill("moderator")
    tab.locator("#id_password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()


@pytest.fixture
def discussion(settings, article, reader, other_reader):
    question = services.comment_create(article=article, author=reader, body="Is it open?")
    answer = services.comment_create(
        article=article, parent=question, author=other_reader, body="Buy cheap pills here"
    )
    settings.FORUM_MODERATION = "pre"
    held = services.comment_create(
        article=article, parent=question, author=other_reader, body="Yes"
    )
    settings.FORUM_MODERATION = "post"
    return {"question": question, "spam": answer, "held": held}


def test_a_moderator_approves_and_removes_in_place(
    live_server, transactional_db, moderator, discussion, article, tab
):
    log_in(tab, live_server, article.get_absolute_url())
    held = tab.locator(f"#comment-{discussion['held'].pk}")
    expect(held.locator(".comment-badge")).to_have_text("awaiting moderation")
    held.get_by_role("link", name="Approve the comment by other").click()
    held.get_by_role("button", name="Approve").click()
    expect(held.get_by_role("status")).to_have_text("Comment approved.")
    expect(held.locator(".comment-badge")).to_have_count(0)
    assert Comment.objects.get(pk=discussion["held"].pk).status == Comment.Status.PUBLISHED

    spam = tab.locator(f"#comment-{discussion['spam'].pk}")
    spam.get_by_role("link", name="Remove the comment by other").click()
    spam.get_by_label("Reason (for moderators)").fill("spam")
    spam.get_by_role("button", name="Remove").click()
    expect(spam.locator(".comment-removal")).to_have_text("Removed by moderator: spam")
    expect(spam.get_by_role("link", name="Restore the comment by other")).to_be_visible()
    assert tab.url.endswith(article.get_absolute_url())  # never left the page
    snap(tab, "thread-moderation")


def test_without_javascript_each_action_is_a_small_confirmation_page(
    settings, live_server, transactional_db, moderator, discussion, article, scriptless_tab
):
    settings.FORUM_PUBLIC_MODLOG = "on"
    tab = scriptless_tab
    log_in(tab, live_server, article.get_absolute_url())
    tab.locator(f"#comment-{discussion['spam'].pk}").get_by_role(
        "link", name="Remove the comment by other"
    ).click()
    expect(tab.get_by_role("heading", name="Remove this comment?")).to_be_visible()
    snap(tab, "moderate-confirm")
    # The browser itself asks for a reason before sending (the server asks again).
    expect(tab.get_by_label("Reason (for moderators)")).to_have_attribute("required", "")
    tab.get_by_label("Reason (for moderators)").fill("spam")
    tab.get_by_role("button", name="Remove").click()
    expect(tab).to_have_url(re.compile(f"#comment-{discussion['spam'].pk}$"))
    expect(tab.locator(f"#comment-{discussion['spam'].pk} .comment-removal")).to_have_text(
        "Removed by moderator: spam"
    )
    tab.goto(f"{live_server.url}{reverse('comments:modlog')}")
    expect(tab.locator("table.modlog tbody tr")).to_have_count(1)
    snap(tab, "modlog")
