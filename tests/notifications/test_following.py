"""Following a discussion: who is told of its new comments, once each, gathered into
one notification while it waits, and at what cost."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from comments import services
from comments.models import Comment
from comments.threads import visits
from notifications.models import FollowedComment, Notification, Preferences
from notifications.services import (
    mark_comment_read,
    mark_read,
    mute_thread,
    notify_published,
    set_email_preference,
    unread_count,
    unsubscribe,
)

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
EmailState = Notification.Email


def make_reader(name: str):
    return get_user_model().objects.create_user(name, password=f"a-long-passphrase-{name}")


def post(article, author, body: str, parent=None) -> Comment:
    return services.comment_create(article=article, parent=parent, author=author, body=body)


def discussions(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=Kind.FOLLOWED).order_by("pk"))


def told_of(notification: Notification) -> list[str]:
    """The bodies of the comments a followed discussion's notification tells of."""
    return list(
        FollowedComment.objects.filter(notification=notification)
        .order_by("comment__created", "comment_id")
        .values_list("comment__body", flat=True)
    )


def new_count(notification: Notification) -> int:
    return Notification.objects.with_new_counts().get(pk=notification.pk).new_count


@pytest.fixture
def carl(db):
    return make_reader("carl")


@pytest.fixture
def following(article, ana):
    """ana follows the article's discussion."""
    visits.follow(user=ana, article=article)
    return ana


def test_a_follower_is_told_of_a_new_comment_in_the_discussion(article, following, bob):
    comment = post(article, bob, "The bridge reopened today.")
    [notification] = discussions(following)
    assert notification.comment == comment
    assert told_of(notification) == ["The bridge reopened today."]
    assert notification.email_state == EmailState.PENDING
    assert unread_count(following) == 1


def test_the_comments_author_and_readers_who_do_not_follow_are_not_told(
    article, following, bob, carl
):
    post(article, following, "My own comment.")
    post(article, bob, "Bob's comment.")
    assert told_of(discussions(following)[0]) == ["Bob's comment."]
    assert discussions(bob) == discussions(carl) == []


def test_another_articles_comments_tell_nothing(article, other_article, following, bob):
    post(other_article, bob, "Elsewhere.")
    assert discussions(following) == []


def test_comments_join_the_waiting_notification_instead_of_adding_to_the_inbox(
    article, following, bob, carl
):
    first = post(article, bob, "One.")
    post(article, carl, "Two.")
    post(article, bob, "Three.", parent=first)
    [notification] = discussions(following)
    assert notification.comment == first
    assert told_of(notification) == ["One.", "Two.", "Three."]
    assert new_count(notification) == 3
    assert unread_count(following) == 1  # the bell counts it once


def test_once_read_the_next_comment_starts_a_new_notification(article, following, bob):
    post(article, bob, "One.")
    mark_read(user=following)
    post(article, bob, "Two.")
    old, new = discussions(following)
    assert (told_of(old), told_of(new)) == (["One."], ["Two."])
    assert unread_count(following) == 1


def test_once_taken_for_mail_the_next_comment_starts_a_new_notification(article, following, bob):
    post(article, bob, "One.")
    Notification.objects.update(email_state=EmailState.SENT)
    post(article, bob, "Two.")
    assert [told_of(n) for n in discussions(following)] == [["One."], ["Two."]]
    assert unread_count(following) == 2


def test_following_a_permalink_to_any_of_its_comments_reads_it(article, following, bob):
    post(article, bob, "One.")
    second = post(article, bob, "Two.")
    mark_comment_read(user=following, comment=second)
    assert unread_count(following) == 0


def test_a_reply_or_mention_is_told_as_such_and_not_again_as_a_new_comment(
    article, following, bob, carl
):
    question = post(article, following, "Is it open?")
    post(article, bob, "Yes.", parent=question)
    post(article, carl, "Ask @ana.")
    post(article, carl, "Something else.")
    kinds = [
        (n.kind, n.comment.body)
        for n in Notification.objects.filter(recipient=following).order_by("pk")
    ]
    assert kinds == [
        ("reply", "Yes."),
        ("mention", "Ask @ana."),
        ("followed", "Something else."),
    ]
    assert told_of(discussions(following)[0]) == ["Something else."]


