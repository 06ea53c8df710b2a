"""A reader's vote on a comment."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments.models.comment import Comment


class Vote(models.Model):
    """One reader's vote on one comment (a constraint), up or down. Kept even while it
    does not count (`counted`): its voter's account is too new or has published
    nothing yet, or is banned (comments.voting says when a voter counts); the
    comment's `up` and `down` are the sums of its votes that count."""

    class Value(models.IntegerChoices):
        UP = 1, _("Up")
        DOWN = -1, _("Down")

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="votes", verbose_name=_("comment")
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="votes",
        verbose_name=_("voter"),
    )
    value = models.SmallIntegerField(_("vote"), choices=Value.choices)
    counted = models.BooleanField(
        _("counts"),
        default=False,
        help_text=_("Whether it counts toward the comment's points now."),
    )
    created = models.DateTimeField(_("voted"), default=timezone.now)
    changed = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter"], name="one_vote_per_reader"),
            models.CheckConstraint(condition=models.Q(value__in=[1, -1]), name="vote_up_or_down"),
        ]
        indexes = [models.Index(fields=["voter", "counted"], name="vote_voter_counted")]

    def __str__(self) -> str:
        return f"{self.voter} {'+1' if self.value > 0 else '-1'} on #{self.comment_id}"
