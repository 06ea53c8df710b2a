"""Moderators' writes: approve (and undo an approval), remove, restore, remove or
approve whole subtrees, remove everything by some authors, dismiss reports, ban and
lift bans.

Each action changes statuses only (nothing is hard-deleted) and records one
moderation-log entry per comment or user it touched, in the same transaction.
A status change also closes the comment's open reports in that transaction
(see `Report`): a removal resolves them and tells each reporter; approving or
restoring dismisses them; the log entry says how many (e.g. "(2 reports
resolved)"). The functions that change comments return the comments they changed.

An approval's log entry is written at the very time its reports are marked handled
(`handled_at`), and keeps why the comment had been held (`held_reason`): so undoing
it (`approval_undo`) knows exactly which reports it dismissed and what to restore.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from comments import policy
from comments.models import Ban, Comment, ModerationAction, Report
from comments.moderation.bans import forget_ban
from comments.threads.cache import bump_comments_version
from comments.trees.locks import lock_article_trees
from comments.voting import tasks as voting
from notifications.services import notify_published, notify_reporters

Status = Comment.Status
Act = policy.Act
Kind = ModerationAction.Kind
ReportState = Report.State
# What a new status means for the comment's open reports: a removal proves the
# reporters right; publishing it says it was fine.
REPORTS_AFTER = {Status.REMOVED: ReportState.RESOLVED, Status.PUBLISHED: ReportState.DISMISSED}
REASON_LENGTH = ModerationAction._meta.get_field("reason").max_length


def _lock_articles_of(ids: list[int]) -> None:
    """Take the tree locks of the articles these comments belong to (see comments.trees.locks)."""
    lock_article_trees(*Comment.objects.filter(pk__in=ids).values_list("article_id", flat=True))


def _close_reports(chosen: list[Comment], *, by, state: str, now: datetime) -> Counter:
    """Close the open reports on `chosen` as `state`, handled `now`; returns how many
    each comment had. The caller holds the comments' rows locked, and a report is only
    ever added under its comment's row lock (comment_report), so none slips in.
    Reporters proved right are told."""
    reports = list(Report.objects.open().filter(comment_id__in=[c.pk for c in chosen]))
    if not reports:
        return Counter()
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        state=state, handled_by=by, handled_at=now
    )
    for report in reports:
        report.state, report.handled_by, report.handled_at = state, by, now
    if state == ReportState.RESOLVED:
        notify_reporters(reports)
    return Counter(report.comment_id for report in reports)


def _with_note(reason: str, note: str) -> str:
    """`reason` and then `note`, cut (never the note) to fit the log's reason field."""
    room = REASON_LENGTH - len(note) - 1
    if len(reason) > room:
        reason = reason[: room - 1] + "…"
    return f"{reason} {note}" if reason else note


def _logged_reason(reason: str, reports: int, state: str) -> str:
    """The log entry's reason, saying what became of the comment's open reports."""
    if not reports:
        return reason
    return _with_note(reason, f"({reports} report{'s' if reports != 1 else ''} {state})")


def _apply(
    chosen: list[Comment], *, by, kind: str, to: str, reason: str, public_reason: str = ""
) -> list[Comment]:
    """Set `chosen` (read under the lock) to status `to` and close their open reports;
    log each one; mark each thread they belong to stale and adjust their articles'
    visible counts. Returns `chosen`, with their new status."""
    now = timezone.now()
    Comment.objects.filter(pk__in=[c.pk for c in chosen]).update(
        status=to, moderation_reason=reason, public_reason=public_reason
    )
    state = REPORTS_AFTER.get(to)
    closed = _close_reports(chosen, by=by, state=state, now=now) if state and chosen else Counter()
    ModerationAction.objects.bulk_create(
        ModerationAction(
            actor=by,
            kind=kind,
            comment=c,
            user_id=c.author_id,
            reason=_logged_reason(reason, closed[c.pk], state),
            public_reason=public_reason,
            created=now,
            held_reason=c.moderation_reason
            if c.status == Status.PENDING and to == Status.PUBLISHED
            else "",
        )
        for c in chosen
    )
    # A voter needs a published comment for their votes to count (comments.voting).
    if policy.counts_as_visible(to):
        voting.recount_if_waiting(c.author_id for c in chosen)
    else:
        voting.recount_if_counted(c.author_id for c in chosen if policy.counts_as_visible(c.status))
    delta: dict[int, int] = {}
    trees: dict[int, set[int]] = {}
    for c in chosen:
        change = int(policy.counts_as_visible(to)) - int(policy.counts_as_visible(c.status))
        delta[c.article_id] = delta.get(c.article_id, 0) + change
        trees.setdefault(c.article_id, set()).add(c.tree_id)
    for article_id, change in delta.items():
        bump_comments_version(article_id, trees=trees[article_id], visible=change)
    for c in chosen:
        c.status, c.moderation_reason = to, reason
    if policy.counts_as_visible(to):
        # A held comment tells the readers it concerns once a moderator approves it.
        notify_published(chosen)
    return chosen


