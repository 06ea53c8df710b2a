"""A followed discussion's email, over real SMTP (aiosmtpd) and sent by the real task
worker: at most one per discussion per quarter hour, with what came meanwhile."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments import services
from comments.threads import visits
from notifications.delivery import send_one
from notifications.discussions import BATCH
from notifications.models import Notification, Preferences
from notifications.services import mark_read, set_email_preference
from tests.mail_server import html_part, run_worker, text_part

from .conftest import header, reply, unsubscribe_link

pytestmark = pytest.mark.django_db(transaction=True)
EmailState = Notification.Email
TITLE = "A quiet week in the valley"


@pytest.fixture
def following(article, ana):
    visits.follow(user=ana, article=article)
    return ana


def post(article, author, body: str):
    return services.comment_create(article=article, author=author, body=body)


def quarter_hour_passes() -> None:
    """The batch's time comes: every task waiting for it is due now."""
    waiting = DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now())
    waiting.update(run_after=timezone.now())


def test_comments_within_a_quarter_hour_leave_in_one_email_and_the_next_in_another(
    mail_server, article, following, bob
):
    before = timezone.now()
    first = post(article, bob, "The bridge reopened *today*.")
    post(article, bob, "Buses run again too.")
    post(article, bob, "And the ferry.")
    run_worker()
    assert mail_server.messages == []  # the batch waits for its quarter hour
    [task] = DBTaskResult.objects.filter(status="READY")
    assert before + BATCH <= task.run_after <= timezone.now() + BATCH

    quarter_hour_passes()
    run_worker()
    [message] = mail_server.to("ana@example.com")
    assert header(message, "Subject") == f"3 new comments on “{TITLE}”"
    text, html = text_part(message), html_part(message)
    for words in ("The bridge reopened today.", "Buses run again too.", "And the ferry."):
        assert words in text
    assert "<em>today</em>" in html
    assert f"http://forum.test{reverse('comments:comment-permalink', args=[first.pk])}" in text
    assert "more." not in text  # all three in full
    assert header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert unsubscribe_link(message) in text
    assert Notification.objects.get().email_state == EmailState.SENT

    post(article, bob, "The next quarter hour.")
    post(article, bob, "Still the next quarter hour.")
    run_worker()
    assert len(mail_server.to("ana@example.com")) == 1
    quarter_hour_passes()
    run_worker()
    _, second = mail_server.to("ana@example.com")
    assert header(second, "Subject") == f"2 new comments on “{TITLE}”"
    assert "Still the next quarter hour." in text_part(second)
    assert "The bridge reopened" not in text_part(second)


def test_a_busy_discussion_shows_the_newest_in_full_and_links_the_first(
    mail_server, article, following, bob
):
    comments = [post(article, bob, f"Comment number {n}.") for n in range(1, 6)]
    quarter_hour_passes()
    run_worker()
    [message] = mail_server.to("ana@example.com")
    text = text_part(message)
    assert header(message, "Subject") == f"5 new comments on “{TITLE}”"
    assert "Comment number 1." not in text and "Comment number 2." not in text
    assert all(f"Comment number {n}." in text for n in (3, 4, 5))
    first = f"http://forum.test{reverse('comments:comment-permalink', args=[comments[0].pk])}"
    assert f"…and 2 more. Read them from the first new comment: {first}" in text
    assert "Read them from the first new comment" in html_part(message)


def test_read_in_the_site_meanwhile_it_is_not_mailed(mail_server, article, following, bob):
    post(article, bob, "Seen in the site first.")
    mark_read(user=following)
    quarter_hour_passes()
    run_worker()
    assert mail_server.messages == []
    assert Notification.objects.get().email_state == EmailState.NONE


def test_unfollowed_meanwhile_it_is_not_mailed(mail_server, article, following, bob):
    post(article, bob, "Too late.")
    visits.unfollow(user=following, article=article)
    quarter_hour_passes()
    run_worker()
    assert mail_server.messages == []


def test_a_comment_removed_meanwhile_is_left_out_and_nothing_left_sends_nothing(
    mail_server, article, following, bob, moderator
):
    spam = post(article, bob, "Buy things.")
    post(article, bob, "A real comment.")
    services.comments_remove(comments=[spam], by=moderator, reason="spam")
    quarter_hour_passes()
    run_worker()
    [message] = mail_server.to("ana@example.com")
    assert header(message, "Subject") == f"1 new comment on “{TITLE}”"
    assert "Buy things" not in text_part(message)

    lone = post(article, bob, "More spam.")
    services.comments_remove(comments=[lone], by=moderator, reason="spam")
    quarter_hour_passes()
    run_worker()
    assert len(mail_server.messages) == 1


