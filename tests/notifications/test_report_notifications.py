"""A reader whose report a moderator acted on is told so in the site, once, by no email,
and without being shown the removed text again."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse

from comments import services
from notifications.models import Notification
from notifications.services import unread_count
from tests.factories import establish
from tests.pages import page

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")


@pytest.fixture
def carl(db):
    return get_user_model().objects.create_user("carl", password="a-long-passphrase-6")


@pytest.fixture
def rude(article, ana, bob):
    """bob's rude reply to ana's question (ana is told of the reply)."""
    question = services.comment_create(article=article, author=ana, body="Is it open?")
    return services.comment_create(
        article=article, parent=question, author=bob, body="Nobody cares, **idiot**."
    )


def report_notices(user):
    return list(Notification.objects.filter(recipient=user, kind="report_acted"))


def test_a_removal_tells_each_reporter_in_the_site_and_mails_nobody(
    rude, ana, carl, moderator, django_capture_on_commit_callbacks
):
    for reporter in (ana, carl):
        services.comment_report(comment=rude, reporter=reporter, reason="abuse")

    with django_capture_on_commit_callbacks() as callbacks:
        services.comments_remove(comments=[rude], by=moderator, reason="Abuse")

    for reporter in (ana, carl):
        (notice,) = report_notices(reporter)
        assert (notice.comment, notice.email_state, notice.read) == (rude, "none", None)
    assert callbacks == []  # no email queued
    assert unread_count(carl) == 1


def test_a_reporter_is_told_beside_the_reply_they_were_told_of(rude, ana, moderator):
    services.comment_report(comment=rude, reporter=ana, reason="abuse")
    services.comments_remove(comments=[rude], by=moderator, reason="Abuse")

    kinds = sorted(Notification.objects.filter(recipient=ana, comment=rude).values_list("kind"))
    assert kinds == [("reply",), ("report_acted",)]
    # The reply left the inbox with the comment; the report's outcome is there.
    assert [n.kind for n in Notification.objects.for_inbox(ana)] == ["report_acted"]


def test_dismissing_or_approving_tells_no_reporter(rude, carl, moderator, settings):
    services.comment_report(comment=rude, reporter=carl, reason="spam")
    services.reports_dismiss(comments=[rude], by=moderator)
    settings.FORUM_REPORTS_TO_HOLD = 1
    dora = establish(get_user_model().objects.create_user("dora", password="a-long-pass"))
    services.comment_report(comment=rude, reporter=dora, reason="spam")
    rude.refresh_from_db()
    assert rude.status == "pending"

    services.comments_approve(comments=[rude], by=moderator)

    assert not Notification.objects.filter(kind="report_acted").exists()


def test_the_moderator_who_removes_a_comment_they_reported_is_not_told(rude, moderator):
    services.comment_report(comment=rude, reporter=moderator, reason="abuse")
    services.comments_remove(comments=[rude], by=moderator, reason="Abuse")

    assert report_notices(moderator) == []


def test_a_reporter_is_told_once_however_often_the_comment_is_removed(rude, carl, moderator):
    services.comment_report(comment=rude, reporter=carl, reason="abuse")
    services.comments_remove(comments=[rude], by=moderator, reason="Abuse")
    services.comments_restore(comments=[rude], by=moderator)
    services.comments_remove(comments=[rude], by=moderator, reason="Abuse after all")

    assert len(report_notices(carl)) == 1


def test_the_database_refuses_a_second_notice_for_the_same_reason(rude, ana, carl):
    Notification.objects.create(recipient=carl, comment=rude, kind="report_acted")

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=carl, comment=rude, kind="report_acted")
    # A reply that also mentions the reader is still one notification.
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=ana, comment=rude, kind="mention")


def test_the_inbox_says_the_report_was_acted_on_without_the_removed_text(
    client, rude, carl, moderator, article
):
    services.comment_report(comment=rude, reporter=carl, reason="abuse")
    services.comments_remove(comments=[rude], by=moderator, reason="Abuse")
    client.force_login(carl)

    soup = page(client.get(INBOX))

    (item,) = soup.select(".notification")
    summary = " ".join(item.select_one(".notification-summary").get_text().split())
    assert summary == (
        f"Unread: Your report on bob’s comment on {article.title} was acted on: "
        "the comment was removed."
    )
    assert "idiot" not in soup.get_text()
    assert item.select_one(".notification-mute") is None


def test_opening_a_report_notice_marks_it_read_and_goes_to_the_article(
    client, rude, carl, moderator, article
):
    services.comment_report(comment=rude, reporter=carl, reason="abuse")
    services.comments_remove(comments=[rude], by=moderator, reason="Abuse")
    (notice,) = report_notices(carl)
    client.force_login(carl)

    response = client.get(reverse("notifications:open", args=[notice.pk]))

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert unread_count(carl) == 0


def test_a_reporter_told_of_a_removal_is_still_told_when_the_restored_text_mentions_them(
    rude, carl, bob, moderator
):
    services.comment_report(comment=rude, reporter=carl, reason="abuse")
    services.comments_remove(comments=[rude], by=moderator, reason="Abuse")
    services.comments_restore(comments=[rude], by=moderator)

    services.comment_edit(comment=rude, by=bob, body="Sorry, @carl, I was rude.")

    kinds = sorted(Notification.objects.filter(recipient=carl).values_list("kind", flat=True))
    assert kinds == ["mention", "report_acted"]