def _transition(
    comments: Iterable[Comment],
    *,
    by: AbstractBaseUser,
    kind: str,
    to: str,
    from_: Iterable[str],
    reason: str = "",
    public_reason: str = "",
) -> list[Comment]:
    ids = [c.pk for c in comments]
    with transaction.atomic():
        _lock_articles_of(ids)
        chosen = list(
            Comment.objects.select_for_update().filter(pk__in=ids, status__in=list(from_))
        )
        return _apply(chosen, by=by, kind=kind, to=to, reason=reason, public_reason=public_reason)


def comments_approve(*, comments: Iterable[Comment], by: AbstractBaseUser) -> list[Comment]:
    """Publish comments held for review; their open reports are dismissed."""
    return _transition(
        comments,
        by=by,
        kind=Kind.APPROVE,
        to=Status.PUBLISHED,
        from_=policy.APPLIES_TO[Act.APPROVE],
    )


def comments_remove(
    *, comments: Iterable[Comment], by: AbstractBaseUser, reason: str, public_reason: str = ""
) -> list[Comment]:
    """Hide comments from readers, with a reason (for moderators) and a public reason
    (for readers, when the site keeps a public moderation log); nothing is deleted.
    Their open reports are resolved and the reporters told.

    A removed comment whose replies are still visible stays as a "[removed]"
    placeholder so the replies keep their place.
    """
    return _transition(
        comments,
        by=by,
        kind=Kind.REMOVE,
        to=Status.REMOVED,
        from_=policy.APPLIES_TO[Act.REMOVE],
        reason=reason,
        public_reason=public_reason,
    )


def comments_restore(*, comments: Iterable[Comment], by: AbstractBaseUser) -> list[Comment]:
    """Make removed comments visible again; any open reports on them are dismissed."""
    return _transition(
        comments,
        by=by,
        kind=Kind.RESTORE,
        to=Status.PUBLISHED,
        from_=policy.APPLIES_TO[Act.RESTORE],
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
) -> list[Comment]:
    """Remove comments together with every reply beneath them, under the articles'
    tree locks so no reply can slip in between reading the ranges and removing
    them."""
    ids = [c.pk for c in comments]
    with transaction.atomic():
        _lock_articles_of(ids)
        chosen = list(
            Comment.objects.select_for_update()
            .filter(_subtrees_of(ids))
            .filter(status__in=policy.APPLIES_TO[Act.REMOVE])
        )
        return _apply(chosen, by=by, kind=Kind.REMOVE_SUBTREE, to=Status.REMOVED, reason=reason)


def comments_approve_subtree(*, comments: Iterable[Comment], by: AbstractBaseUser) -> list[Comment]:
    """Publish held comments together with every held reply beneath them.

    Under the articles' tree locks, as `comments_remove_subtree`: a reply posted
    while this runs either committed first (and is approved with the rest, if
    held) or waits for the lock and lands afterwards, held if it needs review:
    nothing the moderator has not had the chance to see is approved.
    """
    ids = [c.pk for c in comments]
    with transaction.atomic():
        _lock_articles_of(ids)
        chosen = list(
            Comment.objects.select_for_update()
            .filter(_subtrees_of(ids))
            .filter(status__in=policy.APPLIES_TO[Act.APPROVE])
        )
        return _apply(chosen, by=by, kind=Kind.APPROVE_SUBTREE, to=Status.PUBLISHED, reason="")


def comments_remove_by_authors(
    *, authors: Iterable[AbstractBaseUser], by: AbstractBaseUser, reason: str
) -> list[Comment]:
    """Remove every published or held comment these users wrote, on every article
    (cleaning up after a spammer), one log entry per comment.

    The articles they wrote in are locked (in ascending order) before their
    comments are read; a comment posted meanwhile in an article not locked yet is
    not removed (it came after the moderator's decision: run it again)."""
    author_ids = {author.pk for author in authors}
    live = policy.APPLIES_TO[Act.REMOVE]
    with transaction.atomic():
        articles = set(
            Comment.objects.filter(author_id__in=author_ids, status__in=live)
            .order_by()
            .values_list("article_id", flat=True)
            .distinct()
        )
        lock_article_trees(*articles)
        chosen = list(
            Comment.objects.select_for_update().filter(
                author_id__in=author_ids, article_id__in=articles, status__in=live
            )
        )
        return _apply(chosen, by=by, kind=Kind.REMOVE_AUTHOR, to=Status.REMOVED, reason=reason)