def test_a_muted_thread_inactive_account_or_unfollowed_discussion_tells_nothing(
    article, following, bob, carl
):
    thread = post(article, bob, "A thread.")
    mute_thread(user=following, comment=thread)
    post(article, bob, "In the muted thread.", parent=thread)
    assert told_of(discussions(following)[0]) == ["A thread."]

    visits.follow(user=carl, article=article)
    get_user_model().objects.filter(pk=carl.pk).update(is_active=False)
    visits.unfollow(user=following, article=article)
    post(article, bob, "Nobody hears this.")
    assert told_of(discussions(following)[0]) == ["A thread."]
    assert discussions(carl) == []


def test_a_held_comment_tells_followers_once_a_moderator_approves_it(
    settings, article, following, bob, moderator
):
    settings.FORUM_MODERATION = "pre"
    held = post(article, bob, "Waiting for review.")
    assert discussions(following) == []
    services.comments_approve(comments=[held], by=moderator)
    assert told_of(discussions(following)[0]) == ["Waiting for review."]
    services.comments_approve(comments=[held], by=moderator)  # again: nothing more
    assert len(told_of(discussions(following)[0])) == 1


def test_a_held_comment_edited_before_its_approval_tells_followers_when_approved(
    settings, article, following, bob, moderator
):
    settings.FORUM_MODERATION = "pre"
    held = post(article, bob, "Waitng for review.")
    services.comment_edit(comment=held, by=bob, body="Waiting for review.")
    services.comments_approve(comments=[held], by=moderator)
    assert told_of(discussions(following)[0]) == ["Waiting for review."]


def test_an_edit_tells_no_follower(article, ana, bob, carl):
    comment = post(article, bob, "Frist.")
    visits.follow(user=ana, article=article)  # after the comment was posted
    services.comment_edit(comment=comment, by=bob, body="First, @carl.")
    assert discussions(ana) == []
    # The edit still tells whom its new text mentions.
    assert [n.kind for n in Notification.objects.filter(recipient=carl)] == ["mention"]


def test_an_edit_that_mentions_a_follower_told_of_the_comment_tells_them_nothing_more(
    article, following, bob
):
    comment = post(article, bob, "Hello.")
    services.comment_edit(comment=comment, by=bob, body="Hello @ana.")
    assert Notification.objects.filter(recipient=following).count() == 1
    assert told_of(discussions(following)[0]) == ["Hello @ana."]


def test_imported_comments_tell_no_follower(article, following):
    services.comments_import(
        article=article, threads=[services.CommentDraft(author_name="old", body="From 2019.")]
    )
    assert discussions(following) == []


def test_a_guests_comment_tells_followers(settings, article, following, moderator):
    settings.FORUM_GUEST_COMMENTS = "held"
    guest = services.comment_create_as_guest(
        article=article, name="Visitor", email="v@example.com", body="Hi all.", ip="10.0.0.1"
    )
    services.comments_approve(comments=[guest], by=moderator)
    assert told_of(discussions(following)[0]) == ["Hi all."]


def test_a_removed_comment_leaves_the_count_and_the_last_one_removed_the_inbox(
    article, following, bob, moderator
):
    one = post(article, bob, "One.")
    two = post(article, bob, "Two.")
    [notification] = discussions(following)
    services.comments_remove(comments=[one], by=moderator, reason="spam")
    assert new_count(notification) == 1
    assert unread_count(following) == 1
    services.comments_remove(comments=[two], by=moderator, reason="spam")
    assert unread_count(following) == 0
    assert not Notification.objects.for_inbox(following).exists()


