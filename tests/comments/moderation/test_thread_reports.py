"""A reported comment in a moderator's thread: its badge, its reports on demand, and the
actions that fit it (dismiss the reports, remove with a reason drawn from them, ban)."""

import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from comments import services
from comments.models import Comment, ModerationAction, Report
from tests.pages import card_of, comment_element, page

pytestmark = pytest.mark.django_db


def action_url(comment, action: str) -> str:
    return reverse(f"comments:comment-{action}", kwargs={"pk": comment.pk})


def element_of(client, comment):
    return comment_element(page(client.get(comment.article.get_absolute_url())), comment)


def controls_of(element) -> list[str]:
    """A comment's own actions, links and buttons alike, by their visible label."""
    footer = card_of(element).select_one(":scope > footer")
    return [control.get_text() for control in footer.select(":scope > a, :scope > form button")]


@pytest.fixture
def reporters(django_user_model):
    return [
        django_user_model.objects.create_user(name, password="a-long-passphrase")
        for name in ("ana", "bob", "cyd")
    ]


@pytest.fixture
def reported(thread, reporters):
    """The thread's reply (by other), reported by ana (abuse, with a note) and bob (spam)."""
    reply = thread["reply"]
    services.comment_report(
        comment=reply, reporter=reporters[0], reason="abuse", note="Calls me a <liar> & worse"
    )
    services.comment_report(comment=reply, reporter=reporters[1], reason="spam")
    return reply


def test_a_reported_comment_carries_a_badge_counting_its_open_reports_and_their_reasons(
    moderator_client, reported
):
    item = element_of(moderator_client, reported)

    assert "comment-reported" in item["class"]
    badge = card_of(item).select_one("details.comment-reports > summary")
    # One each: in the order the report form offers them, as the queue has them.
    assert badge.get_text() == "Reported ×2: spam, abuse"


def test_the_badge_opens_on_each_reports_reason_note_and_reporter_without_javascript(
    moderator_client, reported
):
    details = card_of(element_of(moderator_client, reported)).select_one("details.comment-reports")

    assert not details.has_attr("open")  # on demand
    lines = [" ".join(li.get_text(" ").split()) for li in details.select("li")]
    assert len(lines) == 2
    assert lines[0].startswith("Abuse or harassment from ana, ")
    assert lines[0].endswith(": “Calls me a <liar> & worse”")
    assert lines[1].startswith("Spam from bob, ")
    # The note is escaped, not markup.
    assert "Calls me a &lt;liar&gt; &amp; worse" in str(details)


def test_only_open_reports_count_on_the_badge(moderator_client, reported, reporters, moderator):
    services.reports_dismiss(comments=[reported], by=moderator)
    assert element_of(moderator_client, reported).select_one(".comment-reports") is None
    assert "comment-reported" not in element_of(moderator_client, reported)["class"]

    services.comment_report(comment=reported, reporter=reporters[2], reason="off_topic")
    badge = element_of(moderator_client, reported).select_one(".comment-reports > summary")
    assert badge.get_text() == "Reported ×1: off-topic"


def test_the_most_given_reason_comes_first(moderator_client, reported, reporters):
    services.comment_report(comment=reported, reporter=reporters[2], reason="abuse")
    badge = element_of(moderator_client, reported).select_one(".comment-reports > summary")
    assert badge.get_text() == "Reported ×3: abuse, spam"


def test_a_reported_comment_offers_dismiss_remove_and_ban(moderator_client, reported, thread):
    assert controls_of(element_of(moderator_client, reported)) == [
        "Reply",
        "Remove",
        "Ban author",
        "Dismiss reports",
    ]
    # A comment nobody reported has nothing to dismiss.
    assert "Dismiss reports" not in controls_of(element_of(moderator_client, thread["root"]))


def test_dismissing_from_the_thread_closes_the_reports_and_logs_it(
    moderator_client, reported, moderator
):
    assert moderator_client.get(action_url(reported, "dismiss")).status_code == 200
    response = moderator_client.post(action_url(reported, "dismiss"))

    assert response.status_code == 302
    assert response["Location"] == reported.get_absolute_url()
    assert not Report.objects.open().filter(comment=reported).exists()
    entry = ModerationAction.objects.get(comment=reported, kind="dismiss_reports")
    assert (entry.actor, entry.reason) == (moderator, "(2 reports dismissed)")
    assert Comment.objects.get(pk=reported.pk).status == Comment.Status.PUBLISHED


def test_dismissing_in_place_answers_with_the_card_without_the_badge(moderator_client, reported):
    response = moderator_client.post(
        action_url(reported, "dismiss"), HTTP_ACCEPT="application/json"
    )

    answer = json.loads(response.content)
    assert answer["message"] == "Reports dismissed." and answer["level"] == "success"
    card = BeautifulSoup(answer["card"], "html.parser")
    assert card.select_one(".comment-reports") is None
    assert "Dismiss reports" not in [a.get_text() for a in card.select("footer a")]


def test_dismissing_a_comment_without_open_reports_is_refused_saying_why(moderator_client, thread):
    url = action_url(thread["root"], "dismiss")
    answer = moderator_client.post(url, HTTP_ACCEPT="application/json")
    assert answer.status_code == 409
    assert json.loads(answer.content)["message"] == (
        "This comment has no open reports: nothing to dismiss."
    )
    followed = moderator_client.post(url, follow=True)
    assert "This comment has no open reports: nothing to dismiss." in followed.content.decode()
    assert not ModerationAction.objects.filter(kind="dismiss_reports").exists()


def test_removing_a_reported_comment_starts_from_the_reports_reasons_and_notes(
    moderator_client, reported, thread
):
    form = page(moderator_client.get(action_url(reported, "remove")))
    assert form.select_one("#id_reason")["value"] == (
        "Abuse or harassment: Calls me a <liar> & worse; Spam"
    )
    unreported = page(moderator_client.get(action_url(thread["root"], "remove")))
    assert not unreported.select_one("#id_reason").get("value")
    moderator_client.post(action_url(reported, "remove"), {"reason": "Spam; abuse"})
    removed = Comment.objects.get(pk=reported.pk)
    assert (removed.status, removed.moderation_reason) == (Comment.Status.REMOVED, "Spam; abuse")


def test_readers_and_anonymous_visitors_never_see_reports_or_their_reasons(
    reported, reporters, client
):
    signed_in = Client()
    signed_in.force_login(reporters[2])
    for browser in (client, signed_in):
        text = page(browser.get(reported.article.get_absolute_url())).select_one("#comments")
        assert text.select(".comment-reports, .comment-reported, .comment-mod") == []
        assert "Reported ×" not in str(text) and "Calls me a" not in str(text)
    for url in (action_url(reported, "dismiss"), action_url(reported, "remove")):
        assert signed_in.get(url).status_code == 403
        assert client.post(url).status_code == 403