def reports_dismiss(*, comments: Iterable[Comment], by: AbstractBaseUser) -> list[Comment]:
    """Dismiss the open reports on comments a moderator leaves as they are (they were
    fine), one log entry per comment. Returns the comments that had open reports."""
    ids = [c.pk for c in comments]
    with transaction.atomic():
        # Locked, as a report is only added under its comment's row lock.
        locked = list(Comment.objects.select_for_update().filter(pk__in=ids))
        closed = _close_reports(locked, by=by, state=ReportState.DISMISSED, now=timezone.now())
        chosen = [c for c in locked if closed[c.pk]]
        ModerationAction.objects.bulk_create(
            ModerationAction(
                actor=by,
                kind=Kind.DISMISS_REPORTS,
                comment=c,
                user_id=c.author_id,
                reason=_logged_reason("", closed[c.pk], ReportState.DISMISSED),
            )
            for c in chosen
        )
        return chosen


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
    bans = Ban.objects.bulk_create(
        Ban(user=user, reason=reason, starts=now, ends=ends, created_by=by)
        for user in {u.pk: u for u in users if not policy.ban_refusal(u)}.values()
    )
    until = f"(until {ends:%Y-%m-%d %H:%M %Z})" if ends else "(permanent)"
    ModerationAction.objects.bulk_create(
        ModerationAction(
            actor=by,
            kind=Kind.BAN,
            user=ban.user,
            reason=_with_note(reason, until),
            public_reason=public_reason,
        )
        for ban in bans
    )
    for ban in bans:
        transaction.on_commit(partial(forget_ban, ban.user_id))
    voting.recount_banned(bans)  # their votes stop counting, until each ban ends
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
        voting.recount_if_waiting([ban.user_id])  # their votes may count again
    return ban


@transaction.atomic
def user_bans_lift(*, user: AbstractBaseUser, by: AbstractBaseUser, reason: str = "") -> list[Ban]:
    """End every active ban of `user` now (`ban_lift`, one log entry each); returns
    the bans it ended (none when the user was not banned)."""
    bans = list(Ban.objects.select_for_update().active().filter(user=user))
    return [ban_lift(ban=ban, by=by, reason=reason) for ban in bans]


class UndoRefused(ValidationError):
    """An approval that may not be undone (policy.approval_undo_refusal says why)."""


def approval_undo(*, comment: Comment, by: AbstractBaseUser) -> Comment:
    """Put a comment `by` approved a moment ago back on hold: its status back to held
    with the reason it was held for, and the reports that approval dismissed open
    again, logged as UNDO_APPROVE. Only within policy.APPROVAL_UNDO_WINDOW, and only
    while the approval is the last thing done to the comment (nobody removed, edited
    or dismissed anything since): else raises UndoRefused, changing nothing.

    Under the article's tree lock and the comment's row lock, as every moderation
    write, so a removal or an edit racing the undo either came first (and the undo is
    refused) or waits for it."""
    with transaction.atomic():
        _lock_articles_of([comment.pk])
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        history = ModerationAction.objects.filter(comment=locked).order_by("-created", "-pk")
        latest = history.first()
        if latest is not None and latest.kind == Kind.APPROVE:
            approval, since = latest, None
        else:
            approval, since = history.filter(kind=Kind.APPROVE).first(), latest
        refusal = policy.approval_undo_refusal(
            status=locked.status,
            approved_by=approval.actor_id if approval else None,
            approved_at=approval.created if approval else None,
            acted_since=since.get_kind_display() if since else "",
            viewer=policy.Viewer.of(by),
        )
        if refusal:
            raise UndoRefused(refusal, code="undo")
        reopened = Report.objects.filter(
            comment=locked,
            state=ReportState.DISMISSED,
            handled_by=approval.actor_id,
            handled_at=approval.created,
        ).update(state=ReportState.OPEN, handled_by=None, handled_at=None)
        locked.status, locked.moderation_reason = Status.PENDING, approval.held_reason
        locked.save(update_fields=["status", "moderation_reason"])
        voting.recount_if_counted([locked.author_id])  # held again (comments.voting)
        note = f"({reopened} report{'s' if reopened != 1 else ''} open again)" if reopened else ""
        ModerationAction.objects.create(
            actor=by,
            kind=Kind.UNDO_APPROVE,
            comment=locked,
            user_id=locked.author_id,
            reason=_with_note(approval.held_reason, note) if note else approval.held_reason,
        )
        bump_comments_version(locked.article_id, trees=[locked.tree_id], visible=-1)
        return locked
