"""Which reports count toward holding a comment for a moderator: those of established
readers, not of fresh accounts nor those a moderator dismissed; a moderator's
comment is never held, one set of reporters holds only a few comments an hour, and a
report costs the same queries however many came before it."""

import pytest

from comments import services
from comments.models import Comment, ModerationAction
from tests.factories import establish

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
