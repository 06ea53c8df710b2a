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

from notifications.services import notify_published

from .. import policy
from ..bans import forget_ban
from ..cache import bump_comments_version
from ..locks import lock_article_trees
from ..models import Ban, Comment, ModerationAction

Status = Comment.Status
Kind = ModerationAction.Kind


def _lock_articles_of(ids: list[int]) -> None:
    """Take the tree locks of the articles these comments belong to (see comments.locks)."""
    lock_article_trees(*Comment.objects.filter(pk__in=ids).values_list("article_id", flat=True))


def _apply(
    chosen: list[Comment], *, by, kind: str, to: str, reason: str, public_reason: str = ""
) -> int:
    """Set `chosen` (read under the lock) to status `to`; log each one; mark each
    thread they belong to stale and adjust their articles' visible counts."""
    Comment.objects.filter(pk__in=[c.pk for c in chosen]).update(
        status=to, moderation_reason=reason, public_reason=public_reason
    )
    ModerationAction.objects.bulk_create(
        ModerationAction(
            actor=by,
            kind=kind,
            comment=c,
            user_id=c.author_id,
            reason=reason,
            public_reason=public_reason,
        )
        for c in chosen
    )
    delta: dict[int, int] = {}
    trees: dict[int, set[int]] = {}
    for c in chosen:
        change = int(policy.counts_as_visible(to)) - int(policy.counts_as_visible(c.status))
        delta[c.article_id] = delta.get(c.article_id, 0) + change
        trees.setdefault(c.article_id, set()).add(c.tree_id)
    for article_id, change in delta.items():
        bump_comments_version(article_id, trees=trees[article_id], visible=change)
    if policy.counts_as_visible(to):
        # A held comment tells the readers it concerns once a moderator approves it.
        for c in chosen:
            c.status = to
        notify_published(chosen)
    return len(chosen)


def _transition(
    comments: Iterable[Comment],
    *,
    by: AbstractBaseUser,
    kind: str,
    to: str,
    from_: Iterable[str],
    reason: str = "",
    public_reason: str = "",
) -> int:
    ids = [c.pk for c in comments]
    with transaction.atomic():
        _lock_articles_of(ids)
        chosen = list(
            Comment.objects.select_for_update().filter(pk__in=ids, status__in=list(from_))
        )
        return _apply(chosen, by=by, kind=kind, to=to, reason=reason, public_reason=public_reason)


def comments_approve(*, comments: Iterable[Comment], by: AbstractBaseUser) -> int:
    """Publish comments held for review. Returns how many changed."""
    return _transition(
        comments, by=by, kind=Kind.APPROVE, to=Status.PUBLISHED, from_=[Status.PENDING]
    )


def comments_remove(
    *, comments: Iterable[Comment], by: AbstractBaseUser, reason: str, public_reason: str = ""
) -> int:
    """Hide comments from readers, with a reason (for moderators) and a public reason
    (for readers, when the site keeps a public moderation log); nothing is deleted.

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
        public_reason=public_reason,
    )


def comments_restore(*, comments: Iterable[Comment], by: AbstractBaseUser) -> int:
    """Make removed comments visible again. Returns how many changed."""
    return _transition(
        comments, by=by, kind=Kind.RESTORE, to=Status.PUBLISHED, from_=[Status.REMOVED]
    )


def _subtrees_of(ids: list[int]) -> Q:
    """The comments with these ids and every reply beneath them, by their current
    ranges: only stable while the articles' tree locks are held."""
    within = Q(pk__in=[])
    for root in Comment.objects.filter(pk__in=ids):
        within |= Q(tree_id=root.tree_id, lft__gte=root.lft, rght__lte=root.rght)
    return within


def comments_remove_subtree(
    *, comments: Iterable[Comment], by: AbstractBaseUser, reason: str
) -> int:
    """Remove comments together with every reply beneath them, under the articles'
    tree locks so no reply can slip in between reading the ranges and removing
    them. Returns how many changed."""
    ids = [c.pk for c in comments]
    with transaction.atomic():
        _lock_articles_of(ids)
        chosen = list(
            Comment.objects.select_for_update()
            .filter(_subtrees_of(ids))
            .filter(status__in=[Status.PUBLISHED, Status.PENDING])
        )
        return _apply(chosen, by=by, kind=Kind.REMOVE_SUBTREE, to=Status.REMOVED, reason=reason)


@transaction.atomic
def users_ban(
    *,
    users: Iterable[AbstractBaseUser],
    by: AbstractBaseUser,
    reason: str,
    ends: datetime | None = None,
    public_reason: str = "",
) -> list[Ban]:
    """Ban users until `ends` (None: permanently). Users that `policy.ban_refusal`
    refuses (staff) are left alone: compare the result with `users`."""
    now = timezone.now()
    bans = [
        Ban.objects.create(user=user, reason=reason, starts=now, ends=ends, created_by=by)
        for user in {u.pk: u for u in users if not policy.ban_refusal(u)}.values()
    ]
    until = f" (until {ends:%Y-%m-%d %H:%M %Z})" if ends else " (permanent)"
    ModerationAction.objects.bulk_create(
        ModerationAction(
            actor=by,
            kind=Kind.BAN,
            user=ban.user,
            reason=reason + until,
            public_reason=public_reason,
        )
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
