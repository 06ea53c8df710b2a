"""FORUM_GUEST_TRUST=approved-before: a guest whose comment under the same address was
approved is published at once, as WordPress's "comment author must have a previously
approved comment"; every other guest comment waits for a moderator."""

import pytest
from django.test import Client

from comments import services
from comments.models import Comment
from tests.guests import create_url, post_as_guest
from tests.pages import comment_element, page


@pytest.fixture
def guests_held(settings):
    settings.FORUM_GUEST_COMMENTS = "held"
    return settings


@pytest.fixture
def trusted_guests(guests_held):
    guests_held.FORUM_GUEST_TRUST = "approved-before"
    return guests_held


def approve(comment, moderator):
    services.comments_approve(comments=[comment], by=moderator)


def test_a_guest_with_an_approved_comment_under_the_same_address_is_published_at_once(
    client, article, moderator, trusted_guests
):
    post_as_guest(client, create_url(article))
    first = Comment.objects.get()
    assert first.status == "pending"
    post_as_guest(client, create_url(article), body="Still waiting?", ip="10.0.0.9")
    assert Comment.objects.get(body="Still waiting?").status == "pending"

    approve(first, moderator)
    another_browser = Client()
    returning = post_as_guest(
        another_browser, create_url(article), email=" NIZAM@example.COM", body="Back again."
    )

    comment = Comment.objects.get(body="Back again.")
    assert comment.status == "published"
    landed = page(another_browser.get(returning["Location"]))
    assert "Your comment is posted." in landed.select_one("#messages").get_text()
    assert comment_element(page(Client().get(article.get_absolute_url())), comment) is not None


def test_trust_does_not_carry_across_addresses(client, article, moderator, trusted_guests):
    post_as_guest(client, create_url(article))
    approve(Comment.objects.get(), moderator)

    post_as_guest(client, create_url(article), email="someone-else@example.com", body="New me")

    assert Comment.objects.get(body="New me").status == "pending"


@pytest.mark.parametrize(
    "trust, moderation", [("none", "post"), ("approved-before", "pre")], ids=["no trust", "pre"]
)
def test_without_trust_or_under_pre_moderation_every_guest_comment_is_held(
    client, article, moderator, guests_held, trust, moderation
):
    guests_held.FORUM_GUEST_TRUST = trust
    guests_held.FORUM_MODERATION = moderation
    post_as_guest(client, create_url(article))
    approve(Comment.objects.get(), moderator)

    post_as_guest(client, create_url(article), body="Second")

    assert Comment.objects.get(body="Second").status == "pending"


def test_a_removed_comment_earns_no_trust(client, article, moderator, trusted_guests):
    post_as_guest(client, create_url(article))
    first = Comment.objects.get()
    approve(first, moderator)
    services.comments_remove(comments=[first], by=moderator, reason="Spam after all")

    post_as_guest(client, create_url(article), body="Let me in")

    assert Comment.objects.get(body="Let me in").status == "pending"


def test_the_hint_says_when_trust_applies(client, article, trusted_guests):
    form = page(client.get(article.get_absolute_url())).find("form", id="comment-form")
    assert "Once one of your comments is approved" in form.select_one(".guest-hint").get_text()
