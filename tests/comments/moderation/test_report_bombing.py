"""Which reports count toward holding a comment for a moderator: those of established
readers, not of fresh accounts nor those a moderator dismissed; a reporter whose
reports moderators often dismiss counts half; a moderator's comment is never held,
one set of reporters holds only a few comments an hour, and a report costs the same
queries however many came before it."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from comments import services
from comments.models import Comment, ModerationAction, Report
from tests.factories import establish
from tests.settings_env import load_settings, setting_values

Status = Comment.Status


@pytest.fixture
def ring(django_user_model):
    """Three fresh accounts, as a report-bombing ring would use."""
    return [
        django_user_model.objects.create_user(f"ring{n}", password="x-long-passphrase")
        for n in range(3)
    ]


def trusted(user, article):
    return establish(user)


@pytest.fixture
def record(other_article, django_user_model, moderator):
    """Give a reporter a record with the moderators: `dismissed` of their reports
    dismissed and `resolved` resolved, on another reader's comments elsewhere."""
    author = django_user_model.objects.create_user("prolific", password="x-long-passphrase")
    numbers = itertools.count()

    def give(reporter, *, dismissed=0, resolved=0):
        for n in range(dismissed + resolved):
            comment = services.comment_create(
                article=other_article, author=author, body=f"Comment {next(numbers)}"
            )
            services.comment_report(comment=comment, reporter=reporter, reason="spam")
            if n < dismissed:
                services.reports_dismiss(comments=[comment], by=moderator)
            else:
                services.comments_remove(comments=[comment], by=moderator, reason="Spam")
        return reporter

    return give


@pytest.fixture
def established(ring, article):
    return [trusted(reporter, article) for reporter in ring]


def held_after_reports(comment, reporters) -> bool:
    for reporter in reporters:
        services.comment_report(comment=comment, reporter=reporter, reason="spam")
    comment.refresh_from_db()
    return comment.status == Status.PENDING


def test_reports_from_fresh_accounts_do_not_hold_a_comment(article, reader, ring):
    comment = services.comment_create(article=article, author=reader, body="Unpopular opinion")
    for reporter in ring:
        services.comment_report(comment=comment, reporter=reporter, reason="spam")

    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED
    assert comment.reports.count() == 3  # still there for the moderators


def test_reports_from_established_readers_still_hold_a_comment(article, reader, ring):
    comment = services.comment_create(article=article, author=reader, body="Actual spam")
    for reporter in ring:
        trusted(reporter, article)
        services.comment_report(comment=comment, reporter=reporter, reason="spam")

    comment.refresh_from_db()
    assert comment.status == Status.PENDING


def test_reports_a_moderator_dismissed_no_longer_count_toward_a_hold(
    thread, django_user_model, moderator, settings
):
    settings.FORUM_REPORTS_TO_HOLD = 2
    first, second, third = (
        establish(django_user_model.objects.create_user(name, password="a-long-pass"))
        for name in ("carl", "dora", "emil")
    )
    reply = thread["reply"]
    for reporter in (first, second):
        services.comment_report(comment=reply, reporter=reporter, reason="spam")
    services.comments_approve(comments=[reply], by=moderator)

    services.comment_report(comment=reply, reporter=third, reason="spam")

    reply.refresh_from_db()
    assert reply.status == Status.PUBLISHED
    assert ModerationAction.objects.filter(kind="hold").count() == 1


def test_a_moderators_comment_is_never_held_by_reports(article, moderator, ring):
    comment = services.comment_create(article=article, author=moderator, body="House rules")
    for reporter in ring:
        services.comment_report(
            comment=comment, reporter=trusted(reporter, article), reason="abuse"
        )

    comment.refresh_from_db()
    assert comment.status == Status.PUBLISHED


def test_one_set_of_reporters_can_hold_only_a_few_comments_an_hour(article, reader, ring, settings):
    settings.FORUM_AUTO_HOLDS_PER_HOUR = 2
    ring = [trusted(reporter, article) for reporter in ring]
    targets = [
        services.comment_create(article=article, author=reader, body=f"Target {n}")
        for n in range(4)
    ]
    for target in targets:
        for reporter in ring:
            services.comment_report(comment=target, reporter=reporter, reason="spam")

    statuses = [Comment.objects.get(pk=t.pk).status for t in targets]
    assert statuses == [Status.PENDING, Status.PENDING, Status.PUBLISHED, Status.PUBLISHED]