def test_each_reader_waits_as_their_email_choice_says(article, following, bob, carl):
    dora = make_reader("dora")
    for reader in (carl, dora):
        visits.follow(user=reader, article=article)
    set_email_preference(user=carl, email=Preferences.Email.DIGEST)
    set_email_preference(user=dora, email=Preferences.Email.OFF)
    post(article, bob, "One.")
    states = {n.recipient: n.email_state for n in Notification.objects.all()}
    assert states == {
        following: EmailState.PENDING,
        carl: EmailState.DIGEST,
        dora: EmailState.NONE,
    }
    assert Preferences.objects.get(user=carl).digest_due is not None


def test_after_a_change_of_email_choice_new_comments_start_a_new_notification(
    article, following, bob
):
    set_email_preference(user=following, email=Preferences.Email.OFF)
    post(article, bob, "While email was off.")
    set_email_preference(user=following, email=Preferences.Email.EACH)
    post(article, bob, "After it was back on.")
    assert [(told_of(n), n.email_state) for n in discussions(following)] == [
        (["While email was off."], EmailState.NONE),
        (["After it was back on."], EmailState.PENDING),
    ]


def test_unsubscribing_keeps_the_notification_in_the_site_and_it_gathers_on(
    article, following, bob
):
    post(article, bob, "One.")
    unsubscribe(user=following)
    post(article, bob, "Two.")
    [notification] = discussions(following)
    assert notification.email_state == EmailState.NONE
    assert told_of(notification) == ["One.", "Two."]


def test_the_database_allows_one_notification_per_comment_and_reader(article, following, bob):
    comment = post(article, bob, "One.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=following, comment=comment, kind=Kind.MENTION)


def followers_of(article, count: int) -> list:
    readers = [make_reader(f"follower{count}x{n}") for n in range(count)]
    for reader in readers:
        visits.follow(user=reader, article=article)
    return readers


def queries_to_publish(article, author, body: str, parent=None) -> int:
    comment = post(article, author, body, parent=parent)  # publishes and notifies once
    Notification.objects.filter(comment=comment).delete()
    FollowedComment.objects.filter(comment=comment).delete()
    with CaptureQueriesContext(connection) as queries:
        notify_published([comment])
    return len(queries)


def test_telling_followers_costs_the_same_queries_for_one_follower_or_twenty(
    article, other_article, ana, bob
):
    question = post(article, ana, "Is it open?")
    other_question = post(other_article, ana, "And here?")
    followers_of(article, 1)
    followers_of(other_article, 20)
    few = queries_to_publish(article, bob, "Yes, @ana.", parent=question)
    many = queries_to_publish(other_article, bob, "Yes here too, @ana.", parent=other_question)
    assert few == many
    assert (
        Notification.objects.filter(comment__article=other_article, kind=Kind.FOLLOWED).count()
        == 20
    )


def test_comments_joining_waiting_notifications_cost_the_same_for_one_follower_or_twenty(
    article, other_article, bob
):
    followers_of(article, 1)
    followers_of(other_article, 20)
    for each in (article, other_article):
        post(each, bob, f"Opening {each.slug}.")
    few = queries_to_publish(article, bob, "More here.")
    many = queries_to_publish(other_article, bob, "More there.")
    assert few == many
    assert FollowedComment.objects.filter(comment__body="More there.").count() == 20


def test_publishing_to_twenty_followers_costs_a_fixed_number_of_queries(
    article, bob, django_assert_num_queries
):
    followers_of(article, 20)
    comment = Comment.objects.create(
        article=article,
        author=bob,
        author_name="bob",
        body="New.",
        tree_id=999,
        lft=1,
        rght=2,
        level=0,
        created=article.created,
    )
    # followers, told before, mutes, preferences, active accounts, waiting
    # notifications, insert notifications, insert their comments
    with django_assert_num_queries(8):
        notify_published([comment])
    assert Notification.objects.filter(kind=Kind.FOLLOWED).count() == 20
