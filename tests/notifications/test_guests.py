"""A guest's reply or mention tells the reader it concerns once it is published, as
anyone's does; an imported comment tells nobody."""

import pytest

from comments import services
from comments.models import Comment
from notifications.models import Notification
from notifications.services import notify_published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _guests_held(settings):
    settings.FORUM_GUEST_COMMENTS = "held"


def told(user) -> list[tuple[str, str]]:
    return [
        (n.kind, n.comment.body) for n in Notification.objects.filter(recipient=user).order_by("pk")
    ]


def as_guest(article, *, body: str, parent=None, email: str = "guest@example.com") -> Comment:
    return services.comment_create_as_guest(
        article=article, parent=parent, name="A Guest", email=email, body=body, ip="10.1.2.3"
    )


def test_a_guests_reply_tells_the_parents_author_once_a_moderator_approves_it(
    article, ana, moderator
):
    question = services.comment_create(article=article, author=ana, body="Is it open?")
    answer = as_guest(article, parent=question, body="It is, said a guest.")
    assert answer.status == Comment.Status.PENDING
    assert told(ana) == []

    services.comments_approve(comments=[answer], by=moderator)

    assert told(ana) == [("reply", "It is, said a guest.")]


def test_a_trusted_guests_reply_and_mention_tell_at_once(settings, article, ana, bob, moderator):
    settings.FORUM_GUEST_TRUST = "approved-before"
    services.comments_approve(comments=[as_guest(article, body="Hello")], by=moderator)
    question = services.comment_create(article=article, author=ana, body="Is it open?")

    as_guest(article, parent=question, body="Yes, ask @bob")

    assert told(ana) == [("reply", "Yes, ask @bob")]
    assert told(bob) == [("mention", "Yes, ask @bob")]


def test_a_reply_to_a_guest_tells_nobody(article, ana, moderator):
    guest = as_guest(article, body="A guest asks")
    services.comments_approve(comments=[guest], by=moderator)

    services.comment_create(article=article, parent=guest, author=ana, body="Ana answers")

    assert Notification.objects.count() == 0


def test_an_imported_comment_tells_nobody(article, ana):
    question = services.comment_create(article=article, author=ana, body="Is it open?")
    imported = Comment(
        article=article,
        parent=question,
        author_name="RichardD",
        body="It is, @ana",
        imported=True,
        tree_id=question.tree_id,
        level=1,
        created=question.created,
    )

    assert notify_published([imported]) == []
    assert told(ana) == []
