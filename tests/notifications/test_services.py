"""Who is told of what: replies and mentions, once, never of their own or held words."""

import pytest
from django.contrib.auth import get_user_model

from comments import services
from comments.models import Comment
from notifications.models import Notification, ThreadMute
from notifications.services import mute_thread, notify_published, unread_count

pytestmark = pytest.mark.django_db


def told(user) -> list[tuple[str, str]]:
    return [
        (n.kind, n.comment.body) for n in Notification.objects.filter(recipient=user).order_by("pk")
    ]


def test_a_reply_tells_the_author_of_the_comment_it_answers(article, ana, bob):
    question = services.comment_create(article=article, author=ana, body="Is it open?")
    services.comment_create(article=article, parent=question, author=bob, body="It is.")
    assert told(ana) == [("reply", "It is.")]
    assert told(bob) == []
    assert unread_count(ana) == 1


def test_nobody_is_told_of_their_own_reply_or_their_own_mention(article, ana):
    question = services.comment_create(article=article, author=ana, body="Is it open?")
    services.comment_create(article=article, parent=question, author=ana, body="@ana, yes.")
    assert told(ana) == []


def test_a_mention_tells_the_reader_named_and_links_to_their_profile(article, ana, bob):
    comment = services.comment_create(article=article, author=bob, body="What do you think, @ana?")
    assert told(ana) == [("mention", "What do you think, @ana?")]
    assert f'<a href="{ana.get_absolute_url()}" rel="nofollow ugc noopener">@ana</a>' in (
        comment.body_html
    )


def test_a_mention_of_nobody_or_inside_code_tells_nobody_and_stays_text(article, ana, bob):
    comment = services.comment_create(
        article=article, author=bob, body="Ask `@ana` or @nobody; mail ana@example.com"
    )
    assert told(ana) == []
    assert "<a" not in comment.body_html


def test_a_reply_that_also_mentions_its_parent_author_tells_them_once(article, ana, bob):
    question = services.comment_create(article=article, author=ana, body="Is it open?")
    services.comment_create(article=article, parent=question, author=bob, body="@ana it is.")
    assert told(ana) == [("reply", "@ana it is.")]


def test_a_held_comment_tells_nobody_until_a_moderator_approves_it(
    settings, article, ana, bob, moderator
):
    question = services.comment_create(article=article, author=ana, body="Is it open?")
    settings.FORUM_MODERATION = "pre"
    answer = services.comment_create(article=article, parent=question, author=bob, body="Yes.")
    assert answer.status == Comment.Status.PENDING
    assert told(ana) == []
    services.comments_approve(comments=[answer], by=moderator)
    assert told(ana) == [("reply", "Yes.")]
    # Approving again (or restoring later) tells nobody twice.
    services.comments_approve(comments=[answer], by=moderator)
    assert len(told(ana)) == 1


def test_a_removed_reply_leaves_the_inbox_and_the_count(article, ana, bob, moderator):
    question = services.comment_create(article=article, author=ana, body="Is it open?")
    answer = services.comment_create(article=article, parent=question, author=bob, body="Spam!")
    assert unread_count(ana) == 1
    services.comments_remove(comments=[answer], by=moderator, reason="spam")
    assert unread_count(ana) == 0
    assert not Notification.objects.for_inbox(ana).exists()


def test_an_edit_that_adds_a_mention_tells_only_the_newly_mentioned(article, ana, bob):
    carl = get_user_model().objects.create_user("carl", password="a-long-passphrase-6")
    comment = services.comment_create(article=article, author=bob, body="Hello @ana")
    services.comment_edit(comment=comment, by=bob, body="Hello @ana and @carl")
    assert [kind for kind, _ in told(ana)] == ["mention"]
    assert [kind for kind, _ in told(carl)] == ["mention"]


def test_a_muted_thread_tells_nothing_more(article, ana, bob):
    question = services.comment_create(article=article, author=ana, body="Is it open?")
    first = services.comment_create(article=article, parent=question, author=bob, body="Yes.")
    mute_thread(user=ana, comment=first)
    assert ThreadMute.objects.get(user=ana).thread == question
    services.comment_create(article=article, parent=question, author=bob, body="Still yes.")
    services.comment_create(article=article, author=bob, body="New thread, @ana")
    assert [body for _, body in told(ana)] == ["Yes.", "New thread, @ana"]


def test_an_inactive_account_is_not_told(article, ana, bob):
    question = services.comment_create(article=article, author=ana, body="Is it open?")
    get_user_model().objects.filter(pk=ana.pk).update(is_active=False)
    services.comment_create(article=article, parent=question, author=bob, body="Yes.")
    assert told(ana) == []


def test_notifying_many_approved_comments_costs_a_fixed_number_of_queries(
    article, ana, bob, django_assert_num_queries
):
    question = services.comment_create(article=article, author=ana, body="Is it open?")
    replies = [
        Comment.objects.create(
            article=article,
            parent=question,
            author=bob,
            author_name="bob",
            body=f"Reply {n} to @ana",
            tree_id=question.tree_id,
            lft=0,
            rght=0,
            level=1,
            created=question.created,
        )
        for n in range(5)
    ]
    # parents, usernames, followers, told before, roots, mutes, preferences, active
    # accounts, insert
    with django_assert_num_queries(9):
        notify_published(replies)
    assert len(told(ana)) == 5
