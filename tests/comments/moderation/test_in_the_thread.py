"""Moderating from the article page: the controls, the actions, and what readers see."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import services
from comments.models import Ban, Comment, ModerationAction
from notifications.models import Notification
from tests import pages

pytestmark = pytest.mark.django_db
Status = Comment.Status


def action_url(comment, action: str) -> str:
    return reverse(f"comments:comment-{action}", kwargs={"pk": comment.pk})


def thread_html(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("#comments").decode()


def actions_of(client, comment) -> list[str]:
    """A comment's own actions, links and buttons alike (Approve posts at once)."""
    soup = BeautifulSoup(client.get(comment.article.get_absolute_url()).content, "html.parser")
    footer = pages.card_of(soup.select_one(f"#comment-{comment.pk}")).select_one(":scope > footer")
    return [each.get_text() for each in footer.select(":scope > a, :scope > form > button")]


@pytest.fixture
def held(settings, article, reader, other_reader):
    root = services.comment_create(article=article, author=reader, body="Is it open?")
    settings.FORUM_MODERATION = "pre"
    reply = services.comment_create(article=article, parent=root, author=other_reader, body="Yes")
    settings.FORUM_MODERATION = "post"
    return reply


def test_moderators_see_the_actions_each_comment_allows(moderator_client, thread, held, moderator):
    services.comments_remove(comments=[thread["second"]], by=moderator, reason="spam")
    assert actions_of(moderator_client, thread["root"]) == ["Reply", "Remove", "Ban author"]
    assert actions_of(moderator_client, held) == ["Approve", "Remove", "Ban author"]
    assert actions_of(moderator_client, thread["second"]) == ["Restore", "Ban author"]


def test_moderators_see_removed_comments_in_place_with_who_and_why(
    moderator_client, thread, moderator, article
):
    services.comments_remove(comments=[thread["reply"]], by=moderator, reason="personal attack")
    soup = BeautifulSoup(moderator_client.get(article.get_absolute_url()).content, "html.parser")
    item = soup.select_one(f"#comment-{thread['reply'].pk}")
    assert "comment-removed" in item["class"]
    note = item.select_one(".comment-removal").get_text()
    assert note == "Removed by moderator: personal attack"
    assert item.select_one(".comment-body").get_text() == "Reply"
    readers = thread_html(Client(), article)
    assert "personal attack" not in readers and "[removed]" in readers


def test_the_controls_never_reach_readers_through_the_cache(
    moderator_client, reader, thread, held, moderator, article
):
    services.comments_remove(comments=[thread["second"]], by=moderator, reason="spam")
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(reader)
    anonymous_before = thread_html(anonymous, article)
    moderators = thread_html(moderator_client, article)
    assert "data-moderate" in moderators and "Second root" in moderators
    for page in (thread_html(anonymous, article), thread_html(signed_in, article)):
        assert "data-moderate" not in page
        assert "Approve" not in page and "Restore" not in page and "Ban author" not in page
        assert "Second root" not in page  # the removed comment's text
        assert "spam" not in page
    assert thread_html(anonymous, article) == anonymous_before
    # Nor do a moderator's pages ever get served the readers' copy.
    assert "data-moderate" in thread_html(moderator_client, article)


def test_only_moderators_may_open_or_use_the_actions(reader_client, thread, moderator):
    staff = get_user_model().objects.create_user("helper", password="x", is_staff=True)
    staff_client = Client()
    staff_client.force_login(staff)
    url = action_url(thread["root"], "remove")
    for each in (Client(), reader_client, staff_client):
        assert each.get(url).status_code == 403
        assert each.post(url, {"reason": "x"}).status_code == 403
    assert "data-moderate" not in thread_html(staff_client, thread["root"].article)
    staff.user_permissions.add(Permission.objects.get(codename="change_comment"))
    staff_client.force_login(get_user_model().objects.get(pk=staff.pk))
    assert staff_client.get(url).status_code == 200
    assert Comment.objects.get(pk=thread["root"].pk).status == Status.PUBLISHED


