"""Approving from the thread acts at once (a button that posts), and offers to undo it
for a short time: the comment held again for the same reason, the reports the approval
dismissed open again, only while nobody has acted on the comment since."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db.models import F
from django.test import Client
from django.urls import reverse

from comments import policy, services
from comments.models import Comment, ModerationAction, Report
from tests.factories import establish
from tests.pages import card_of, comment_element, page

pytestmark = pytest.mark.django_db
Status = Comment.Status


def action_url(comment, action: str) -> str:
    return reverse(f"comments:comment-{action}", kwargs={"pk": comment.pk})


def undo_url(comment) -> str:
    return reverse("comments:comment-undo-approval", kwargs={"pk": comment.pk})


def messages_on(response) -> list[str]:
    return [" ".join(m.get_text(" ").split()) for m in page(response).select("#messages .alert")]


@pytest.fixture
def held_after_reports(thread, settings, django_user_model):
    """The thread's reply (by other), held after two established readers reported it;
    and a third report a moderator dismissed before that."""
    settings.FORUM_REPORTS_TO_HOLD = 2
    reply = thread["reply"]
    early = establish(django_user_model.objects.create_user("early", password="long-pass-1"))
    services.comment_report(comment=reply, reporter=early, reason="off_topic")
    services.reports_dismiss(comments=[reply], by=django_user_model.objects.get(username="reader"))
    for name, reason in (("ana", "spam"), ("bob", "abuse")):
        reporter = establish(django_user_model.objects.create_user(name, password="long-pass-1"))
        services.comment_report(comment=reply, reporter=reporter, reason=reason)
    reply.refresh_from_db()
    assert reply.status == Status.PENDING
    return reply


def report_states(comment) -> dict[str, tuple[str, object]]:
    return {
        r.reporter.username: (r.state, r.handled_by and r.handled_by.username)
        for r in Report.objects.filter(comment=comment)
    }


def test_the_threads_approve_is_a_button_that_posts_at_once_with_its_token(
    moderator, held_after_reports
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)
    item = comment_element(
        page(browser.get(held_after_reports.article.get_absolute_url())), held_after_reports
    )
    form = card_of(item).select_one(":scope > footer > form.comment-act")

    assert (form["method"], form["action"]) == ("post", action_url(held_after_reports, "approve"))
    assert form.button["aria-label"] == "Approve the comment by other"
    assert form.button.get_text() == "Approve"
    token = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    response = browser.post(form["action"], {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert response["Location"] == held_after_reports.get_absolute_url()
    assert Comment.objects.get(pk=held_after_reports.pk).status == Status.PUBLISHED


def test_after_approving_the_message_offers_undo_as_a_button_that_posts(
    moderator_client, held_after_reports
):
    response = moderator_client.post(action_url(held_after_reports, "approve"), follow=True)

    assert messages_on(response) == ["Comment approved. Undo"]
    undo = page(response).select_one("#messages form.undo-approval")
    assert (undo["method"], undo["action"]) == ("post", undo_url(held_after_reports))
    assert undo.button["aria-label"] == "Undo approving the comment by other"
    assert undo.select_one("input[name=csrfmiddlewaretoken]")["value"]


def test_approving_in_place_answers_with_the_card_and_the_undo_button(
    moderator_client, held_after_reports
):
    response = moderator_client.post(
        action_url(held_after_reports, "approve"), HTTP_ACCEPT="application/json"
    )

    answer = json.loads(response.content)
    assert (answer["message"], answer["level"]) == ("Comment approved.", "success")
    card = BeautifulSoup(answer["card"], "html.parser")
    assert card.select_one(".comment-badge") is None and card.select_one("form") is None
    undo = BeautifulSoup(answer["undo"], "html.parser").select_one("form.undo-approval")
    assert undo["action"] == undo_url(held_after_reports)


def test_undoing_holds_the_comment_again_for_its_reason_and_reopens_the_reports(
    moderator_client, moderator, held_after_reports
):
    reason = held_after_reports.moderation_reason
    moderator_client.post(action_url(held_after_reports, "approve"), follow=True)
    assert report_states(held_after_reports) == {
        "early": ("dismissed", "reader"),
        "ana": ("dismissed", "moderator"),
        "bob": ("dismissed", "moderator"),
    }

    response = moderator_client.post(undo_url(held_after_reports), follow=True)

    assert messages_on(response) == ["Approval undone: the comment is held again."]
    comment = Comment.objects.get(pk=held_after_reports.pk)
    assert (comment.status, comment.moderation_reason) == (Status.PENDING, reason)
    # Only the reports the approval dismissed: the earlier dismissal stands.
    assert report_states(held_after_reports) == {
        "early": ("dismissed", "reader"),
        "ana": ("open", None),
        "bob": ("open", None),
    }
    assert Report.objects.open().filter(handled_at__isnull=False).count() == 0
    entry = ModerationAction.objects.filter(comment=comment).order_by("-pk").first()
    assert (entry.kind, entry.actor) == ("undo_approve", moderator)
    assert entry.reason == f"{reason} (2 reports open again)"


def test_undoing_in_place_answers_with_the_held_card_offering_approve_again(
    moderator_client, held_after_reports
):
    moderator_client.post(action_url(held_after_reports, "approve"))

    response = moderator_client.post(undo_url(held_after_reports), HTTP_ACCEPT="application/json")

    answer = json.loads(response.content)
    assert answer["message"] == "Approval undone: the comment is held again."
    card = BeautifulSoup(answer["card"], "html.parser")
    assert card.select_one(".comment-badge").get_text() == "awaiting moderation"
    assert card.select_one("form.comment-act button").get_text() == "Approve"
    assert card.select_one(".comment-reports > summary").get_text() == "Reported ×2: spam, abuse"


def test_an_approval_can_be_undone_for_ten_minutes_only(moderator_client, held_after_reports):
    assert timedelta(minutes=10) == policy.APPROVAL_UNDO_WINDOW
    moderator_client.post(action_url(held_after_reports, "approve"))
    # Ten minutes and a second pass.
    ModerationAction.objects.filter(comment=held_after_reports).update(
        created=F("created") - timedelta(minutes=10, seconds=1)
    )

    response = moderator_client.post(undo_url(held_after_reports), HTTP_ACCEPT="application/json")

    assert response.status_code == 409
    assert json.loads(response.content) == {
        "message": "This approval can no longer be undone: it is more than 10 minutes old.",
        "level": "warning",
    }
    assert Comment.objects.get(pk=held_after_reports.pk).status == Status.PUBLISHED
    assert not ModerationAction.objects.filter(kind="undo_approve").exists()


@pytest.mark.parametrize(
    ("act", "named"),
    [
        (lambda c, by: services.comments_remove(comments=[c], by=by, reason="x"), "Removed"),
        (lambda c, by: services.comment_edit(comment=c, by=c.author, body="new"), "Edited"),
    ],
    ids=["removed", "edited"],
)
def test_an_approval_is_not_undone_once_someone_acted_on_the_comment(
    moderator_client, moderator, held_after_reports, act, named
):
    moderator_client.post(action_url(held_after_reports, "approve"), follow=True)
    act(Comment.objects.get(pk=held_after_reports.pk), moderator)
    before = Comment.objects.get(pk=held_after_reports.pk)

    response = moderator_client.post(undo_url(held_after_reports), follow=True)

    [message] = messages_on(response)
    assert message.startswith(
        "This approval can no longer be undone: the comment has been acted on since (" + named
    )
    after = Comment.objects.get(pk=held_after_reports.pk)
    assert (after.status, after.moderation_reason) == (before.status, before.moderation_reason)
    assert not Report.objects.open().filter(comment=after).exists()


def test_only_the_moderator_who_approved_may_undo(moderator, held_after_reports, django_user_model):
    services.comments_approve(comments=[held_after_reports], by=moderator)
    other = django_user_model.objects.create_superuser("second", password="long-pass-2")
    browser = Client()
    browser.force_login(other)

    response = browser.post(undo_url(held_after_reports), HTTP_ACCEPT="application/json")

    assert response.status_code == 409
    assert json.loads(response.content)["message"] == (
        "Only the moderator who approved this comment can undo the approval."
    )


def test_a_comment_never_approved_has_no_approval_to_undo(moderator_client, thread):
    response = moderator_client.post(undo_url(thread["root"]), HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert json.loads(response.content)["message"] == (
        "This comment was never approved: there is no approval to undo."
    )


def test_undo_is_a_post_for_moderators_only(client, reader, moderator, held_after_reports):
    services.comments_approve(comments=[held_after_reports], by=moderator)
    staff = Client()
    staff.force_login(moderator)
    assert staff.get(undo_url(held_after_reports)).status_code == 405
    assert client.post(undo_url(held_after_reports)).status_code == 403
    client.force_login(reader)
    assert client.post(undo_url(held_after_reports)).status_code == 403
    missing = reverse("comments:comment-undo-approval", kwargs={"pk": 999_999})
    assert staff.post(missing).status_code == 404
    assert Comment.objects.get(pk=held_after_reports.pk).status == Status.PUBLISHED


def test_readers_stop_seeing_the_comment_as_soon_as_its_approval_is_undone(
    client, moderator, held_after_reports
):
    url = held_after_reports.article.get_absolute_url()
    services.comments_approve(comments=[held_after_reports], by=moderator)
    assert comment_element(page(client.get(url)), held_after_reports) is not None
    assert comment_element(page(client.get(url)), held_after_reports) is not None  # cached

    services.approval_undo(comment=held_after_reports, by=moderator)

    after = page(client.get(url))
    assert (
        comment_element(after, held_after_reports)
        .get_text()
        .strip()
        .startswith(
            "[awaiting moderation]"  # a tombstone: its reply (deep) is still shown
        )
    )
    assert after.find(id="comments-heading").get_text() == "3 comments"


def test_undoing_an_approval_logs_nothing_and_changes_nothing_when_refused(
    moderator, held_after_reports
):
    services.comments_approve(comments=[held_after_reports], by=moderator)
    services.approval_undo(comment=held_after_reports, by=moderator)
    with pytest.raises(services.UndoRefused):
        services.approval_undo(comment=held_after_reports, by=moderator)
    assert ModerationAction.objects.filter(kind="undo_approve").count() == 1
