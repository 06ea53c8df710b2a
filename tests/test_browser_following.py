"""Following a discussion end to end, in Chromium: two readers follow an article from
its page (one with JavaScript, one without), another reader writes in it, and each
finds the new comments in the bell and the inbox, follows the link to the first of
them in its thread, and stops following from the inbox."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from comments import services
from comments.threads import visits
from tests.browser import BROWSER, snap

pytestmark = BROWSER
PASSWORD = "a-long-passphrase-8"
TITLE = "A quiet week in the valley"


def log_in(tab, site, login: str, next_url: str = "/") -> None:
    tab.goto(f"{site.url}{reverse('account_login')}?next={next_url}")
    tab.locator("#id_login").fill(login)
    tab.locator("#id_password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()


def follows(user, article) -> bool:
    return bool(visits.followed_among(user_id=user.pk, article_ids=[article.pk]))


@pytest.fixture
def readers(db):
    return {
        name: get_user_model().objects.create_user(name, password=PASSWORD)
        for name in ("ana", "bob", "carl")
    }


def follow_from_the_article(tab, site, article, name: str) -> None:
    log_in(tab, site, name, next_url=article.get_absolute_url())
    tab.get_by_role("button", name="Follow this discussion").click()
    expect(tab).to_have_url(re.compile(f"{re.escape(article.get_absolute_url())}#comments$"))
    expect(tab.get_by_text(f"You’re following “{TITLE}”")).to_be_visible()
    expect(tab.get_by_role("button", name="Stop following")).to_be_visible()


def test_readers_follow_a_discussion_see_its_new_comments_and_stop_following(
    live_server, article, readers, tab, scriptless_tab
):
    ana, bob, carl = readers["ana"], readers["bob"], readers["carl"]
    question = services.comment_create(article=article, author=ana, body="Is the bridge open?")

    follow_from_the_article(tab, live_server, article, "ana")
    snap(tab, "follow-discussion")
    follow_from_the_article(scriptless_tab, live_server, article, "carl")
    assert follows(ana, article) and follows(carl, article)

    first = services.comment_create(article=article, author=bob, body="The bridge *reopened*.")
    # A reply tells ana as a reply, once, not also as a new comment in the discussion.
    services.comment_create(article=article, parent=question, author=bob, body="Yes, @ana.")
    services.comment_create(article=article, author=bob, body="Buses run again too.")

    tab.goto(f"{live_server.url}/")
    bell = tab.get_by_role("link", name="Notifications: 2 unread")
    expect(bell).to_be_visible()
    bell.click()
    expect(tab.locator(".notification")).to_have_count(2)
    expect(tab.locator(".notification").first).to_contain_text("bob replied to your comment")
    item = tab.locator(".notification").nth(1)
    expect(item).to_contain_text(f"2 new comments in “{TITLE}”")
    expect(item.get_by_role("button", name="Stop following")).to_be_visible()
    snap(tab, "inbox-following")

    item.get_by_role("link").click()
    expect(tab).to_have_url(re.compile(f"#comment-{first.pk}$"))
    expect(tab.locator(f"#comment-{first.pk} .comment-body").first).to_contain_text(
        "The bridge reopened."
    )
    expect(tab.get_by_role("link", name="Notifications: 1 unread")).to_be_visible()  # the reply

    tab.goto(f"{live_server.url}{reverse('notifications:inbox')}")
    tab.get_by_role("button", name="Stop following").click()
    expect(tab).to_have_url(re.compile(f"{reverse('notifications:inbox')}$"))
    expect(tab.get_by_text(f"You’ve stopped following “{TITLE}”")).to_be_visible()
    expect(tab.get_by_role("button", name="Follow again")).to_be_visible()
    assert not follows(ana, article)

    # Without JavaScript: the same bell, inbox and button.
    scriptless_tab.goto(f"{live_server.url}{reverse('notifications:inbox')}")
    expect(scriptless_tab.get_by_role("link", name="Notifications: 1 unread")).to_be_visible()
    carls = scriptless_tab.locator(".notification").first
    expect(carls).to_contain_text(f"3 new comments in “{TITLE}”")  # the reply was news to him
    carls.get_by_role("button", name="Stop following").click()
    expect(scriptless_tab.get_by_text(f"You’ve stopped following “{TITLE}”")).to_be_visible()
    assert not follows(carl, article)

    services.comment_create(article=article, author=bob, body="Nobody follows now.")
    assert not ana.notifications.filter(comment__body="Nobody follows now.").exists()