def test_a_report_costs_the_same_queries_after_one_reporter_or_five(
    article, reader, django_user_model, django_assert_num_queries, settings
):
    settings.FORUM_REPORTS_TO_HOLD = 10
    few = services.comment_create(article=article, author=reader, body="Reported by few")
    many = services.comment_create(article=article, author=reader, body="Reported by many")
    readers = [
        establish(django_user_model.objects.create_user(f"r{n}", password="x-long-passphrase"))
        for n in range(7)
    ]
    services.comment_report(comment=few, reporter=readers[0], reason="spam")
    for reporter in readers[1:6]:
        services.comment_report(comment=many, reporter=reporter, reason="spam")

    with django_assert_num_queries(9):
        services.comment_report(comment=few, reporter=readers[6], reason="spam")
    with django_assert_num_queries(9):
        services.comment_report(comment=many, reporter=readers[6], reason="spam")


def test_a_reporter_often_dismissed_no_longer_tips_a_comment_into_a_hold(
    article, reader, established, record
):
    record(established[2], dismissed=3)
    comment = services.comment_create(article=article, author=reader, body="Fine, if blunt")

    assert not held_after_reports(comment, established)
    assert comment.reports.count() == 3  # still there for the moderators


def test_two_reporters_often_dismissed_count_as_one(article, reader, established, record, settings):
    record(established[1], dismissed=3)
    record(established[2], dismissed=4, resolved=1)
    settings.FORUM_REPORTS_TO_HOLD = 2
    comment = services.comment_create(article=article, author=reader, body="Actual spam")

    assert held_after_reports(comment, established)
    assert ModerationAction.objects.get(kind="hold", comment=comment).reason == (
        "Held automatically after 3 reports (2 counted half: moderators often dismiss "
        "their reports)."
    )


def target(article, reader, n: int) -> Comment:
    return services.comment_create(article=article, author=reader, body=f"Target {n}")


def test_a_reporter_right_as_often_as_dismissed_counts_fully(article, reader, established, record):
    record(established[2], dismissed=3)
    assert not held_after_reports(target(article, reader, 1), established)

    record(established[2], resolved=3)

    assert held_after_reports(target(article, reader, 2), established)
    assert ModerationAction.objects.get(kind="hold").reason == (
        "Held automatically after 3 reports."
    )


def test_a_reporter_counts_half_from_the_limits_number_of_dismissals(
    article, reader, established, record, settings
):
    settings.FORUM_REPORTER_DISMISSED_LIMIT = 4
    record(established[2], dismissed=3)
    assert held_after_reports(target(article, reader, 1), established)

    record(established[2], dismissed=1)

    assert not held_after_reports(target(article, reader, 2), established)


def test_only_dismissals_of_the_last_ninety_days_count(article, reader, established, record):
    record(established[2], dismissed=3)
    assert not held_after_reports(target(article, reader, 1), established)

    Report.objects.filter(state="dismissed").update(
        handled_at=timezone.now() - dt.timedelta(days=91)
    )

    assert held_after_reports(target(article, reader, 2), established)


def test_a_limit_of_zero_turns_the_rule_off(article, reader, established, record, settings):
    record(established[2], dismissed=3)
    assert not held_after_reports(target(article, reader, 1), established)

    settings.FORUM_REPORTER_DISMISSED_LIMIT = 0

    assert held_after_reports(target(article, reader, 2), established)


def test_a_report_costs_the_same_queries_whatever_its_reporters_record(
    article, reader, established, record, django_assert_num_queries, settings
):
    record(established[0], dismissed=3)
    record(established[1], dismissed=1, resolved=2)
    settings.FORUM_REPORTS_TO_HOLD = 10
    comment = services.comment_create(article=article, author=reader, body="Reported")
    services.comment_report(comment=comment, reporter=established[0], reason="spam")
    services.comment_report(comment=comment, reporter=established[1], reason="spam")

    with django_assert_num_queries(9):
        services.comment_report(comment=comment, reporter=established[2], reason="spam")


def test_the_dismissal_limit_is_three_and_checked_as_the_settings_load():
    assert setting_values(["FORUM_REPORTER_DISMISSED_LIMIT"], DJANGO_DEBUG="1") == {
        "FORUM_REPORTER_DISMISSED_LIMIT": "3"
    }
    refused = load_settings(DJANGO_DEBUG="1", FORUM_REPORTER_DISMISSED_LIMIT="-1")
    assert refused.returncode == 1
    assert (
        "FORUM_REPORTER_DISMISSED_LIMIT must be a whole number of at least 0, not '-1'."
        in refused.stderr
    )
