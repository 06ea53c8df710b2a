"""What moderators act on and leave behind: readers' reports, bans, and the log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from comments.models.comment import Comment


class ReportQuerySet(models.QuerySet):
    def open(self) -> "ReportQuerySet":
        return self.filter(state=Report.State.OPEN)

    def standing(self) -> "ReportQuerySet":
        """Those their reporters have not withdrawn: open or handled by a moderator."""
        return self.exclude(state=Report.State.WITHDRAWN)


class Report(models.Model):
    """A reader's flag on a comment; one standing report per reader per comment. Open
    until a moderator acts on the comment (comments.moderation.services, in the same
    transaction): removing it resolves the report, approving or restoring it, or
    dismissing its reports, dismisses it. While it is open its reporter may withdraw
    it (comments.posting.reports.report_withdraw): it is kept, handled by them, and
    they may report the comment again, as a new report. A report never opens again, but
    when the approval that dismissed it is undone (comments.moderation.services.approval_undo)."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved: the comment was removed")
        DISMISSED = "dismissed", _("Dismissed: the comment was fine")
        WITHDRAWN = "withdrawn", _("Withdrawn by the reporter")

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abuse or harassment")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comment")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports_made",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created"]
        constraints = [
            # Withdrawn reports are kept, and do not stop their reporter reporting again.
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=~Q(state="withdrawn"),
                name="one_standing_report_per_reader",
            ),
            # Handled exactly when no longer open (who handled it may be gone: SET_NULL).
            models.CheckConstraint(
                condition=Q(state="open", handled_at__isnull=True)
                | (~Q(state="open") & Q(handled_at__isnull=False)),
                name="report_handled_iff_not_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on comment {self.comment_id}"

    @property
    def is_open(self) -> bool:
        """Neither handled by a moderator nor withdrawn: its reporter may still withdraw it."""
        return self.state == self.State.OPEN


class BanQuerySet(models.QuerySet):
    def active(self, *, now=None) -> "BanQuerySet":
        now = now or timezone.now()
        return self.filter(Q(ends__isnull=True) | Q(ends__gt=now), starts__lte=now)


class Ban(models.Model):
    """A user may read but not post, edit or report while a ban is active."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bans",
        verbose_name=_("user"),
    )
    reason = models.CharField(_("reason"), max_length=500)
    starts = models.DateTimeField(_("starts"), default=timezone.now)
    ends = models.DateTimeField(_("ends"), null=True, blank=True, help_text=_("Empty: permanent."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("banned by"),
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        ordering = ["-starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gt=models.F("starts")),
                name="ban_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} banned {self.until_text}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.starts <= now and (self.ends is None or self.ends > now)

    @property
    def until_text(self) -> str:
        return ban_until_text(self.ends)


def ban_until_text(ends) -> str:
    """How long a ban ending at `ends` (None: never) lasts, in words: "until 3 Jul
    2025, 14:00 UTC" or "permanently"."""
    if ends is None:
        return "permanently"
    return "until " + dateformat.format(timezone.localtime(ends), "j M Y, H:i T")


class ModerationAction(models.Model):
    """The moderation log: who did what to which comment or user, when and why."""

    class Kind(models.TextChoices):
        APPROVE = "approve", _("Approved")
        HOLD = "hold", _("Held for review")
        REMOVE = "remove", _("Removed")
        REMOVE_SUBTREE = "remove_subtree", _("Removed with replies")
        REMOVE_AUTHOR = "remove_author", _("Removed with all by its author")
        APPROVE_SUBTREE = "approve_subtree", _("Approved with held replies")
        DISMISS_REPORTS = "dismiss_reports", _("Reports dismissed")
        RESTORE = "restore", _("Restored")
        BAN = "ban", _("Banned")
        UNBAN = "unban", _("Ban lifted")
        EDIT = "edit", _("Edited by its author")
        UNDO_APPROVE = "undo_approve", _("Approval undone: held again")
        RESET_VOTES = "reset_votes", _("Votes reset")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions",
        verbose_name=_("moderator"),
        help_text=_("Empty when the forum acted on its own (e.g. a hold after reports)."),
    )
    kind = models.CharField(_("action"), max_length=16, choices=Kind.choices)
    comment = models.ForeignKey(
        Comment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions",
        verbose_name=_("comment"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_received",
        verbose_name=_("affected user"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    public_reason = models.CharField(
        _("public reason"),
        max_length=200,
        blank=True,
        help_text=_("Shown in the public moderation log when the site has one."),
    )
    created = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    held_reason = models.CharField(
        _("held for"),
        max_length=500,
        blank=True,
        help_text=_(
            "On an approval: why the comment had been held, which undoing the approval restores."
        ),
    )

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        who = self.actor or "forum"
        return f"{who}: {self.get_kind_display()} ({self.created:%Y-%m-%d %H:%M})"
