"""From one comment that needs a moderator (held, or with open reports) to the next, in
a moderator's thread, without JavaScript: a link above the thread to the first one on
the page, and on each of them a link to the next."""

import pytest
from django.test import Client

from comments import services
from tests.pages import card_of, comment_element, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(thread, article, reader, other_reader, settings, django_user_model):
    """In page order: the root (published), its reply (reported), the deep reply
    (published), a held reply to the root, the second root (published), a held third
    root."""
    ana = django_user_model.objects.create_user("ana", password="a-long-passphrase")
    services.comment_report(comment=thread["reply"], reporter=ana, reason="spam")
    settings.FORUM_MODERATION = "pre"
    held_reply = services.comment_create(
        article=article, parent=thread["root"], author=other_reader, body="Held reply"
    )
    held_root = services.comment_create(article=article, author=reader, body="Held root")
    settings.FORUM_MODERATION = "post"
    return [thread["reply"], held_reply, held_root]


def nav_of(soup):
    return soup.select_one("#comments nav.attention-nav")


def next_link(soup, comment):
    link = card_of(comment_element(soup, comment)).select_one(".comment-next-attention")
    return link["href"] if link is not None else None


def test_a_link_above_the_thread_leads_to_the_first_comment_that_needs_a_moderator(
    moderator_client, article, waiting
):
    soup = page(moderator_client.get(article.get_absolute_url()))

    nav = nav_of(soup)
    link = nav.select_one("a")
    assert link.get_text() == "Next needing attention"
    assert link["href"] == f"#comment-{waiting[0].pk}"
    assert " ".join(nav.select_one(".attention-count").get_text().split()) == (
        "3 comments on this page need a moderator (key a)"
    )
    # It sits above the thread.
    assert nav.find_next("ol", class_="comment-thread") is not None


def test_each_comment_that_needs_a_moderator_links_to_the_next_one(
    moderator_client, article, thread, waiting
):
    soup = page(moderator_client.get(article.get_absolute_url()))

    assert next_link(soup, waiting[0]) == f"#comment-{waiting[1].pk}"
    assert next_link(soup, waiting[1]) == f"#comment-{waiting[2].pk}"
    assert next_link(soup, waiting[2]) is None  # the last on the page
    for fine in (thread["root"], thread["deep"], thread["second"]):
        assert next_link(soup, fine) is None


def test_the_links_cover_this_page_of_threads_only(moderator_client, article, waiting, settings):
    settings.FORUM_THREADS_PER_PAGE = 1
    first = page(moderator_client.get(article.get_absolute_url()))
    third = page(moderator_client.get(article.get_absolute_url(), {"page": 3}))

    assert nav_of(first).a["href"] == f"#comment-{waiting[0].pk}"
    assert next_link(first, waiting[1]) is None
    assert nav_of(third).a["href"] == f"#comment-{waiting[2].pk}"
    assert nav_of(page(moderator_client.get(article.get_absolute_url(), {"page": 2}))) is None


def test_the_links_go_once_nothing_on_the_page_needs_a_moderator(
    moderator_client, moderator, article, waiting
):
    assert nav_of(page(moderator_client.get(article.get_absolute_url()))) is not None

    services.reports_dismiss(comments=[waiting[0]], by=moderator)
    services.comments_approve(comments=waiting[1:], by=moderator)

    soup = page(moderator_client.get(article.get_absolute_url()))
    assert nav_of(soup) is None
    assert soup.select(".comment-next-attention") == []


def test_readers_never_get_the_way_to_what_needs_a_moderator(
    moderator_client, article, reader, other_reader, waiting
):
    assert nav_of(page(moderator_client.get(article.get_absolute_url()))) is not None
    # other wrote the held reply: their own held comment is shown to them, unmarked.
    for user in (None, reader, other_reader):
        browser = Client()
        if user is not None:
            browser.force_login(user)
        soup = page(browser.get(article.get_absolute_url()))
        assert nav_of(soup) is None
        assert soup.select(".comment-next-attention, .comment-mod") == []
        assert "Next needing attention" not in str(soup)
