"""An author edits their comment within the edit window and deletes it after a
confirmation; nobody else may. An edit keeps a revision, a held comment stays held
with the text the moderators saw, and a moderator's removal is final."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment, ModerationAction, Revision
from tests.factories import establish
from tests.pages import card_of, comment_element, page

Status = Comment.Status


def url(name: str, comment) -> str:
    return reverse(f"comments:{name}", kwargs={"pk": comment.pk})


def edit_url(comment) -> str:
    return reverse("comments:comment-edit", kwargs={"pk": comment.pk})


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
    card = card_of(comment_element(page_links, thread["root"])).select_one(":scope > footer")
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


def test_a_plain_edit_under_post_moderation_stays_published_and_keeps_a_revision(article, reader):
    comment = services.comment_create(article=article, author=reader, body="Frist")
    services.comment_edit(comment=comment, by=reader, body="First")

    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Status.PUBLISHED, "First")
    assert comment.revisions.get().body == "Frist"


def test_under_pre_moderation_an_approved_comment_edited_into_spam_is_held_again(
    article, reader, moderator, settings
):
    settings.FORUM_MODERATION = "pre"
    comment = services.comment_create(article=article, author=reader, body="A fair point.")
    services.comments_approve(comments=[comment], by=moderator)

    services.comment_edit(comment=comment, by=reader, body="BUY CHEAP PILLS")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert Comment.objects.filter(article=article).published().count() == 0


def test_a_held_comment_keeps_the_text_the_moderators_saw(article, reader, other_reader, settings):
    settings.FORUM_REPORTS_TO_HOLD = 1
    comment = services.comment_create(article=article, author=reader, body="You are all idiots")
    services.comment_report(comment=comment, reporter=establish(other_reader), reason="abuse")
    comment.refresh_from_db()
    assert comment.status == Status.PENDING

    services.comment_edit(comment=comment, by=reader, body="What a polite discussion.")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert list(Revision.objects.filter(comment=comment).values_list("body", flat=True)) == [
        "You are all idiots"
    ]
    entry = ModerationAction.objects.get(comment=comment, kind=ModerationAction.Kind.EDIT)
    assert entry.actor == reader


def test_an_author_cannot_delete_or_edit_a_comment_a_moderator_removed(
    reader_client, article, reader, moderator
):
    comment = services.comment_create(article=article, author=reader, body="Over the line")
    services.comments_remove(comments=[comment], by=moderator, reason="Abuse")

    with pytest.raises(PermissionDenied, match="A moderator removed this comment"):
        services.comment_delete(comment=comment, by=reader)
    delete_url = reverse("comments:comment-delete", kwargs={"pk": comment.pk})
    refused = reader_client.post(delete_url)
    edit = reader_client.get(edit_url(comment))

    assert refused.status_code == 403 and edit.status_code == 403
    assert "A moderator removed this comment" in page(refused).get_text()
    assert "A moderator removed this comment" in page(edit).get_text()
    comment.refresh_from_db()
    assert comment.status == Status.REMOVED
