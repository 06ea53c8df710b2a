"""Votes in the admin, for moderators: who voted on a comment (the latest VOTES_SHOWN,
under a summary of them all), its points in the queue, and the Reset votes action
(comments.voting.services.votes_reset, logged). A comment's page reads its votes in
two queries however many there are."""

from django import forms
from django.contrib import admin
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from comments import policy, services
from comments.models import Comment, Vote
from comments.moderation.admin.actions import plural
from comments.moderation.forms import REASON_MAX_LENGTH
from forum.inlines import ReadOnlyInline

VOTES_SHOWN = 100
RESET_BUTTON = ("reset_votes", "Reset votes…")


def can_moderate(request: HttpRequest) -> bool:
    return policy.Viewer.of(request.user).can_moderate


class LatestVotes(BaseInlineFormSet):
    """The comment's votes, the latest changed first, `shown` at most."""

    shown = VOTES_SHOWN

    def get_queryset(self):
        if not hasattr(self, "_latest"):
            self._latest = super().get_queryset().order_by("-changed", "-pk")[: self.shown]
        return self._latest


class VoteInline(ReadOnlyInline):
    """Who voted on the comment, how, whether the vote counts, and when: for
    moderators only (a ring voting together shows here)."""

    model = Vote
    formset = LatestVotes
    fields = ("voter", "value", "counted", "created", "changed")
    verbose_name_plural = f"votes (the latest {VOTES_SHOWN})"

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("voter")

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return can_moderate(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def waiting_votes(comment: Comment) -> int:
    """How many of the comment's votes do not count (yet): one query, once a comment."""
    if not hasattr(comment, "votes_waiting"):
        comment.votes_waiting = Vote.objects.filter(comment=comment, counted=False).count()
    return comment.votes_waiting


def has_votes(comment: Comment) -> bool:
    return bool(comment.up or comment.down or waiting_votes(comment))


def votes_summary(comment: Comment) -> str:
    """ "7 points: 9 up, 2 down; 3 more votes do not count (yet)." """
    waiting = waiting_votes(comment)
    if not (comment.up or comment.down or waiting):
        return _("No votes.")
    points = policy.points(comment.up, comment.down)
    counted = f"{plural(points, 'point')}: {comment.up} up, {comment.down} down"
    if not waiting:
        return f"{counted}."
    return format_html(
        "{}; {} not counted (yet): {}.",
        counted,
        plural(waiting, "more vote"),
        _(
            "their voters' accounts are too new, have nothing published, or are banned; "
            "they count once their voters do"
        ),
    )


class ResetVotesForm(forms.Form):
    """Why a moderator takes every vote off the selected comments (optional)."""

    reason = forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_(
            "Optional. Recorded in the moderation log with your name and how many votes "
            "were taken off."
        ),
    )


class VoteActions:
    """The queue's vote actions, mixed into CommentAdmin (with ModerationActions)."""

    @admin.display(description=_("points"), ordering=F("up") - F("down"))
    def points_display(self, comment: Comment) -> str:
        if not (comment.up or comment.down):
            return "—"
        # Narrow, so the queue fits its window: the up and down counts on hover, and
        # in full on the comment's page (votes_summary).
        points = policy.points(comment.up, comment.down)
        return format_html(
            '<span title="{} up, {} down">{}</span>', comment.up, comment.down, points
        )

    @admin.display(description=_("votes"))
    def votes_summary(self, comment: Comment) -> str:
        return votes_summary(comment)

    @admin.action(description=_("Reset the votes on selected comments…"), permissions=["change"])
    def reset_votes(self, request, queryset):
        """Take every vote off the selected comments, asking for an optional reason
        first; one log entry per comment that had votes."""
        form = ResetVotesForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._ask(
                request,
                list(queryset.select_related("author")),
                form,
                title="Reset the votes on these comments",
                action="reset_votes",
                button="Reset votes",
            )
        selected, reason = list(queryset), form.cleaned_data["reason"]
        taken = {
            c.pk: services.votes_reset(comment=c, by=request.user, reason=reason) for c in selected
        }
        changed = [c for c in selected if taken[c.pk]]
        total = sum(taken.values())
        self._done(
            request,
            "Reset the votes on",
            changed,
            scope=f" ({plural(total, 'vote')} taken off)",
            left=len(selected) - len(changed),
            why="no votes",
            nothing="the selected comments had no votes",
        )
        return None
