"""Reporting a comment: offered on others' comments only, with a reason from the list,
once per reader; enough reports hold the comment. A report is open until a moderator
acts on its comment: a removal resolves it, approving or restoring dismisses it, in
the same transaction, and the log says so."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from comments import services
from comments.models import Comment, ModerationAction, Report
from comments.moderation import services as moderation
from notifications.models import Notification
from tests.factories import establish
from tests.pages import card_of, comment_element, page

Status = Comment.Status
State = Report.State


def report_url(comment) -> str:
    return reverse("comments:comment-report", kwargs={"pk": comment.pk})


@pytest.fixture
def readers(django_user_model):
    """Established readers: their reports count toward the automatic hold."""
    return [
        establish(django_user_model.objects.create_user(f"r{n}", password="a-long-passphrase"))
        for n in range(4)
    ]


@pytest.fixture
def reporters(django_user_model):
    return [
        django_user_model.objects.create_user(name, password="a-long-passphrase")
        for name in ("ana", "bob")
    ]


@pytest.fixture
def reported(thread, reporters):
    """The thread's reply, reported by ana and bob (fresh accounts: not held)."""
    for reporter in reporters:
        services.comment_report(comment=thread["reply"], reporter=reporter, reason="spam")
    return thread["reply"]


def states(comment) -> list[tuple[str, str | None]]:
    return sorted(
        (r.state, r.handled_by.get_username() if r.handled_by else None)
        for r in Report.objects.filter(comment=comment)
    )


def test_signed_in_readers_see_report_on_others_comments_only(client, thread, reader, article):
    assert page(client.get(article.get_absolute_url())).find("a", string="Report") is None

    client.force_login(reader)
    soup = page(client.get(article.get_absolute_url()))

    own = card_of(comment_element(soup, thread["root"])).select_one(":scope > footer")
    others = card_of(comment_element(soup, thread["reply"])).select_one(":scope > footer")
    assert "Report" not in own.get_text()
    assert others.find("a", string="Report")["href"] == report_url(thread["reply"])


def test_a_reader_reports_with_a_reason_and_a_note(client, thread, reader):
    client.force_login(reader)
    reply = thread["reply"]

    assert client.get(report_url(reply)).status_code == 200
    response = client.post(report_url(reply), {"reason": "abuse", "note": "Name-calling"})

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.comment, report.reporter, report.reason, report.note) == (
        reply,
        reader,
        "abuse",
        "Name-calling",
    )


def test_one_report_per_reader_per_comment(client, thread, reader):
    client.force_login(reader)
    client.post(report_url(thread["reply"]), {"reason": "spam"})

    again = client.post(report_url(thread["reply"]), {"reason": "abuse"})

    assert again.status_code == 200
    assert "already reported" in page(again).get_text()
    assert Report.objects.count() == 1


def test_an_unknown_reason_is_a_form_error(client, thread, reader):
    client.force_login(reader)
    response = client.post(report_url(thread["reply"]), {"reason": "because"})
    assert response.status_code == 200
    assert Report.objects.count() == 0


def test_authors_cannot_report_their_own_comment(thread, reader):
    with pytest.raises(ValidationError):
        services.comment_report(comment=thread["root"], reporter=reader, reason="spam")


def test_enough_reports_hold_the_comment_and_log_it(thread, readers, settings):
    settings.FORUM_REPORTS_TO_HOLD = 3
    reply = thread["reply"]

    for reader in readers[:2]:
        services.comment_report(comment=reply, reporter=reader, reason="spam")
        reply.refresh_from_db()
        assert reply.status == Comment.Status.PUBLISHED
    services.comment_report(comment=reply, reporter=readers[2], reason="abuse")

    reply.refresh_from_db()
    assert reply.status == Comment.Status.PENDING
    entry = ModerationAction.objects.get(kind="hold")
    assert entry.actor is None and entry.comment == reply and "3 reports" in entry.reason


def test_a_removed_or_deleted_comment_takes_no_new_report(thread, reporters, moderator, reader):
    services.comments_remove(comments=[thread["reply"]], by=moderator, reason="Spam")
    services.comment_delete(comment=thread["root"], by=reader)

    for comment in (thread["reply"], thread["root"]):
        with pytest.raises(ValidationError, match="no longer shown"):
            services.comment_report(comment=comment, reporter=reporters[0], reason="spam")
    assert not Report.objects.exists()


def test_a_new_report_is_open_and_unhandled(reported):
    assert states(reported) == [(State.OPEN, None), (State.OPEN, None)]
    assert not Report.objects.filter(handled_at__isnull=False).exists()


def test_removing_a_comment_resolves_its_open_reports_and_the_log_says_so(reported, moderator):
    services.comments_remove(comments=[reported], by=moderator, reason="Spam")

    assert states(reported) == [(State.RESOLVED, "moderator")] * 2
    assert Report.objects.filter(handled_at__isnull=True).count() == 0
    entry = ModerationAction.objects.get(kind="remove")
    assert entry.reason == "Spam (2 reports resolved)"
    reported.refresh_from_db()
    assert reported.moderation_reason == "Spam"


