"""Moderation that follows the tree or the author: approving a comment with its held
replies, removing a comment with its replies, removing everything a spammer wrote."""

import pytest

from comments import services
from comments.models import Comment, ModerationAction, Report
from tests.comments.moderation.changelist import CHANGELIST, hold, messages_of, select
from tests.pages import page
from tests.trees import assert_valid_trees

Status = Comment.Status


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


def test_approve_with_held_replies_approves_the_held_comments_of_the_subtree(
    moderator_client, moderator, thread
):
    hold(thread["root"], thread["deep"], thread["second"])

    done = moderator_client.post(
        CHANGELIST, select("approve_subtrees", [thread["root"]]), follow=True
    )

    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses == {
        "Root": "published",
        "Reply": "published",
        "Deep": "published",
        "Second root": "pending",  # another thread
    }
    logged = ModerationAction.objects.filter(kind="approve_subtree", actor=moderator)
    assert set(logged.values_list("comment", flat=True)) == {thread["root"].pk, thread["deep"].pk}
    assert messages_of(done) == [
        (
            "success",
            f"Approved 2 comments (the selected and their held replies): "
            f"#{thread['root'].pk} by reader, #{thread['deep'].pk} by reader.",
        )
    ]


def test_approve_with_held_replies_says_so_when_nothing_was_held(moderator_client, thread):
    done = moderator_client.post(
        CHANGELIST, select("approve_subtrees", [thread["root"]]), follow=True
    )
    assert messages_of(done) == [
        (
            "warning",
            "Approved nothing: nothing in the selected comments or their replies is held.",
        )
    ]


def test_remove_with_replies_removes_the_whole_subtree(moderator_client, thread):
    moderator_client.post(
        CHANGELIST,
        select("remove_subtrees", [thread["root"]], apply="1", reason="Flame war"),
    )

    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses == {
        "Root": "removed",
        "Reply": "removed",
        "Deep": "removed",
        "Second root": "published",
    }
    assert ModerationAction.objects.filter(kind="remove_subtree", reason="Flame war").count() == 3


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


@pytest.fixture
def spammer(django_user_model):
    return django_user_model.objects.create_user("spammer", password="a-long-passphrase")


def test_remove_every_comment_by_these_authors_asks_then_cleans_up_the_whole_site(
    moderator_client, moderator, thread, other_article, article, spammer, reader
):
    spam = [
        services.comment_create(article=article, author=spammer, body="Buy pills"),
        services.comment_create(
            article=article, parent=thread["reply"], author=spammer, body="Cheap pills"
        ),
        services.comment_create(article=other_article, author=spammer, body="Pills elsewhere"),
    ]
    held = services.comment_create(article=other_article, author=spammer, body="More pills")
    hold(held)
    withdrawn = services.comment_create(article=article, author=spammer, body="Oops")
    services.comment_delete(comment=withdrawn, by=spammer)

    asked = moderator_client.post(CHANGELIST, select("remove_by_authors", [spam[0]]))

    assert asked.status_code == 200
    listed = [li.get_text() for li in page(asked).select(".action-authors li")]
    assert listed == ["spammer: 4 comments"]
    assert not Comment.objects.filter(status=Status.REMOVED).exists()

    done = moderator_client.post(
        CHANGELIST,
        select("remove_by_authors", [spam[0]], apply="1", reason="Pill spam"),
        follow=True,
    )

    removed = set(Comment.objects.filter(status=Status.REMOVED))
    assert removed == {*spam, held}
    withdrawn.refresh_from_db()
    assert withdrawn.status == Status.DELETED
    assert not Comment.objects.filter(author=reader, status=Status.REMOVED).exists()
    log = ModerationAction.objects.filter(kind="remove_author")
    assert sorted(log.values_list("comment", flat=True)) == sorted(c.pk for c in removed)
    assert {(e.actor, e.reason, e.user) for e in log} == {(moderator, "Pill spam", spammer)}
    (message,) = messages_of(done)
    assert message[0] == "success"
    named = ", ".join(f"#{c.pk} by spammer" for c in sorted(removed, key=lambda c: c.pk))
    assert message[1] == f"Removed 4 comments by spammer: {named}."


def test_remove_every_comment_by_an_imported_author_warns_that_there_is_no_account(
    moderator_client, seeded_article
):
    imported = Comment.objects.filter(article=seeded_article).first()

    done = moderator_client.post(
        CHANGELIST, select("remove_by_authors", [imported], apply="1", reason="x"), follow=True
    )

    assert messages_of(done) == [("warning", "Removed nothing: 1 imported comment has no account.")]
    assert not Comment.objects.filter(status=Status.REMOVED).exists()
