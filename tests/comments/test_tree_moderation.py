"""Moderation that follows the tree or the author: approving a comment with its held
replies, removing everything a spammer wrote."""

from comments import services
from comments.models import Comment, ModerationAction, Report
from tests.trees import assert_valid_trees

Status = Comment.Status


def hold(*comments) -> None:
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(status=Status.PENDING)


def test_approving_a_subtree_publishes_its_held_comments_only(thread, moderator, other_reader):
    hold(thread["root"], thread["deep"], thread["second"])
    services.comment_report(comment=thread["reply"], reporter=moderator, reason="spam")

    approved = services.comments_approve_subtree(comments=[thread["reply"]], by=moderator)

    assert approved == [thread["deep"]]
    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses == {
        "Root": "pending",  # above the subtree
        "Reply": "published",
        "Deep": "published",
        "Second root": "pending",
    }
    # The reply was not held, so its report stays for a moderator to decide.
    assert Report.objects.get().state == Report.State.OPEN
    assert list(ModerationAction.objects.values_list("kind", "comment")) == [
        ("approve_subtree", thread["deep"].pk)
    ]
    assert_valid_trees()


def test_removing_by_author_takes_everything_they_wrote_live_on_every_article(
    thread, moderator, reader, other_reader, other_article
):
    elsewhere = services.comment_create(article=other_article, author=reader, body="Elsewhere")
    withdrawn = services.comment_create(article=other_article, author=reader, body="Gone")
    services.comment_delete(comment=withdrawn, by=reader)
    services.comment_report(comment=elsewhere, reporter=other_reader, reason="spam")

    removed = services.comments_remove_by_authors(authors=[reader], by=moderator, reason="Spam")

    assert {c.body for c in removed} == {"Root", "Deep", "Elsewhere"}
    assert dict(Comment.objects.values_list("body", "status")) == {
        "Root": "removed",
        "Reply": "published",
        "Deep": "removed",
        "Second root": "published",
        "Elsewhere": "removed",
        "Gone": "deleted",
    }
    log = ModerationAction.objects.filter(kind="remove_author")
    assert sorted(log.values_list("comment", flat=True)) == sorted(c.pk for c in removed)
    assert log.get(comment=elsewhere).reason == "Spam (1 report resolved)"
