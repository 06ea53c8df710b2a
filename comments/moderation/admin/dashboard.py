"""What a moderator starts from: the admin index's counts of what waits for them,
each a link to the list that shows exactly those (the same filters)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from comments.models import Ban, Comment, ModerationAction
from comments.moderation.attention import attention_count

Kind = ModerationAction.Kind
REMOVALS = (Kind.REMOVE, Kind.REMOVE_SUBTREE, Kind.REMOVE_AUTHOR)


@dataclass(frozen=True)
class Tally:
    label: str
    count: int
    url: str


def _today(now: datetime | None) -> tuple[datetime, datetime]:
    """Today in the current time zone, as the admin's "Today" date filter reads it."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def moderation_tallies(*, now: datetime | None = None) -> list[Tally]:
    """What needs a moderator (held or reported, each comment once, as the site's
    "Moderate" button counts it, but never cached here), held comments, comments with
    open reports, removals today and active bans (five queries), each with the admin
    list that shows them."""
    comments = reverse("admin:comments_comment_changelist")
    start, end = _today(now)
    removals = {
        "kind__in": ",".join(REMOVALS),
        "created__gte": str(start),
        "created__lt": str(end),
    }
    log = reverse("admin:comments_moderationaction_changelist")
    return [
        Tally("Need attention", attention_count(), queue_url()),
        Tally(
            "Held comments",
            Comment.objects.held().count(),
            f"{comments}?{urlencode({'status__exact': Comment.Status.PENDING})}",
        ),
        Tally(
            "Comments with open reports",
            Comment.objects.reported().count(),
            f"{comments}?{urlencode({'reported': 'yes'})}",
        ),
        Tally(
            "Removals today",
            ModerationAction.objects.filter(
                kind__in=REMOVALS, created__gte=start, created__lt=end
            ).count(),
            f"{log}?{urlencode(removals)}",
        ),
        Tally(
            "Active bans",
            Ban.objects.active(now=now).count(),
            f"{reverse('admin:comments_ban_changelist')}?{urlencode({'active': 'yes'})}",
        ),
    ]


def queue_url() -> str:
    """The moderation queue, filtered to what needs attention (held or reported)."""
    return f"{reverse('admin:comments_comment_changelist')}?{urlencode({'attention': 'yes'})}"
