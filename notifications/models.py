"""What tells a reader that someone answered them, or wrote in a discussion they follow.

A Notification is written in the same transaction that publishes the comment
it points at (notifications.services), so a reader is told in the site even if
no mail ever leaves; the email is a separate, retried step (notifications.tasks)
whose progress is `email_state`.

A followed discussion's notification (kind FOLLOWED) points at the first new
comment it tells of and gathers the later ones (FollowedComment rows, the first
included) while it is neither read nor taken for mail; how many it tells of is
counted when it is shown, of the comments everyone may still see.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments import policy
from comments.text import html_excerpt


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read__isnull=True)

    def for_inbox(self, user) -> "NotificationQuerySet":
        """A reader's notifications, newest first: those whose comment every reader may
        still see (a reply removed after it was posted drops out of the inbox), a
        followed discussion's while any comment it tells of is, and every report acted
        on (its comment is removed; the inbox shows none of it)."""
        discussion = Q(kind=Notification.Kind.FOLLOWED)
        return (
            self.filter(recipient=user)
            .filter(
                (~discussion & policy.visible_to_everyone_q(prefix="comment__"))
                | (discussion & Exists(_visible_followed_comments()))
                | Q(kind=Notification.Kind.REPORT_ACTED)
            )
            .order_by("-created", "-pk")
        )

    def with_new_counts(self) -> "NotificationQuerySet":
        """Each with `new_count`: how many comments everyone may still see it tells of
        (for a followed discussion's; 0 for the others), in the same query."""
        counted = (
            _visible_followed_comments()
            .order_by()
            .values("notification")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(new_count=Coalesce(Subquery(counted), 0))


def _visible_followed_comments():
    """The comments an outer notification gathered that everyone may still see."""
    return FollowedComment.objects.filter(
        policy.visible_to_everyone_q(prefix="comment__"), notification=OuterRef("pk")
    )


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("replied to you")
        MENTION = "mention", _("mentioned you")
        REPORT_ACTED = "report_acted", _("acted on your report")
        FOLLOWED = "followed", _("new comments in a discussion you follow")

    # What a comment can tell a reader about itself: one of these at most (a
    # followed discussion's notification counts for each comment it gathered).
    ABOUT_THE_COMMENT = (Kind.REPLY, Kind.MENTION, Kind.FOLLOWED)

    class Email(models.TextChoices):
        NONE = "none", _("not mailed")
        PENDING = "pending", _("waiting to be sent")
        DIGEST = "digest", _("waiting for the daily digest")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be sent")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    comment = models.ForeignKey(
        "comments.Comment",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("comment"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    created = models.DateTimeField(_("created"), default=timezone.now)
    read = models.DateTimeField(_("read"), null=True, blank=True)
    email_state = models.CharField(
        _("email"), max_length=16, choices=Email.choices, default=Email.NONE
    )
    email_attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # Never twice of the same comment for the same reason.
            models.UniqueConstraint(
                fields=["recipient", "comment", "kind"], name="one_notification_per_reason"
            ),
            # A comment tells a reader of itself once, however many ways it concerns
            # them (a reply that mentions them is one notification, and one told
            # as a reply is not also a new comment in a discussion they follow);
            # being told a report on it was acted on is another matter.
            models.UniqueConstraint(
                fields=["recipient", "comment"],
                condition=Q(kind__in=["reply", "mention", "followed"]),
                name="one_notification_per_comment",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notification_inbox"),
            models.Index(
                fields=["recipient"], condition=Q(read__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.REPORT_ACTED:
            return f"Report on {self.comment.display_name}'s comment acted on ({self.recipient})"
        if self.kind == self.Kind.FOLLOWED:
            return f"New comments on {self.comment.article} ({self.recipient})"
        return f"{self.comment.display_name} {self.get_kind_display()} ({self.recipient})"

    @property
    def excerpt(self) -> str:
        """The first words of the comment, as the thread's excerpts read (plain text)."""
        return html_excerpt(self.comment.body_html)

    @property
    def about_a_report(self) -> bool:
        """Whether it tells the reader a moderator acted on their report (the comment
        is removed: shown without its text, and leads to the article)."""
        return self.kind == self.Kind.REPORT_ACTED

    @property
    def about_a_discussion(self) -> bool:
        """Whether it tells the reader of new comments in a discussion they follow
        (shown as how many, without any one comment's text)."""
        return self.kind == self.Kind.FOLLOWED

    @property
    def about_a_reply(self) -> bool:
        return self.kind == self.Kind.REPLY


class FollowedComment(models.Model):
    """One of the comments a followed discussion's notification tells its reader of."""

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="followed_comments",
        verbose_name=_("notification"),
    )
    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.CASCADE, related_name="+", verbose_name=_("comment")
    )

    class Meta:
        ordering = ["comment"]
        verbose_name = _("comment in a followed discussion")
        verbose_name_plural = _("comments in followed discussions")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "comment"], name="followed_comment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.comment_id} in notification {self.notification_id}"


def new_link_key() -> str:
    """A fresh random key that names a reader in their email links (notifications.links)."""
    return secrets.token_urlsafe(16)


class Preferences(models.Model):
    """A reader's choices about mail; a reader without a row has the defaults."""

    class Email(models.TextChoices):
        EACH = "each", _("An email for each reply or mention")
        DIGEST = "digest", _("One email a day with everything new")
        OFF = "off", _("No email (the inbox only)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preferences",
    )
    email = models.CharField(
        _("email me"), max_length=16, choices=Email.choices, default=Email.EACH
    )
    digest_due = models.DateTimeField(
        _("next digest"),
        null=True,
        blank=True,
        help_text=_("When the waiting digest is to be sent; empty when none is waiting."),
    )
    link_key = models.CharField(
        _("email link key"),
        max_length=32,
        unique=True,
        default=new_link_key,
        editable=False,
        help_text=_(
            "Names the reader in the links of their notification email; "
            "a new key retires every link mailed before it."
        ),
    )

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_display()}"

    @classmethod
    def of(cls, user) -> "Preferences":
        """The reader's preferences: their row, or an unsaved one with the defaults."""
        try:
            return cls.objects.get(user=user)
        except cls.DoesNotExist:
            return cls(user=user)


class ThreadMute(models.Model):
    """A reader wants nothing more from one thread (a top-level comment and its replies)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_threads"
    )
    thread = models.ForeignKey(
        "comments.Comment",
        on_delete=models.CASCADE,
        related_name="mutes",
        limit_choices_to={"level": 0},
        verbose_name=_("thread"),
    )
    created = models.DateTimeField(_("muted"), default=timezone.now)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("muted thread")
        verbose_name_plural = _("muted threads")
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="mute_thread_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} muted {self.thread_id}"
