"""The bell, the inbox, settings and muting, as a signed-in reader uses them."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import services
from comments.models import Comment
from notifications.models import Notification, Preferences, ThreadMute

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(article, ana, bob):
    """ana asked; bob answered twice (a reply, then a mention in a new thread)."""
    question = services.comment_create(article=article, author=ana, body="Is it open?")
    services.comment_create(article=article, parent=question, author=bob, body="Yes, *since* May.")
    services.comment_create(article=article, author=bob, body="See above, @ana.")
    return question


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_the_bell_shows_the_unread_count_and_names_it(client, answered, ana):
    client.force_login(ana)
    bell = page(client, reverse("articles:article-list")).select_one(".notification-bell")
    assert bell["href"] == reverse("notifications:inbox")
    assert bell["aria-label"] == "Notifications: 2 unread"
    assert bell.select_one(".badge").get_text() == "2"


def test_the_inbox_lists_who_where_and_what_newest_first(client, answered, ana):
    client.force_login(ana)
    items = page(client, reverse("notifications:inbox")).select(".notification")
    texts = [" ".join(item.get_text(" ").split()) for item in items]
    assert texts[0].startswith("Unread: bob mentioned you on A quiet week in the valley")
    assert "See above, @ana." in texts[0]
    assert texts[1].startswith("Unread: bob replied to your comment on A quiet week")
    assert "Yes, since May." in texts[1]  # the excerpt is text, not markup


def test_opening_a_notification_marks_it_read_and_goes_to_the_comment(client, answered, ana):
    client.force_login(ana)
    reply = Notification.objects.get(recipient=ana, kind="reply")
    response = client.get(reverse("notifications:open", args=[reply.pk]))
    assert response.status_code == 302
    assert response["Location"] == reply.comment.get_absolute_url()
    reply.refresh_from_db()
    assert reply.read is not None
    assert Notification.objects.filter(recipient=ana, read__isnull=True).count() == 1


def test_nobody_opens_another_readers_notification(client, answered, bob):
    client.force_login(bob)
    theirs = Notification.objects.first()
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert Notification.objects.filter(read__isnull=False).count() == 0


def test_mark_all_read_empties_the_bell(client, answered, ana):
    client.force_login(ana)
    response = client.post(reverse("notifications:mark-all-read"), follow=True)
    assert "Marked 2 notifications read." in response.content.decode()
    bell = BeautifulSoup(response.content, "html.parser").select_one(".notification-bell")
    assert bell["aria-label"] == "Notifications" and bell.select_one(".badge") is None


def test_following_a_comments_permalink_reads_what_told_of_it(client, answered, ana):
    client.force_login(ana)
    reply = Notification.objects.get(recipient=ana, kind="reply")
    response = client.get(reverse("comments:comment-permalink", args=[reply.comment_id]))
    assert response["Location"] == reply.comment.get_absolute_url()
    reply.refresh_from_db()
    assert reply.read is not None


def test_a_removed_comments_permalink_is_gone(client, answered, moderator):
    comment = Comment.objects.get(parent=answered)
    services.comments_remove(comments=[comment], by=moderator, reason="spam")
    url = reverse("comments:comment-permalink", args=[comment.pk])
    assert client.get(url).status_code == 404


def test_settings_choose_how_to_be_mailed(client, ana):
    client.force_login(ana)
    soup = page(client, reverse("notifications:settings"))
    assert "Notification email goes to ana@example.com" in " ".join(soup.get_text().split())
    response = client.post(reverse("notifications:settings"), {"email": "digest"})
    assert response.status_code == 302
    assert Preferences.objects.get(user=ana).email == "digest"
    bad = client.post(reverse("notifications:settings"), {"email": "hourly"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    assert Preferences.objects.get(user=ana).email == "digest"


def test_settings_tell_a_reader_without_an_address_how_to_add_one(client, reader):
    client.force_login(reader)
    text = " ".join(page(client, reverse("notifications:settings")).get_text().split())
    assert "You have no email address" in text


def test_muting_from_the_inbox_and_unmuting_from_settings(client, answered, ana):
    client.force_login(ana)
    reply = Notification.objects.get(recipient=ana, kind="reply")
    client.post(reverse("notifications:mute", args=[reply.comment_id]))
    assert ThreadMute.objects.get(user=ana).thread == answered
    soup = page(client, reverse("notifications:settings"))
    assert "bob" not in soup.select_one("#muted-heading").find_next("ul").get_text()
    assert (
        "ana’s thread on A quiet week"
        in soup.select_one("#muted-heading").find_next("ul").get_text()
    )
    client.post(reverse("notifications:unmute", args=[answered.pk]))
    assert not ThreadMute.objects.exists()


def test_inbox_and_settings_need_an_account(client):
    for name in ("notifications:inbox", "notifications:settings"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_inbox_costs_the_same_queries_for_3_or_30_notifications(client, article, ana, bob):
    question = services.comment_create(article=article, author=ana, body="Is it open?")
    client.force_login(ana)
    counts = []
    for total in (3, 30):
        while Notification.objects.filter(recipient=ana).count() < total:
            n = Notification.objects.count()
            services.comment_create(article=article, parent=question, author=bob, body=f"R{n}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("notifications:inbox")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
