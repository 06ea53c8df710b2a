"""A held comment in a moderator's thread says why it is held and, a guest's, who wrote
it; readers, and the guest's own page, never show a guest's addresses."""

import pytest
from django.test import Client

from comments import policy, services
from tests.factories import establish
from tests.pages import card_of, comment_element, page

pytestmark = pytest.mark.django_db


def notes_of(client, comment) -> dict[str, str]:
    """The moderator's notes on a comment: {class: text}."""
    element = comment_element(page(client.get(comment.article.get_absolute_url())), comment)
    notes = card_of(element).select_one(":scope > .comment-mod")
    if notes is None:
        return {}
    return {
        " ".join(note["class"]): " ".join(note.get_text(" ").split())
        for note in notes.select(":scope > p")
    }


def test_a_comment_held_by_pre_moderation_says_so(moderator_client, thread, reader, settings):
    settings.FORUM_MODERATION = "pre"
    held = services.comment_create(article=thread["root"].article, author=reader, body="First!")

    assert notes_of(moderator_client, held) == {
        "comment-held-reason": f"Held {policy.HELD_PRE_MODERATION}"
    }
    assert notes_of(moderator_client, thread["root"]) == {}  # published: nothing to say


def test_a_new_accounts_held_comment_says_so(moderator_client, article, reader, settings):
    settings.FORUM_NEW_USER_HOLD = 2
    held = services.comment_create(article=article, author=reader, body="Hello")

    assert notes_of(moderator_client, held) == {
        "comment-held-reason": "Held New account: held until a moderator has approved 2 of "
        "its comments."
    }


def test_a_comment_held_after_reports_says_how_many(
    moderator_client, thread, settings, django_user_model
):
    settings.FORUM_REPORTS_TO_HOLD = 2
    for name in ("ana", "bob"):
        reporter = establish(django_user_model.objects.create_user(name, password="long-pass-1"))
        services.comment_report(comment=thread["reply"], reporter=reporter, reason="spam")

    notes = notes_of(moderator_client, thread["reply"])
    assert notes["comment-held-reason"] == "Held Held automatically after 2 reports."


def test_an_edit_of_a_held_comment_says_it_waits_again(moderator_client, article, reader, settings):
    settings.FORUM_MODERATION = "pre"
    held = services.comment_create(article=article, author=reader, body="Draft")
    services.comment_edit(comment=held, by=reader, body="Draft, corrected")

    assert notes_of(moderator_client, held) == {
        "comment-held-reason": f"Held {policy.HELD_WHILE_HELD}"
    }


@pytest.fixture
def guest_held(settings, article):
    settings.FORUM_GUEST_COMMENTS = "held"
    return services.comment_create_as_guest(
        article=article,
        name="Nizam <of the Valley>",
        email="Nizam@Example.com",
        body="A guest's question",
        ip="203.0.113.7",
    )


def test_a_held_guest_comment_shows_moderators_who_wrote_it(moderator_client, guest_held):
    assert notes_of(moderator_client, guest_held) == {
        "comment-held-reason": f"Held {policy.HELD_GUEST}",
        "comment-guest-identity": "Email nizam@example.com IP 203.0.113.7",
    }


def test_a_guests_addresses_reach_no_one_but_moderators(
    client, reader, moderator, guest_held, article
):
    staff = Client()
    staff.force_login(moderator)
    assert "nizam@example.com" in staff.get(article.get_absolute_url()).content.decode()
    signed_in = Client()
    signed_in.force_login(reader)
    for browser in (client, signed_in):
        html = browser.get(article.get_absolute_url()).content.decode().lower()
        assert "nizam@example.com" not in html and "203.0.113.7" not in html
    # Once approved, the addresses are the moderators' business no more on the page.
    services.comments_approve(comments=[guest_held], by=moderator)
    html = staff.get(article.get_absolute_url()).content.decode().lower()
    assert "nizam@example.com" not in html and "203.0.113.7" not in html
