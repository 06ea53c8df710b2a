"""A reader takes back their report while it is open: it is kept, marked withdrawn,
counts toward no hold and leaves the queue; they may report the comment again. A
report a moderator handled, or none of theirs, cannot be withdrawn."""

import pytest
from django.core.exceptions import ValidationError

from comments import services
from comments.models import Comment, ModerationAction, Report
from notifications.models import Notification
from tests.factories import establish

Status = Comment.Status
State = Report.State


@pytest.fixture
def readers(django_user_model):
    """Established readers: their reports count toward the automatic hold."""
    return [
        establish(django_user_model.objects.create_user(f"r{n}", password="a-long-passphrase"))
        for n in range(3)
    ]


@pytest.fixture
def reply(thread):
    return thread["reply"]


def report(comment, reporter, reason="spam") -> Report:
    return services.comment_report(comment=comment, reporter=reporter, reason=reason)


def test_withdrawing_an_open_report_marks_it_withdrawn_by_the_reporter(reply, reader):
    filed = report(reply, reader)

    withdrawn = services.report_withdraw(comment=reply, reporter=reader)

    assert withdrawn.pk == filed.pk
    stored = Report.objects.get(pk=filed.pk)
    assert (stored.state, stored.handled_by, stored.reason) == (State.WITHDRAWN, reader, "spam")
    assert stored.handled_at is not None


def test_a_withdrawn_report_no_longer_counts_toward_a_hold(reply, readers, settings):
    settings.FORUM_REPORTS_TO_HOLD = 2
    report(reply, readers[0])
    services.report_withdraw(comment=reply, reporter=readers[0])

    report(reply, readers[1])

    reply.refresh_from_db()
    assert reply.status == Status.PUBLISHED
    assert not ModerationAction.objects.filter(kind="hold").exists()


def test_a_withdrawn_report_leaves_the_moderation_queue(reply, reader):
    report(reply, reader)
    services.report_withdraw(comment=reply, reporter=reader)

    assert list(Comment.objects.reported()) == []
    assert list(Comment.objects.needing_attention()) == []


def test_a_reader_may_report_a_comment_again_after_withdrawing(reply, reader):
    report(reply, reader, reason="spam")
    services.report_withdraw(comment=reply, reporter=reader)

    again = report(reply, reader, reason="abuse")

    assert sorted(Report.objects.values_list("reason", "state")) == [
        ("abuse", State.OPEN),
        ("spam", State.WITHDRAWN),
    ]
    assert again.state == State.OPEN
    assert list(Comment.objects.reported()) == [reply]


def test_a_reader_still_reports_a_comment_only_once_while_it_stands(reply, reader):
    report(reply, reader)
    services.report_withdraw(comment=reply, reporter=reader)
    report(reply, reader)

    with pytest.raises(ValidationError, match="already reported"):
        report(reply, reader)


def test_a_comment_held_by_reports_stays_held_when_they_are_all_withdrawn(reply, readers, settings):
    settings.FORUM_REPORTS_TO_HOLD = 2
    for reporter in readers[:2]:
        report(reply, reporter)
    reply.refresh_from_db()
    assert reply.status == Status.PENDING

    for reporter in readers[:2]:
        services.report_withdraw(comment=reply, reporter=reporter)

    reply.refresh_from_db()
    assert reply.status == Status.PENDING
    assert list(Comment.objects.needing_attention()) == [reply]


def test_a_withdrawal_still_counts_toward_the_reporters_hourly_budget(
    article, other_reader, readers, settings
):
    settings.FORUM_REPORTS_TO_HOLD = 2
    settings.FORUM_AUTO_HOLDS_PER_HOUR = 1
    first, second = (
        services.comment_create(article=article, author=other_reader, body=text)
        for text in ("First target", "Second target")
    )
    for reporter in readers[:2]:
        report(first, reporter)
    for reporter in readers[:2]:
        services.report_withdraw(comment=first, reporter=reporter)

    for reporter in readers[:2]:
        report(second, reporter)

    second.refresh_from_db()
    assert second.status == Status.PUBLISHED


@pytest.mark.parametrize(
    ("act", "became"),
    [
        (lambda c, m: services.comments_remove(comments=[c], by=m, reason="Spam"), State.RESOLVED),
        (lambda c, m: services.reports_dismiss(comments=[c], by=m), State.DISMISSED),
    ],
    ids=["removed", "dismissed"],
)
def test_a_report_a_moderator_handled_cannot_be_withdrawn(reply, reader, moderator, act, became):
    report(reply, reader)
    act(reply, moderator)

    with pytest.raises(ValidationError) as refused:
        services.report_withdraw(comment=reply, reporter=reader)

    assert refused.value.code == "handled"
    assert "can no longer be withdrawn" in refused.value.message
    stored = Report.objects.get()
    assert (stored.state, stored.handled_by) == (became, moderator)


def test_a_reader_cannot_withdraw_someone_elses_report(reply, reader, readers):
    report(reply, readers[0])

    with pytest.raises(ValidationError) as refused:
        services.report_withdraw(comment=reply, reporter=reader)

    assert refused.value.code == "missing"
    assert Report.objects.get().state == State.OPEN


def test_a_report_is_withdrawn_once(reply, reader):
    report(reply, reader)
    services.report_withdraw(comment=reply, reporter=reader)

    with pytest.raises(ValidationError) as refused:
        services.report_withdraw(comment=reply, reporter=reader)

    assert refused.value.code == "missing"
    assert Report.objects.get().state == State.WITHDRAWN


def test_a_withdrawn_report_stays_withdrawn_and_untold_when_the_comment_is_removed(
    reply, reader, moderator
):
    report(reply, reader)
    services.report_withdraw(comment=reply, reporter=reader)

    services.comments_remove(comments=[reply], by=moderator, reason="Spam")

    stored = Report.objects.get()
    assert (stored.state, stored.handled_by) == (State.WITHDRAWN, reader)
    assert ModerationAction.objects.get(kind="remove").reason == "Spam"
    assert not Notification.objects.filter(kind="report_acted").exists()


def test_a_banned_reader_may_still_withdraw_their_report(reply, reader, moderator):
    # Reporting is refused to a banned reader; taking a report back only lowers a hold.
    report(reply, reader)
    services.users_ban(users=[reader], by=moderator, reason="Report bombing")

    services.report_withdraw(comment=reply, reporter=reader)

    assert Report.objects.get().state == State.WITHDRAWN


def test_a_report_filed_again_after_withdrawing_helps_hold_its_comment_once(
    article, other_reader, readers, settings
):
    settings.FORUM_REPORTS_TO_HOLD = 2
    settings.FORUM_AUTO_HOLDS_PER_HOUR = 2
    first, second = (
        services.comment_create(article=article, author=other_reader, body=text)
        for text in ("First target", "Second target")
    )
    report(first, readers[0])
    services.report_withdraw(comment=first, reporter=readers[0])
    report(first, readers[0])
    report(first, readers[1])

    for reporter in readers[:2]:
        report(second, reporter)

    statuses = [c.status for c in Comment.objects.filter(pk__in=[first.pk, second.pk])]
    assert statuses == [Status.PENDING, Status.PENDING]
