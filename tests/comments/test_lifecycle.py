from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment
from tests.pages import comment_element, page, rendered_outline


def url(name: str, comment) -> str:
    return reverse(f"comments:{name}", kwargs={"slug": comment.article.slug, "pk": comment.pk})


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
    card = tombstone.select_one(":scope > .comment-card")
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

    assert element.select_one(".comment-card").get_text().strip() == "[awaiting moderation]"


def test_the_author_edits_within_the_window_and_the_comment_shows_edited(
    client, thread, article, reader
):
    client.force_login(reader)
    root = thread["root"]

    form = page(client.get(url("comment-edit", root)))
    assert form.find("textarea").get_text().strip() == "Root"
    response = client.post(url("comment-edit", root), {"body": "Root, *revised*"})

    assert response.status_code == 302
    root.refresh_from_db()
    assert root.body == "Root, *revised*"
    assert root.body_html == "<p>Root, <em>revised</em></p>"
    element = comment_element(page(client.get(article.get_absolute_url())), root)
    assert element.select_one(".comment-edited").get_text() == "edited"


def test_editing_after_the_window_is_refused(client, thread, reader, settings):
    settings.FORUM_EDIT_WINDOW = timedelta(minutes=15)
    Comment.objects.filter(pk=thread["root"].pk).update(
        created=timezone.now() - timedelta(minutes=16)
    )
    client.force_login(reader)

    assert client.get(url("comment-edit", thread["root"])).status_code == 403
    assert client.post(url("comment-edit", thread["root"]), {"body": "late"}).status_code == 403
    thread["root"].refresh_from_db()
    assert thread["root"].body == "Root"
    page_links = page(client.get(thread["root"].article.get_absolute_url()))
    card = comment_element(page_links, thread["root"]).select_one(".comment-actions")
    assert "Edit" not in card.get_text() and "Delete" in card.get_text()


def test_the_author_deletes_after_a_confirmation_step(client, thread, reader):
    client.force_login(reader)
    root = thread["root"]

    confirm = client.get(url("comment-delete", root))
    assert confirm.status_code == 200
    assert Comment.objects.get(pk=root.pk).status == "published"

    client.post(url("comment-delete", root))

    assert Comment.objects.get(pk=root.pk).status == "deleted"
    assert Comment.objects.count() == 4


@pytest.mark.parametrize("action", ["comment-edit", "comment-delete"])
def test_someone_elses_comment_cannot_be_edited_or_deleted(client, thread, other_reader, action):
    client.force_login(other_reader)
    root = thread["root"]  # reader's

    assert client.get(url(action, root)).status_code == 404
    assert client.post(url(action, root), {"body": "mine now"}).status_code == 404
    root.refresh_from_db()
    assert (root.body, root.status) == ("Root", "published")


def test_the_edit_and_delete_services_refuse_anyone_but_the_author(thread, other_reader):
    with pytest.raises(PermissionDenied):
        services.comment_edit(comment=thread["root"], by=other_reader, body="x")
    with pytest.raises(PermissionDenied):
        services.comment_delete(comment=thread["root"], by=other_reader)
    thread["root"].refresh_from_db()
    assert (thread["root"].body, thread["root"].status) == ("Root", "published")


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
