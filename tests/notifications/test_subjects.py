"""Others write the words in a subject line: a commenter's name (a guest's, above all)
and an article's title. They arrive quoted, cut short and on one line, and the From
line stays the forum's own, as a real SMTP server receives them."""

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article
from comments import services
from comments.models import Comment
from notifications.models import Notification
from notifications.subjects import quoted
from tests.mail_server import run_worker

from .conftest import header, with_address

pytestmark = pytest.mark.django_db(transaction=True)
FORUM = "Forum <notifications@forum.test>"


@pytest.fixture(autouse=True)
def _mail_settings(settings):
    settings.FORUM_GUEST_COMMENTS = "held"
    settings.DEFAULT_FROM_EMAIL = FORUM  # as FORUM_EMAIL_FROM sets it


def guest_reply(article, question, moderator, *, name: str) -> Comment:
    """A guest's reply, published by a moderator."""
    answer = services.comment_create_as_guest(
        article=article,
        parent=question,
        name=name,
        email="guest@example.com",
        body="Your account is fine.",
        ip="10.1.2.3",
    )
    services.comments_approve(comments=[answer], by=moderator)
    return answer


def the_message(mail_server, address="ana@example.com"):
    run_worker()
    [message] = mail_server.to(address)
    return message


def test_a_guests_long_name_is_quoted_and_cut_and_never_in_from(
    mail_server, article, question, moderator
):
    guest_reply(article, question, moderator, name="Bartholomew Fitzgerald-Montgomery")
    message = the_message(mail_server)
    assert header(message, "Subject") == (
        "“Bartholomew Fitzg…” replied to you on “A quiet week in the valley”"
    )
    assert message["From"] == FORUM
    assert "Bartholomew" not in str(message["From"])


def test_a_name_stored_before_names_were_checked_cannot_pass_for_the_forum(
    mail_server, article, question, moderator
):
    answer = guest_reply(article, question, moderator, name="A Guest")
    Comment.objects.filter(pk=answer.pk).update(
        author_name="Forum Security Team: your account will be deleted, see http://evil.test"
    )
    message = the_message(mail_server)
    assert header(message, "Subject") == (
        "“Forum Security Te…” replied to you on “A quiet week in the valley”"
    )
    assert message["From"] == FORUM


def test_a_newline_in_a_name_never_reaches_a_header(mail_server, article, question, moderator):
    answer = guest_reply(article, question, moderator, name="A Guest")
    Comment.objects.filter(pk=answer.pk).update(author_name="Eve\r\nBcc: all@example.com")
    message = the_message(mail_server)
    subject = str(message["Subject"])
    assert "\n" not in subject and "\r" not in subject
    assert header(message, "Subject").startswith("“Eve Bcc: all@exam…” replied to you on")
    assert message["Bcc"] is None
    assert Notification.objects.get(comment=answer).email_state == Notification.Email.SENT


def test_a_long_username_and_a_long_title_are_cut(mail_server, bob):
    article = Article.objects.create(
        title="What the valley council decided about the old bridge, the ferry and the road",
        slug="council",
        body="News.",
    )
    imposter = get_user_model().objects.create_user(
        "ForumSecurityTeam.accounts-will-be-deleted", password="a-long-passphrase-9"
    )
    with_address(imposter, "imposter@example.com")
    services.comment_create(article=article, author=imposter, body="Hello @bob")
    message = the_message(mail_server, "bob@example.com")
    assert header(message, "Subject") == (
        "“ForumSecurityTeam…” mentioned you on "
        "“What the valley council decided about the old bridge, the f…”"
    )
    assert message["From"] == FORUM


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("bob", "“bob”"),
        ("Forum Security Team: your account", "“Forum Security Te…”"),
        ("Eve\nBcc: x@evil.test", "“Eve Bcc: x@evil.t…”"),
        ("tab\there\x00and\x1b", "“tab here and”"),
        ("Bob\u202egnp.exe", "“Bobgnp.exe”"),  # a right-to-left override, dropped
        ("“Admin” said", '“"Admin" said”'),
        ("eighteen character", "“eighteen character”"),
        ("nineteen characters", "“nineteen characte…”"),
    ],
)
def test_a_name_in_a_subject_is_quoted_on_one_line_and_at_most_18_characters(text, shown):
    assert quoted(text, limit=18) == shown
