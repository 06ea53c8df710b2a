"""What waits for a moderator before readers see it: every new comment under
pre-moderation, and a new account's comments until enough were approved; never
staff's."""

from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.pages import page


def test_pre_moderation_holds_every_new_comment(reader_client, article, settings):
    settings.FORUM_MODERATION = "pre"

    response = reader_client.post(
        reverse("comments:comment-create", kwargs={"slug": article.slug}), {"body": "Held?"}
    )

    assert Comment.objects.get().status == "pending"
    assert "awaiting moderation" in page(reader_client.get(response["Location"])).get_text()


def post(article, author, body):
    return services.comment_create(article=article, author=author, body=body)


def test_a_new_account_is_held_until_a_moderator_approved_enough_of_its_comments(
    article, reader, moderator, settings
):
    settings.FORUM_NEW_USER_HOLD = 2

    junk = [post(article, reader, f"junk {n}") for n in range(3)]
    assert [c.status for c in junk] == ["pending"] * 3  # held ones do not count

    services.comments_approve(comments=junk[:2], by=moderator)

    assert post(article, reader, "now trusted").status == "published"


def test_deleting_held_comments_does_not_count_toward_the_hold(article, reader, settings):
    settings.FORUM_NEW_USER_HOLD = 2
    for n in range(2):
        services.comment_delete(comment=post(article, reader, f"junk {n}"), by=reader)

    assert post(article, reader, "third").status == "pending"


def test_staff_comments_are_never_held(article, moderator, settings):
    settings.FORUM_MODERATION = "pre"
    assert services.comment_create(article=article, author=moderator, body="hi").status == (
        "published"
    )
