"""Notification email over real SMTP (aiosmtpd), sent by the real task worker."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments import services
from notifications.delivery import send_digest_now
from notifications.models import Notification, Preferences
from notifications.services import set_email_preference
from tests.mail_server import html_part, run_worker, text_part

from .conftest import header, reply, unsubscribe_link, with_address

pytestmark = pytest.mark.django_db(transaction=True)
EmailState = Notification.Email


def test_a_reply_is_mailed_by_the_worker_not_by_the_request(mail_server, article, question, bob):
    answer = reply(article, question, bob)
    assert mail_server.messages == []  # posting queued it; nothing was sent yet
    assert DBTaskResult.objects.count() == 1
    run_worker()
    [message] = mail_server.to("ana@example.com")
    assert header(message, "Subject") == "“bob” replied to you on “A quiet week in the valley”"
    assert message["To"] == "ana@example.com"
    text, html = text_part(message), html_part(message)
    assert "Yes, since Monday. Ask @ana." in text
    assert "<em>Monday</em>" in html  # the same sanitised HTML as on the site
    assert f"http://forum.test{reverse('comments:comment-permalink', args=[answer.pk])}" in text
    unsubscribe = unsubscribe_link(message)
    assert unsubscribe.startswith("http://forum.test/unsubscribe/")
    assert header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert unsubscribe in text and unsubscribe in html
    assert Notification.objects.get(comment=answer).email_state == EmailState.SENT


def test_an_unverified_address_gets_nothing(mail_server, article, bob):
    carl = with_address(
        get_user_model().objects.create_user("carl", password="a-long-passphrase-6"),
        "carl@example.com",
        verified=False,
    )
    question = services.comment_create(article=article, author=carl, body="Anyone?")
    reply(article, question, bob)
    run_worker()
    assert mail_server.messages == []
    assert Notification.objects.get(recipient=carl).email_state == EmailState.NONE


def test_a_reader_whose_account_was_closed_meanwhile_gets_nothing(
    mail_server, article, question, bob, ana
):
    reply(article, question, bob)
    get_user_model().objects.filter(pk=ana.pk).update(is_active=False)

    run_worker()

    assert mail_server.messages == []
    assert Notification.objects.get(recipient=ana).email_state == EmailState.NONE


def test_a_reader_who_turned_email_off_or_read_it_first_gets_nothing(
    mail_server, article, question, bob, ana
):
    set_email_preference(user=ana, email=Preferences.Email.OFF)
    reply(article, question, bob)
    set_email_preference(user=ana, email=Preferences.Email.EACH)
    answer = reply(article, question, bob, body="Read in the site first.")
    Notification.objects.filter(comment=answer).update(read=timezone.now())
    run_worker()
    assert mail_server.messages == []


def test_a_failed_send_is_retried_later_and_the_notification_kept(
    settings, mail_server, article, question, bob, ana
):
    settings.FORUM_EMAIL_RETRY_DELAYS = (0, 0)
    mail_server.busy = 2  # the server answers 421 twice, then takes the message
    answer = reply(article, question, bob)
    run_worker()
    assert len(mail_server.to("ana@example.com")) == 1
    notification = Notification.objects.get(comment=answer)
    assert (notification.email_state, notification.email_attempts) == (EmailState.SENT, 3)


def test_retries_wait_and_back_off(settings, mail_server, article, question, bob):
    settings.FORUM_EMAIL_RETRY_DELAYS = (60, 300)
    mail_server.busy = 1
    before = timezone.now()
    answer = reply(article, question, bob)
    run_worker()  # the first attempt fails; the retry waits a minute
    assert mail_server.messages == []
    waiting = DBTaskResult.objects.filter(status="READY").get()
    assert waiting.run_after >= before + dt.timedelta(seconds=60)
    assert Notification.objects.get(comment=answer).email_state == EmailState.PENDING


def test_a_server_that_is_down_gives_up_after_the_last_retry(
    settings, mail_server, article, question, bob
):
    settings.FORUM_EMAIL_RETRY_DELAYS = (0,)
    mail_server.stop()
    answer = reply(article, question, bob)
    run_worker()
    notification = Notification.objects.get(comment=answer)
    assert (notification.email_state, notification.email_attempts) == (EmailState.FAILED, 2)
    assert Notification.objects.for_inbox(notification.recipient).exists()


def test_a_bounced_address_does_not_stop_the_worker(mail_server, article, question, bob, ana):
    dora = with_address(
        get_user_model().objects.create_user("dora", password="a-long-passphrase-7"),
        "dora@example.com",
    )
    mail_server.refuse_for_good.add("dora@example.com")
    services.comment_create(article=article, author=bob, body="Hello @dora")
    answer = reply(article, question, bob)
    run_worker()
    assert Notification.objects.get(recipient=dora).email_state == EmailState.FAILED
    assert Notification.objects.get(comment=answer).email_state == EmailState.SENT
    assert len(mail_server.to("ana@example.com")) == 1


def test_a_daily_digest_gathers_replies_into_one_message(
    settings, mail_server, article, question, bob, ana
):
    set_email_preference(user=ana, email=Preferences.Email.DIGEST)
    reply(article, question, bob, body="First answer.")
    reply(article, question, bob, body="Second answer.")
    run_worker()
    assert mail_server.messages == []  # the digest waits for its hour
    due = Preferences.objects.get(user=ana).digest_due
    assert due.hour == settings.FORUM_DIGEST_HOUR and due > timezone.now()
    DBTaskResult.objects.update(run_after=timezone.now())  # the hour has come
    run_worker()
    [message] = mail_server.to("ana@example.com")
    assert header(message, "Subject") == "2 new replies and mentions on the forum"
    text = text_part(message)
    assert "First answer." in text and "Second answer." in text
    assert header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}
    assert Preferences.objects.get(user=ana).digest_due is None


def test_account_mail_leaves_from_the_worker_too(mail_server, ana):
    response = Client().post(reverse("account_reset_password"), {"email": "ana@example.com"})
    assert response.status_code == 302
    assert mail_server.messages == []  # queued by the request, not sent by it
    run_worker()
    [message] = mail_server.to("ana@example.com")
    assert "/accounts/password/reset/key/" in text_part(message)


def test_a_digest_costs_the_same_queries_for_two_replies_or_six(
    mail_server, article, question, bob, ana
):
    set_email_preference(user=ana, email=Preferences.Email.DIGEST)
    costs = []
    for count in (2, 6):
        for n in range(count):
            reply(article, question, bob, body=f"Answer {count}-{n}.")
        with CaptureQueriesContext(connection) as queries:
            assert send_digest_now(ana.pk)[0] == EmailState.SENT
        costs.append(len(queries))
    assert costs[0] == costs[1]
    assert len(mail_server.to("ana@example.com")) == 2
