"""A comment joining a followed discussion's notification while its email is being
taken for sending is never lost from the email. PostgreSQL only: that is where a
publisher and a mail worker really run at once (SQLite writes one at a time)."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections, transaction

from comments import services
from comments.threads import visits
from notifications.delivery import send_one
from notifications.models import Notification

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "a publisher racing the mail worker needs PostgreSQL (DATABASE_URL=postgres://...)"
        )


def test_a_comment_joining_while_the_email_is_taken_is_in_that_email(
    postgres_only, transactional_db, settings, article, ana, bob
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    visits.follow(user=ana, article=article)
    services.comment_create(article=article, author=bob, body="Before the race.")
    notification = Notification.objects.get(recipient=ana)
    joined, release, sent = threading.Event(), threading.Event(), threading.Event()
    outcome: list[str] = []

    def publish() -> None:
        try:
            with transaction.atomic():
                services.comment_create(article=article, author=bob, body="Joined in the race.")
                joined.set()
                release.wait(10)  # the notification's row stays locked until this commits
        finally:
            connections.close_all()

    def send() -> None:
        try:
            joined.wait(10)
            outcome.append(send_one(notification.pk)[0])
            sent.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish), threading.Thread(target=send)]
    for each in threads:
        each.start()
    assert joined.wait(10)
    assert not sent.wait(0.5)  # taking it for mail waits for the publisher's commit
    release.set()
    for each in threads:
        each.join(20)
    assert outcome == ["sent"]
    [message] = mail.outbox
    assert message.subject == "2 new comments on “A quiet week in the valley”"
    assert "Joined in the race." in message.body
    assert Notification.objects.filter(recipient=ana).count() == 1
