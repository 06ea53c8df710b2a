"""Readers' reports: filing one, withdrawing it, and when reports hold a comment.

Invariant: a report is only added or withdrawn under its comment's row lock
(`select_for_update`), the lock moderators' actions take to close a comment's open
reports (comments.moderation.services), so a report never slips in beside a
moderator's decision, and a withdrawal comes wholly before one or is refused.
A report is kept once filed: withdrawn ones too, so they still count toward their
reporter's hourly budget of holds.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from comments import policy
from comments.models import Comment, ModerationAction, Report
from comments.moderation.bans import refuse_if_banned
from comments.threads.cache import bump_comments_version
from comments.voting import tasks as voting

Status = Comment.Status


# The reports a moderator handled in this window make up a reporter's record.
REPORTER_RECORD = timedelta(days=90)


@dataclass(frozen=True)
class Counted:
    """A comment's reporters who count toward holding it (see `_counted_reporters`),
    and what they weigh together, in halves: two each, one for a reporter whose
    reports moderators often dismiss."""

    reporters: int
    halves: int

    @property
    def counted_half(self) -> int:
        return 2 * self.reporters - self.halves

    @property
    def holds(self) -> bool:
        return self.halves >= 2 * settings.FORUM_REPORTS_TO_HOLD

    def hold_reason(self) -> str:
        """Why the comment was held, as the moderation log says it."""
        return policy.reports_hold_reason(reporters=self.reporters, counted_half=self.counted_half)


def _often_dismissed(now: datetime) -> Exists:
    """Whether the report's reporter (an OuterRef) had at least
    FORUM_REPORTER_DISMISSED_LIMIT reports dismissed in the last 90 days, and more
    dismissed than resolved: a reader moderators more often find wrong than right."""
    record = (
        Report.objects.filter(
            reporter_id=OuterRef("reporter_id"),
            state__in=[Report.State.DISMISSED, Report.State.RESOLVED],
            handled_at__gte=now - REPORTER_RECORD,
        )
        .order_by()
        .values("reporter_id")
        .annotate(
            dismissed=Count("pk", filter=Q(state=Report.State.DISMISSED)),
            resolved=Count("pk", filter=Q(state=Report.State.RESOLVED)),
        )
        .filter(dismissed__gte=settings.FORUM_REPORTER_DISMISSED_LIMIT, dismissed__gt=F("resolved"))
    )
    return Exists(record)


def _counted_reporters(comment: Comment, now: datetime) -> Counted:
    """Which of a comment's reporters count toward holding it automatically, and how much.

    Report bombing is cheap: fresh accounts, or one set of readers reporting a
    whole thread. So a reporter counts only if their account is older than
    FORUM_REPORTER_MIN_AGE_HOURS and has a published comment, and only while
    the comments their reports helped hold in the last hour number fewer than
    FORUM_AUTO_HOLDS_PER_HOUR. Only open reports count: once a moderator approved
    the comment (dismissing its reports), or a reporter withdrew theirs, it takes as
    many new ones to hold it again. The hourly budget counts every report that
    helped hold a comment, whatever became of it since (withdrawn too). A reporter
    counts half once their reports are often dismissed (`_often_dismissed`; off
    when FORUM_REPORTER_DISMISSED_LIMIT is 0).
    """
    joined_before = now - timedelta(hours=settings.FORUM_REPORTER_MIN_AGE_HOURS)
    recent_holds = ModerationAction.objects.filter(
        kind=ModerationAction.Kind.HOLD, actor=None, created__gte=now - timedelta(hours=1)
    ).values("comment_id")
    helped_hold = (
        Report.objects.filter(reporter_id=OuterRef("reporter_id"), comment_id__in=recent_holds)
        .exclude(comment=comment)
        .order_by()
        .values("reporter_id")
        .annotate(count=Count("comment_id", distinct=True))
        .values("count")
    )
    has_published = Comment.objects.filter(
        author_id=OuterRef("reporter_id"), status=Status.PUBLISHED
    )
    weight = Value(2)  # in halves
    if settings.FORUM_REPORTER_DISMISSED_LIMIT:
        weight = Case(When(_often_dismissed(now), then=Value(1)), default=Value(2))
    # One query: a reader has one open report on a comment (a constraint), so no
    # reporter twice.
    totals = (
        Report.objects.open()
        .filter(comment=comment, reporter__date_joined__lte=joined_before)
        .filter(Exists(has_published))
        .annotate(helped=Coalesce(Subquery(helped_hold), 0), weight=weight)
        .filter(helped__lt=settings.FORUM_AUTO_HOLDS_PER_HOUR)
        .aggregate(reporters=Count("pk"), halves=Coalesce(Sum("weight"), 0))
    )
    return Counted(**totals)


@transaction.atomic
def comment_report(
    *, comment: Comment, reporter: AbstractBaseUser, reason: str, note: str = ""
) -> Report:
    """Flag a comment for moderators. When FORUM_REPORTS_TO_HOLD of its reporters
    count (see `_counted_reporters`), a published comment is held until a moderator
    looks at it; a moderator's comment never is."""
    refuse_if_banned(reporter)
    if comment.author_id == reporter.pk:
        raise ValidationError("You cannot report your own comment.", code="own")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.status in (Status.REMOVED, Status.DELETED):
        # Re-read under the row lock a removal takes too: a report racing a removal
        # must not reopen, as a fresh open report, what the moderator just closed.
        raise ValidationError("This comment is no longer shown.", code="hidden")
    try:
        with transaction.atomic():
            report = Report.objects.create(
                comment=comment, reporter=reporter, reason=reason, note=note.strip()
            )
    except IntegrityError:
        raise ValidationError("You have already reported this comment.", code="duplicate") from None
    if comment.status != Status.PUBLISHED or policy.Viewer.of(comment.author).can_moderate:
        return report
    now = timezone.now()
    counted = _counted_reporters(comment, now)
    if counted.holds:
        comment.status = Status.PENDING
        comment.moderation_reason = counted.hold_reason()
        comment.save(update_fields=["status", "moderation_reason"])
        ModerationAction.objects.create(
            actor=None,
            kind=ModerationAction.Kind.HOLD,
            comment=comment,
            user_id=comment.author_id,
            reason=comment.moderation_reason,
            created=now,
        )
        bump_comments_version(comment.article_id, trees=[comment.tree_id], visible=-1)
        voting.recount_if_counted([comment.author_id])  # held: its author's votes may stop counting
    return report


@transaction.atomic
def report_withdraw(*, comment: Comment, reporter: AbstractBaseUser) -> Report:
    """The reporter takes back their open report on `comment`. It is kept, marked
    withdrawn (by them, now), so it counts toward no hold and leaves the moderation
    queue, and they may report the comment again. A comment already held stays held:
    a moderator decides. Refused (nothing changed) when they have no open report on
    it: none at all, or one a moderator has handled."""
    # Under the comment's row lock, as moderators close its reports under it: a
    # withdrawal racing a moderator's action comes wholly before it or is refused.
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    report = Report.objects.standing().filter(comment=comment, reporter=reporter).first()
    if report is None:
        raise ValidationError(
            "You have no open report on this comment to withdraw.", code="missing"
        )
    if not report.is_open:
        raise ValidationError(
            "A moderator has already handled your report, so it can no longer be withdrawn.",
            code="handled",
        )
    report.state = Report.State.WITHDRAWN
    report.handled_by = reporter
    report.handled_at = timezone.now()
    report.save(update_fields=["state", "handled_by", "handled_at"])
    return report