def test_a_send_to_retry_gathers_what_comes_meanwhile(
    settings, mail_server, article, following, bob
):
    settings.FORUM_EMAIL_RETRY_DELAYS = (60,)
    mail_server.busy = 1
    post(article, bob, "Before the failure.")
    quarter_hour_passes()
    run_worker()  # the server answers 421: back to waiting, a retry in a minute
    assert mail_server.messages == []
    assert Notification.objects.get().email_state == EmailState.PENDING
    post(article, bob, "During the wait.")
    quarter_hour_passes()
    run_worker()
    [message] = mail_server.to("ana@example.com")
    assert header(message, "Subject") == f"2 new comments on “{TITLE}”"
    assert Notification.objects.get().email_state == EmailState.SENT


def test_with_the_digest_a_followed_discussion_joins_it(
    mail_server, article, question, following, bob
):
    set_email_preference(user=following, email=Preferences.Email.DIGEST)
    reply(article, question, bob, body="An answer to you.")
    post(article, bob, "Something for everyone.")
    post(article, bob, "And more.")
    run_worker()
    assert mail_server.messages == []
    DBTaskResult.objects.update(run_after=timezone.now())  # the digest's hour has come
    run_worker()
    [message] = mail_server.to("ana@example.com")
    assert header(message, "Subject") == (
        "1 new reply, and 2 new comments in discussions you follow"
    )
    text = text_part(message)
    assert "An answer to you." in text and "And more." in text
    assert f"2 new comments on “{TITLE}”, a discussion you follow" in text
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}


def test_with_email_off_nothing_is_mailed_and_the_inbox_has_it(
    mail_server, article, following, bob
):
    set_email_preference(user=following, email=Preferences.Email.OFF)
    post(article, bob, "Quietly.")
    quarter_hour_passes()
    run_worker()
    assert mail_server.messages == []
    assert Notification.objects.for_inbox(following).count() == 1


def test_the_emails_stop_following_link_asks_then_stops_and_can_be_undone(
    mail_server, article, following, bob
):
    post(article, bob, "Hello followers.")
    quarter_hour_passes()
    run_worker()
    [message] = mail_server.to("ana@example.com")
    link = next(
        line.split(": ", 1)[1]
        for line in text_part(message).splitlines()
        if line.startswith("Stop following this discussion: ")
    )
    path = link.removeprefix("http://forum.test")
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert "Stop following this discussion?" in page.content.decode()
    assert visits.followed_among(user_id=following.pk, article_ids=[article.pk])
    done = client.post(path)
    assert "Stopped following" in done.content.decode()
    assert not visits.followed_among(user_id=following.pk, article_ids=[article.pk])
    token = path.split("/")[2]
    undo = Client()
    undo.post(reverse("notifications:refollow-by-link", args=[token]))
    assert visits.followed_among(user_id=following.pk, article_ids=[article.pk])
    assert (
        Client().get(reverse("notifications:unfollow-by-link", args=["forged"])).status_code == 404
    )


def test_mailing_a_discussion_costs_the_same_queries_for_two_comments_or_six(
    mail_server, article, following, bob
):
    set_email_preference(user=following, email=Preferences.Email.EACH)  # the row exists
    costs = []
    for count in (2, 6):
        for n in range(count):
            post(article, bob, f"Comment {count}-{n}.")
        notification = Notification.objects.filter(email_state=EmailState.PENDING).get()
        with CaptureQueriesContext(connection) as queries:
            assert send_one(notification.pk)[0] == EmailState.SENT
        costs.append(len(queries))
    assert costs[0] == costs[1]
    assert len(mail_server.to("ana@example.com")) == 2


def test_the_task_waits_a_quarter_hour_from_when_the_notification_was_made(article, following, bob):
    post(article, bob, "Timing.")
    notification = Notification.objects.get()
    [task] = DBTaskResult.objects.all()
    assert task.run_after - notification.created == BATCH
    assert task.run_after - notification.created == dt.timedelta(minutes=15)