def test_removing_a_subtree_resolves_the_reports_on_every_comment_in_it(
    thread, reported, reporters, moderator
):
    services.comment_report(comment=thread["deep"], reporter=reporters[0], reason="abuse")

    services.comments_remove_subtree(comments=[thread["root"]], by=moderator, reason="Flame war")

    assert set(Report.objects.values_list("state", flat=True)) == {State.RESOLVED}
    reasons = dict(
        ModerationAction.objects.filter(kind="remove_subtree").values_list("comment", "reason")
    )
    assert reasons == {
        thread["root"].pk: "Flame war",
        thread["reply"].pk: "Flame war (2 reports resolved)",
        thread["deep"].pk: "Flame war (1 report resolved)",
    }


def test_approving_a_comment_held_after_reports_dismisses_them(
    thread, django_user_model, moderator, settings
):
    settings.FORUM_REPORTS_TO_HOLD = 2
    for name in ("carl", "dora"):
        user = establish(django_user_model.objects.create_user(name, password="a-long-pass"))
        services.comment_report(comment=thread["reply"], reporter=user, reason="spam")
    thread["reply"].refresh_from_db()
    assert thread["reply"].status == Status.PENDING

    services.comments_approve(comments=[thread["reply"]], by=moderator)

    assert states(thread["reply"]) == [(State.DISMISSED, "moderator")] * 2
    assert ModerationAction.objects.get(kind="approve").reason == "(2 reports dismissed)"


def test_restoring_dismisses_reports_still_open_on_a_removed_comment(reported, moderator):
    # As after the migration: reports made before they had a state are open, even
    # on comments removed back then.
    Comment.objects.filter(pk=reported.pk).update(status=Status.REMOVED)

    services.comments_restore(comments=[reported], by=moderator)

    assert states(reported) == [(State.DISMISSED, "moderator")] * 2
    assert ModerationAction.objects.get(kind="restore").reason == "(2 reports dismissed)"


def test_a_handled_report_stays_as_it_was_through_later_actions(reported, moderator):
    services.comments_remove(comments=[reported], by=moderator, reason="Spam")
    services.comments_restore(comments=[reported], by=moderator)
    services.comments_remove(comments=[reported], by=moderator, reason="Spam again")

    assert states(reported) == [(State.RESOLVED, "moderator")] * 2
    assert ModerationAction.objects.get(kind="restore").reason == ""
    assert ModerationAction.objects.get(reason__startswith="Spam again").reason == "Spam again"


def test_reports_change_in_the_same_transaction_as_the_status(reported, moderator, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the article is gone")

    # The last step of the action fails: the status, the reports and the log roll back.
    monkeypatch.setattr(moderation, "bump_comments_version", fail)

    with pytest.raises(RuntimeError):
        services.comments_remove(comments=[reported], by=moderator, reason="Spam")

    reported.refresh_from_db()
    assert reported.status == Status.PUBLISHED
    assert states(reported) == [(State.OPEN, None)] * 2
    assert not ModerationAction.objects.exists()


def test_dismissing_reports_leaves_the_comment_as_it_is_and_logs_it(reported, thread, moderator):
    dismissed = services.reports_dismiss(comments=[reported, thread["root"]], by=moderator)

    assert dismissed == [reported]
    reported.refresh_from_db()
    assert reported.status == Status.PUBLISHED
    assert states(reported) == [(State.DISMISSED, "moderator")] * 2
    entry = ModerationAction.objects.get()
    assert (entry.kind, entry.comment, entry.actor, entry.reason) == (
        "dismiss_reports",
        reported,
        moderator,
        "(2 reports dismissed)",
    )
    assert services.reports_dismiss(comments=[reported], by=moderator) == []
    assert ModerationAction.objects.count() == 1


def test_a_long_reason_is_shortened_to_keep_the_note_on_reports(reported, moderator):
    services.comments_remove(comments=[reported], by=moderator, reason="x" * 500)

    logged = ModerationAction.objects.get().reason
    assert len(logged) == 500
    assert logged.endswith("… (2 reports resolved)")


def test_a_report_is_handled_exactly_when_it_is_not_open(reported):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(comment=reported).update(state=State.RESOLVED)


# How each way of dismissing reports finds the comment, and acts on it.
DISMISSALS = {
    "approve": (Status.PENDING, services.comments_approve),
    "restore": (Status.REMOVED, services.comments_restore),
    "dismiss reports": (Status.PUBLISHED, services.reports_dismiss),
}


@pytest.mark.parametrize("dismissal", DISMISSALS)
def test_a_dismissal_tells_the_reporters_nothing(reported, reporters, moderator, dismissal):
    status, act = DISMISSALS[dismissal]
    Comment.objects.filter(pk=reported.pk).update(status=status)

    act(comments=[reported], by=moderator)

    assert states(reported) == [(State.DISMISSED, "moderator")] * 2
    assert not Notification.objects.filter(recipient__in=reporters).exists()