def test_approving_from_the_thread_publishes_logs_and_notifies(moderator_client, held, reader):
    page = moderator_client.get(action_url(held, "approve"))
    assert page.status_code == 200 and "Approve this comment?" in page.content.decode()
    response = moderator_client.post(action_url(held, "approve"))
    assert response.status_code == 302
    assert response["Location"] == held.get_absolute_url()
    assert Comment.objects.get(pk=held.pk).status == Status.PUBLISHED
    assert ModerationAction.objects.filter(comment=held, kind="approve").exists()
    assert Notification.objects.filter(recipient=reader, comment=held).exists()


def test_removing_asks_for_a_reason_and_changes_nothing_without_one(moderator_client, thread):
    comment = thread["reply"]
    response = moderator_client.post(action_url(comment, "remove"), {"reason": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == Status.PUBLISHED
    moderator_client.post(action_url(comment, "remove"), {"reason": "off-topic"})
    removed = Comment.objects.get(pk=comment.pk)
    assert (removed.status, removed.moderation_reason) == (Status.REMOVED, "off-topic")


def test_restoring_brings_a_removed_comment_back(moderator_client, thread, moderator):
    comment = thread["reply"]
    services.comments_remove(comments=[comment], by=moderator, reason="mistake")
    moderator_client.post(action_url(comment, "restore"))
    assert Comment.objects.get(pk=comment.pk).status == Status.PUBLISHED


def test_an_action_that_no_longer_applies_says_so_and_changes_nothing(moderator_client, thread):
    response = moderator_client.post(action_url(thread["root"], "approve"), follow=True)
    assert "This comment is published: nothing to approve." in response.content.decode()


def test_banning_the_author_from_the_thread(moderator_client, thread, other_reader):
    url = action_url(thread["reply"], "ban")
    moderator_client.post(url, {"reason": "trolling", "duration": "7d"})
    ban = Ban.objects.get(user=other_reader)
    assert ban.ends is not None and ban.reason == "trolling"


def test_banning_a_staff_member_or_a_guest_is_refused_with_a_warning(
    moderator_client, article, moderator
):
    own = services.comment_create(article=article, author=moderator, body="Rules: be kind.")
    staff = get_user_model().objects.create_user("staffer", password="x", is_staff=True)
    theirs = services.comment_create(article=article, author=staff, body="Hello")
    response = moderator_client.post(
        action_url(theirs, "ban"), {"reason": "x", "duration": "forever"}, follow=True
    )
    assert "alert-warning" in response.content.decode()
    services.comments_import(
        article=article, threads=[services.CommentDraft(author_name="Sinbad2", body="Hi")]
    )
    guest = Comment.objects.get(author=None)
    response = moderator_client.post(
        action_url(guest, "ban"), {"reason": "x", "duration": "forever"}, follow=True
    )
    assert "Sinbad2 has no account" in response.content.decode()
    assert not Ban.objects.exists()
    assert "Ban author" not in actions_of(moderator_client, own)
    # The thread offers what the service would do: no "Ban author" on staff's comments.
    assert "Ban author" not in actions_of(moderator_client, theirs)


def test_in_place_actions_answer_with_the_new_card(moderator_client, held):
    response = moderator_client.post(
        action_url(held, "remove"), {"reason": "spam"}, HTTP_ACCEPT="application/json"
    )
    answer = json.loads(response.content)
    assert answer["message"] == "Comment removed." and answer["level"] == "success"
    card = BeautifulSoup(answer["card"], "html.parser")
    assert "comment-removed" in card.select_one(f"#comment-{held.pk}")["class"]
    assert [a.get_text() for a in card.select("footer a")] == ["Restore", "Ban author"]
    bad = moderator_client.post(
        action_url(held, "ban"), {"reason": ""}, HTTP_ACCEPT="application/json"
    )
    assert bad.status_code == 400 and "required" in json.loads(bad.content)["message"]


def test_the_moderators_page_costs_the_same_with_one_removed_comment_or_five(
    moderator_client, article, reader, moderator
):
    roots = [
        services.comment_create(article=article, author=reader, body=f"Comment {n}")
        for n in range(6)
    ]
    services.comments_remove(comments=roots[:1], by=moderator, reason="one")
    moderator_client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        moderator_client.get(article.get_absolute_url())
    services.comments_remove(comments=roots[1:], by=moderator, reason="all")
    with CaptureQueriesContext(connection) as five:
        moderator_client.get(article.get_absolute_url())
    assert len(one) == len(five)


# The public moderation log (FORUM_PUBLIC_MODLOG).


def test_without_a_public_log_the_tombstone_says_removed_and_there_is_no_log(
    client, thread, moderator, article
):
    services.comments_remove(
        comments=[thread["reply"]], by=moderator, reason="attack", public_reason="Abuse"
    )
    assert "[removed]" in thread_html(client, article)
    assert client.get(reverse("comments:modlog")).status_code == 404


def test_a_public_log_explains_removals_and_bans_without_naming_moderators(
    settings, client, thread, moderator, other_reader, article
):
    settings.FORUM_PUBLIC_MODLOG = "on"
    services.comments_remove(
        comments=[thread["reply"]], by=moderator, reason="attack on ana", public_reason="Abuse"
    )
    services.users_ban(users=[other_reader], by=moderator, reason="x", public_reason="Trolling")
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    gone = soup.select_one(f"#comment-{thread['reply'].pk} .comment-gone")
    assert gone.get_text() == "[removed by moderators: Abuse] moderation log"
    assert gone.a["href"] == reverse("comments:modlog")
    log = BeautifulSoup(client.get(reverse("comments:modlog")).content, "html.parser")
    rows = [" ".join(row.get_text(" ").split()) for row in log.select("table.modlog tbody tr")]
    assert any("Banned: other" in row and "Trolling" in row for row in rows)
    assert any("a comment by other on A quiet week" in row and "Abuse" in row for row in rows)
    assert not any("moderator" in row or "attack on ana" in row for row in rows)
    settings.FORUM_PUBLIC_MODLOG = "names"
    assert "<td>moderator</td>" in client.get(reverse("comments:modlog")).content.decode()


def test_turning_the_public_log_on_changes_what_the_cache_serves(
    settings, client, thread, moderator, article
):
    services.comments_remove(
        comments=[thread["reply"]], by=moderator, reason="x", public_reason="Spam"
    )
    assert "[removed]" in thread_html(client, article)
    settings.FORUM_PUBLIC_MODLOG = "on"
    assert "[removed by moderators: Spam]" in thread_html(client, article)


def test_a_public_reason_is_escaped(settings, client, thread, moderator, article):
    settings.FORUM_PUBLIC_MODLOG = "on"
    services.comments_remove(
        comments=[thread["reply"]], by=moderator, reason="x", public_reason="<b>Spam</b>"
    )
    page = thread_html(client, article)
    assert "&lt;b&gt;Spam&lt;/b&gt;" in page and "<b>Spam</b>" not in page


def test_the_public_log_costs_the_same_for_one_entry_or_six(
    settings, client, article, reader, moderator
):
    settings.FORUM_PUBLIC_MODLOG = "on"
    comments = [
        services.comment_create(article=article, author=reader, body=f"Comment {n}")
        for n in range(6)
    ]
    costs = []
    for chosen in (comments[:1], comments[1:]):
        services.comments_remove(comments=chosen, by=moderator, reason="x", public_reason="Spam")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("comments:modlog")).status_code == 200
        costs.append(len(queries))
    assert costs[0] == costs[1]


def test_a_comments_own_page_shows_moderators_the_same_notes_and_buttons(
    moderator_client, held, django_user_model
):
    ana = django_user_model.objects.create_user("ana", password="a-long-passphrase")
    services.comment_report(comment=held.parent, reporter=ana, reason="spam")
    soup = BeautifulSoup(moderator_client.get(held.parent.get_page_url()).content, "html.parser")

    root = pages.card_of(soup.select_one(f"#comment-{held.parent.pk}"))
    assert root.select_one(".comment-reports > summary").get_text() == "Reported ×1: spam"
    reply = pages.card_of(soup.select_one(f"#comment-{held.pk}"))
    assert reply.select_one(".comment-held-reason").get_text().startswith("Held Pre-moderation")
    approve = reply.select_one("footer form.comment-act")
    assert approve["action"] == action_url(held, "approve")
    assert approve.select_one("input[name=csrfmiddlewaretoken]")["value"]
