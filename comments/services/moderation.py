"""Moderators' writes: approve, remove, restore, remove whole subtrees, ban.

Each action changes statuses only (nothing is hard-deleted) and records one
moderation-log entry per comment or user it touched, in the same transaction.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..locks import bump_comments_version
from ..models import Ban, Comment, ModerationAction
from ..selectors import forget_ban

Status = Comment.Status
Kind = ModerationAction.Kind


def _log(actor, kind: str, comments: list[Comment], reason: str = "") -> None:
    """Record the action on each comment, and mark their articles' cached threads stale."""
    ModerationAction.objects.bulk_create(
        ModerationAction(actor=actor, kind=kind, comment=c, user_id=c.author_id, reason=reason)
        for c in comments
    )
    if comments:
        bump_comments_version(*{c.article_id for c in comments})


def _transition(
    comments: Iterable[Comment],
    *,
    by: AbstractBaseUser,
    kind: str,
    to: str,
    from_: Iterable[str],
    reason: str = "",
) -> int:
    ids = [c.pk for c in comments]
    with transaction.atomic():
        chosen = list(
            Comment.objects.select_for_update().filter(pk__in=ids, status__in=list(from_))
        )
        Comment.objects.filter(pk__in=[c.pk for c in chosen]).update(
            status=to, moderation_reason=reason
        )
        _log(by, kind, chosen, reason)
    return len(chosen)


def comments_approve(*, comments: Iterable[Comment], by: AbstractBaseUser) -> int:
    """Publish comments held for review. Returns how many changed."""
    return _transition(
        comments, by=by, kind=Kind.APPROVE, to=Status.PUBLISHED, from_=[Status.PENDING]
    )


def comments_remove(*, comments: Iterable[Comment], by: AbstractBaseUser, reason: str) -> int:
    """Hide comments from readers, with a reason; nothing is deleted.

    A removed comment whose replies are still visible stays as a "[removed]"
    placeholder so the replies keep their place. Returns how many changed.
    """
    return _transition(
        comments,
        by=by,
        kind=Kind.REMOVE,
        to=Status.REMOVED,
        from_=[Status.PUBLISHED, Status.PENDING],
        reason=reason,
    )


def comments_restore(*, comments: Iterable[Comment], by: AbstractBaseUser) -> int:
    """Make removed comments visible again. Returns how many changed."""
    return _transition(
        comments, by=by, kind=Kind.RESTORE, to=Status.PUBLISHED, from_=[Status.REMOVED]
    )


def comments_remove_subtree(
    *, comments: Iterable[Comment], by: AbstractBaseUser, reason: str
) -> int:
    """Remove comments together with every reply beneath them. Returns how many changed."""
    roots = list(comments)
    with transaction.atomic():
        within = Q(pk__in=[])
        for root in Comment.objects.filter(pk__in=[c.pk for c in roots]):
            within |= Q(tree_id=root.tree_id, lft__gte=root.lft, rght__lte=root.rght)
        chosen = list(
            Comment.objects.select_for_update()
            .filter(within)
            .filter(status__in=[Status.PUBLISHED, Status.PENDING])
        )
        Comment.objects.filter(pk__in=[c.pk for c in chosen]).update(
            status=Status.REMOVED, moderation_reason=reason
        )
        _log(by, Kind.REMOVE_SUBTREE, chosen, reason)
    return len(chosen)


@transaction.atomic
def users_ban(
    *,
    users: Iterable[AbstractBaseUser],
    by: AbstractBaseUser,
    reason: str,
    ends: datetime | None = None,
) -> list[Ban]:
    """Ban users until `ends` (None: permanently). Staff cannot be banned this way."""
    now = timezone.now()
    bans = [
        Ban.objects.create(user=user, reason=reason, starts=now, ends=ends, created_by=by)
        for user in {u.pk: u for u in users if not u.is_staff}.values()
    ]
    until = f" (until {ends:%Y-%m-%d %H:%M %Z})" if ends else " (permanent)"
    ModerationAction.objects.bulk_create(
        ModerationAction(actor=by, kind=Kind.BAN, user=ban.user, reason=reason + until)
        for ban in bans
    )
    for ban in bans:
        transaction.on_commit(partial(forget_ban, ban.user_id))
    return bans


@transaction.atomic
def ban_lift(*, ban: Ban, by: AbstractBaseUser, reason: str = "") -> Ban:
    """End a ban now."""
    now = timezone.now()
    if ban.ends is None or ban.ends > now:
        ban.ends = max(now, ban.starts + timedelta(microseconds=1))
        ban.save(update_fields=["ends"])
        ModerationAction.objects.create(actor=by, kind=Kind.UNBAN, user=ban.user, reason=reason)
        transaction.on_commit(partial(forget_ban, ban.user_id))
    return ban
