"""Who sees which comment: a removed or deleted comment stays as a tombstone while its
replies need it and disappears otherwise; a held comment shows to its author and
moderators only."""

import pytest

from comments import services
from comments.models import Comment
from tests.pages import card_of, comment_element, page, rendered_outline

Status = Comment.Status


@pytest.mark.parametrize(
    "status, label",
    [("removed", "[removed]"), ("deleted", "[deleted]")],
    ids=["removed", "deleted"],
)
def test_a_hidden_comment_with_replies_is_a_tombstone_and_replies_keep_their_depth(
    client, thread, article, status, label
):
    Comment.objects.filter(pk=thread["reply"].pk).update(status=status)

    soup = page(client.get(article.get_absolute_url()))

    tombstone = comment_element(soup, thread["reply"])
    card = card_of(tombstone)
    assert card.get_text().strip() == label
    assert card.select_one(".comment-author") is None
    assert "Reply" not in card.get_text().replace(label, "")
    assert rendered_outline(soup) == [
        (0, "reader"),
        (1, label),
        (2, "reader"),
        (0, "other"),
    ]
    assert comment_element(tombstone, thread["deep"]) is not None


def test_a_hidden_comment_without_visible_replies_disappears(client, thread, article):
    Comment.objects.filter(pk=thread["deep"].pk).update(status="deleted")

    soup = page(client.get(article.get_absolute_url()))

    assert comment_element(soup, thread["deep"]) is None
    assert len(soup.select("li.comment")) == 3


def test_a_removed_comment_with_replies_stays_as_a_placeholder(client, thread, moderator, article):
    services.comments_remove(comments=[thread["root"]], by=moderator, reason="Off-topic")

    soup = page(client.get(article.get_absolute_url()))

    root = comment_element(soup, thread["root"])
    card = card_of(root)
    assert card.get_text().strip() == "[removed]"
    assert card.find("a") is None
    assert comment_element(root, thread["deep"]) is not None
    assert soup.find(id="comments-heading").get_text() == "3 comments"


def test_a_removed_comment_without_visible_replies_disappears(client, thread, moderator, article):
    services.comments_remove(
        comments=[thread["reply"], thread["deep"]], by=moderator, reason="Off-topic"
    )

    soup = page(client.get(article.get_absolute_url()))

    assert comment_element(soup, thread["reply"]) is None
    assert comment_element(soup, thread["deep"]) is None
    assert rendered_outline(soup) == [(0, "reader"), (0, "other")]


def test_pending_comments_show_only_to_their_author_and_staff(
    client, thread, article, reader, other_reader, moderator
):
    Comment.objects.filter(pk=thread["second"].pk).update(status="pending")
    second = thread["second"]  # written by other_reader

    def seen_by(user):
        client.logout()
        if user:
            client.force_login(user)
        return comment_element(page(client.get(article.get_absolute_url())), second)

    assert seen_by(None) is None
    assert seen_by(reader) is None
    for viewer in (other_reader, moderator):
        element = seen_by(viewer)
        assert element.select_one(".comment-badge").get_text() == "awaiting moderation"
        assert element.select_one(".comment-body").get_text() == "Second root"


def test_a_pending_comment_with_replies_is_a_tombstone_for_others(client, thread, article):
    Comment.objects.filter(pk=thread["reply"].pk).update(status="pending")

    element = comment_element(page(client.get(article.get_absolute_url())), thread["reply"])

    assert card_of(element).get_text().strip() == "[awaiting moderation]"


def test_staff_without_the_moderation_permission_do_not_see_held_comments(
    client, article, reader, django_user_model, settings
):
    settings.FORUM_MODERATION = "pre"
    held = services.comment_create(article=article, author=reader, body="Waiting")
    clerk = django_user_model.objects.create_user("clerk", password="x-long-passphrase")
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)

    assert "Waiting" not in page(client.get(article.get_absolute_url())).get_text()
    assert held.status == Status.PENDING


def test_the_heading_tells_an_author_their_comment_awaits_moderation(
    reader_client, article, reader, settings
):
    settings.FORUM_MODERATION = "pre"
    services.comment_create(article=article, author=reader, body="Held for now")

    heading = page(reader_client.get(article.get_absolute_url())).find(id="comments-heading")

    assert " ".join(heading.get_text().split()) == "0 comments and 1 awaiting moderation"
