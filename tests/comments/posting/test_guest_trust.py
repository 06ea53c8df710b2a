"""FORUM_GUEST_TRUST=approved-before: a guest whose comment under the same address was
approved is published at once, as WordPress's "comment author must have a previously
approved comment"; every other guest comment waits for a moderator."""

import pytest
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.guests import create_url, post_as_guest
from tests.pages import comment_element, page


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


def test_trust_needs_the_same_name_and_address_together(client, article, moderator, trusted_guests):
    post_as_guest(client, create_url(article))
    approve(Comment.objects.get(), moderator)

    post_as_guest(Client(), create_url(article), name="Someone Else", body="Borrowed address")
    post_as_guest(Client(), create_url(article), name=" nizam OF the valley ", body="Same me")

    assert Comment.objects.get(body="Borrowed address").status == "pending"
    assert Comment.objects.get(body="Same me").status == "published"


@pytest.fixture
def banned_reader(reader, moderator):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=reader, email="reader@example.com", verified=True)
    services.users_ban(users=[reader], by=moderator, reason="Abuse")
    return reader


def test_a_guest_using_a_banned_accounts_address_is_held_though_trusted(
    client, article, moderator, trusted_guests, banned_reader
):
    # The banned reader's address earned trust as a guest before the ban.
    trusted = services.comment_create_as_guest(
        article=article, name="R", email="reader@example.com", body="Old", ip="192.0.2.50"
    )
    approve(trusted, moderator)

    post_as_guest(
        client, create_url(article), name="R", email="READER@example.com", body="Banned, back"
    )

    held = Comment.objects.get(body="Banned, back")
    assert held.status == "pending"
    assert "banned account" in held.moderation_reason


def test_a_guest_from_the_network_address_a_banned_account_last_used_is_held(
    client, article, moderator, trusted_guests, reader
):
    reader_browser = Client(REMOTE_ADDR="198.51.100.7")
    reader_browser.force_login(reader)
    reader_browser.post(
        reverse("comments:comment-create", kwargs={"slug": article.slug}), {"body": "Mine"}
    )
    services.users_ban(users=[reader], by=moderator, reason="Abuse")
    trusted = services.comment_create_as_guest(
        article=article, name="Kim", email="kim@example.com", body="Old", ip="192.0.2.51"
    )
    approve(trusted, moderator)

    post_as_guest(
        client,
        create_url(article),
        name="Kim",
        email="kim@example.com",
        body="Hi",
        ip="198.51.100.7",
    )

    assert Comment.objects.get(body="Hi").status == "pending"


def test_a_banned_accounts_log_in_address_holds_guests_from_it(
    article, moderator, trusted_guests, reader
):
    browser = Client(REMOTE_ADDR="198.51.100.8")
    browser.post(reverse("account_login"), {"login": "reader", "password": "a-long-passphrase-1"})
    assert "_auth_user_id" in browser.session
    services.users_ban(users=[reader], by=moderator, reason="Abuse")
    browser.post(reverse("account_logout"))
    trusted = services.comment_create_as_guest(
        article=article, name="Pat", email="pat@example.com", body="Old", ip="192.0.2.52"
    )
    approve(trusted, moderator)

    post_as_guest(
        browser, create_url(article), name="Pat", email="pat@example.com", body="Anon now"
    )

    assert Comment.objects.get(body="Anon now").status == "pending"
