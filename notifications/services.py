"""Writes that tell readers, and the readers' own choices about being told.

Invariants:
- A reader is told about a comment only once it is published (a held comment
  tells nobody until a moderator approves it), never about their own comment,
  never from a thread they muted, and once per comment however many ways it
  concerns them (a reply that also mentions them is one notification, of the
  kind "reply"); a unique constraint on (recipient, comment) for these kinds
  backs this.
- A reader whose report a moderator acted on (the comment was removed) is told
  once, in the site only (no email), by `notify_reporters`, in the moderator's
  transaction; that is the only notification that may sit beside a reply or
  mention of the same comment (unique per recipient, comment and kind).
- A reader who follows a discussion is told of its new comments under the same
  rules, gathered into one notification while it waits: notifications.discussions.
- `notify_published` runs inside the transaction that publishes: the in-site
  notification exists exactly when the comment is published. The email is
  queued only after that transaction commits, and sent by a worker. Its cost
  does not grow with the number of readers told: one query per kind of fact
  (followers, mutes, preferences, ...), bulk inserts, one task per batch.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from comments import policy
from comments.models import Comment, Report
from comments.posting import limits
from comments.text import mentions_in
from comments.threads import visits
from forum.mail import enqueue_safely
from notifications import discussions
from notifications.models import (
    FollowedComment,
    Notification,
    Preferences,
    ThreadMute,
    new_link_key,
)
from notifications.tasks import send_digests, send_notifications
from notifications.threads import muted, thread_ids

Kind = Notification.Kind
EmailState = Notification.Email


def preferences_of(user) -> Preferences:
    """The reader's preferences: their row, or an unsaved one with the defaults."""
    return Preferences.of(user)


@transaction.atomic
def set_email_preference(*, user, email: str) -> Preferences:
    """Choose how the reader is mailed (each, digest, off). Waiting notifications
    follow the new choice when their turn comes (notifications.delivery). Turning
    email back on after it was off is a resubscription: the reader gets a new link
    key, which retires every link in the mail sent before (notifications.links)."""
    preferences, _ = Preferences.objects.select_for_update().get_or_create(user=user)
    changed = ["email"]
    if preferences.email == Preferences.Email.OFF and email != Preferences.Email.OFF:
        preferences.link_key = new_link_key()
        changed.append("link_key")
    preferences.email = email
    preferences.save(update_fields=changed)
    if email == Preferences.Email.DIGEST:
        # Anything still waiting for its own email joins the next digest instead.
        waiting = Notification.objects.filter(recipient=user, email_state=EmailState.PENDING)
        if waiting.update(email_state=EmailState.DIGEST):
            schedule_digests([user.pk])
    return preferences


def next_digest_time(now: datetime) -> datetime:
    """The next FORUM_DIGEST_HOUR o'clock (UTC) after `now`."""
    due = now.astimezone(UTC).replace(
        hour=settings.FORUM_DIGEST_HOUR, minute=0, second=0, microsecond=0
    )
    return due if due > now else due + timedelta(days=1)


def schedule_digests(user_ids: Iterable[int]) -> None:
    """Make sure a digest is due for each of these readers (who chose the digest, so
    have a Preferences row): the first notification waiting for one sets the time
    and queues the task; later ones join it. Two queries, however many readers."""
    user_ids = set(user_ids)
    if not user_ids:
        return
    due = next_digest_time(timezone.now())
    waiting = (
        Preferences.objects.select_for_update()
        .filter(user_id__in=user_ids, digest_due__isnull=True)
        .order_by("user_id")  # every writer locks readers' rows in the same order
    )
    starting = list(waiting.values_list("user_id", flat=True))
    if starting:
        Preferences.objects.filter(user_id__in=starting).update(digest_due=due)
        transaction.on_commit(
            partial(enqueue_safely, send_digests.using(run_after=due), sorted(starting))
        )


def _wanted(comments: list[Comment]) -> dict[int, dict[int, str]]:
    """For each comment, the readers it concerns and how (a reply before a mention),
    mentions in the order they appear, in two queries however many comments there are."""
    parents = dict(
        Comment.objects.filter(pk__in={c.parent_id for c in comments if c.parent_id})
        .exclude(author=None)
        .values_list("pk", "author_id")
    )
    names = {c.pk: mentions_in(c.body) for c in comments}
    wanted_names = {name for each in names.values() for name in each}
    accounts = dict(
        get_user_model().objects.filter(username__in=wanted_names).values_list("username", "pk")
        if wanted_names
        else []
    )
    wanted: dict[int, dict[int, str]] = {}
    for comment in comments:
        readers: dict[int, str] = {}
        if comment.parent_id in parents:
            readers[parents[comment.parent_id]] = Kind.REPLY
        for name in names[comment.pk]:
            if name in accounts:
                readers.setdefault(accounts[name], Kind.MENTION)
        readers.pop(comment.author_id, None)
        wanted[comment.pk] = readers
    return wanted


def notify_published(comments: Iterable[Comment], *, edited: bool = False) -> list[Notification]:
    """Tell the readers these just-published comments concern. Call inside the
    transaction that publishes them; returns the notifications it wrote (comments
    that joined a followed discussion's waiting notification are not among them). A
    guest's comment (no account) tells them too; an imported one never does (it is
    history, not news).

    Mentions cannot mail the membership: one comment notifies at most
    FORUM_MENTIONS_PER_COMMENT readers by mention over its whole life (its edits
    included: a reader told once is never told again, and the first readers named
    are the ones told), and every mention notification counts against its sender's
    FORUM_MENTION_RATE (comments.posting.limits). Mentions past either stay links to the
    readers' profiles and notify nobody.

    The readers who follow the comments' articles are told of them, gathered as
    notifications.discussions says, unless the comments were `edited` (an edit tells
    only whom its new text mentions); the number of queries does not grow with them."""
    comments = [c for c in comments if not c.imported and policy.counts_as_visible(c.status)]
    if not comments:
        return []
    wanted = _wanted(comments)
    appearing = [] if edited else comments
    followers = visits.followers({c.article_id for c in appearing}) if appearing else {}
    readers = {reader for each in wanted.values() for reader in each}
    readers |= {reader for each in followers.values() for reader in each}
    if not readers:
        return []
    told = _told(comments)
    skip = muted(comments, readers) | {(reader, comment) for reader, comment, _ in told}
    mentions_left = {c.pk: settings.FORUM_MENTIONS_PER_COMMENT for c in comments}
    for _, comment_id, kind in told:
        if kind == Kind.MENTION:
            mentions_left[comment_id] -= 1
    choices = dict(Preferences.objects.filter(user_id__in=readers).values_list("user_id", "email"))
    states = {
        reader: _email_state(choices.get(reader, Preferences.Email.EACH)) for reader in readers
    }
    active = set(
        get_user_model().objects.filter(pk__in=readers, is_active=True).values_list("pk", flat=True)
    )
    now = timezone.now()
    notifications = []
    for comment in comments:
        for reader, kind in wanted[comment.pk].items():
            if reader not in active or (reader, comment.pk) in skip:
                continue
            if kind == Kind.MENTION:
                if mentions_left[comment.pk] <= 0 or not limits.may_notify_by_mention(comment):
                    continue
                mentions_left[comment.pk] -= 1
            notifications.append(
                Notification(
                    recipient_id=reader,
                    comment=comment,
                    kind=kind,
                    created=now,
                    email_state=states[reader],
                )
            )
    skip |= {(n.recipient_id, n.comment.pk) for n in notifications}
    gathering = discussions.gather(appearing, followers, skip=skip, active=active)
    schedule_digests(
        {n.recipient_id for n in notifications if n.email_state == EmailState.DIGEST}
        | {reader for reader, _ in gathering if states[reader] == EmailState.DIGEST}
    )
    waiting = discussions.waiting(gathering, states)
    for key, discussion in gathering.items():
        if key in waiting:
            discussion.notification = waiting[key]
        else:
            discussion.notification = Notification(
                recipient_id=discussion.reader,
                comment=discussion.comments[0],
                kind=Kind.FOLLOWED,
                created=now,
                email_state=states[discussion.reader],
            )
            notifications.append(discussion.notification)
    created = Notification.objects.bulk_create(notifications)
    FollowedComment.objects.bulk_create(
        FollowedComment(notification_id=discussion.notification.pk, comment=comment)
        for discussion in gathering.values()
        for comment in discussion.comments
    )
    _queue_emails(created, now)
    return created


def _told(comments: list[Comment]) -> list[tuple[int, int, str]]:
    """(reader, comment pk, kind) for what these comments have told already: replies,
    mentions, and the followed discussions' notifications that gathered them. One query."""
    direct = (
        Notification.objects.filter(comment__in=comments, kind__in=[Kind.REPLY, Kind.MENTION])
        .order_by()
        .values_list("recipient_id", "comment_id", "kind")
    )
    gathered = (
        FollowedComment.objects.filter(comment__in=comments)
        .order_by()
        .values_list("notification__recipient_id", "comment_id", "notification__kind")
    )
    return list(direct.union(gathered, all=True))


def notify_reporters(reports: Iterable[Report]) -> list[Notification]:
    """Tell each reader whose report was just resolved (a moderator removed the
    comment) that it was acted on: in the site only, never by email, and not the
    moderator who handled it. Call inside the moderator's transaction; a report is
    resolved once, so each reporter is told once. Returns what it wrote."""
    reports = [r for r in reports if r.reporter_id != r.handled_by_id]
    if not reports:
        return []
    active = set(
        get_user_model()
        .objects.filter(pk__in={r.reporter_id for r in reports}, is_active=True)
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    return Notification.objects.bulk_create(
        Notification(
            recipient_id=report.reporter_id,
            comment_id=report.comment_id,
            kind=Kind.REPORT_ACTED,
            created=now,
            email_state=EmailState.NONE,
        )
        for report in reports
        if report.reporter_id in active
    )


def _email_state(choice: str) -> str:
    return {
        Preferences.Email.EACH: EmailState.PENDING,
        Preferences.Email.DIGEST: EmailState.DIGEST,
    }.get(choice, EmailState.NONE)


def _queue_emails(created: list[Notification], now: datetime) -> None:
    """Queue the new notifications' email, once the transaction commits: replies and
    mentions at once, followed discussions discussions.BATCH later (what joins them
    meanwhile leaves with them). One task for each, however many readers."""
    pending = [n for n in created if n.email_state == EmailState.PENDING]
    at_once = [n.pk for n in pending if not n.about_a_discussion]
    later = [n.pk for n in pending if n.about_a_discussion]
    if at_once:
        transaction.on_commit(partial(enqueue_safely, send_notifications, at_once))
    if later:
        batch = send_notifications.using(run_after=now + discussions.BATCH)
        transaction.on_commit(partial(enqueue_safely, batch, later))


def unread_count(user) -> int:
    """How many of the reader's notifications are unread and still point at a
    comment everyone may see; one indexed query."""
    return Notification.objects.for_inbox(user).unread().count()


def mark_read(*, user, notification: Notification | None = None) -> int:
    """Mark one notification (or, with None, all of them) read; returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read=timezone.now())


def mark_comment_read(*, user, comment: Comment) -> int:
    """The reader has seen this comment: whatever told them of it is read (a followed
    discussion's notification that gathered it included)."""
    gathered = FollowedComment.objects.filter(comment=comment).values("notification_id")
    return (
        Notification.objects.filter(recipient=user, read__isnull=True)
        .filter(Q(comment=comment) | Q(pk__in=gathered))
        .update(read=timezone.now())
    )


def mute_thread(*, user, comment: Comment) -> ThreadMute:
    """Stop notifications from the thread `comment` belongs to."""
    thread = thread_ids([comment])[comment.pk]
    mute, _ = ThreadMute.objects.get_or_create(user=user, thread_id=thread)
    return mute


def unmute_thread(*, user, comment: Comment) -> None:
    ThreadMute.objects.filter(user=user, thread_id=thread_ids([comment])[comment.pk]).delete()


def unsubscribe(*, user) -> Preferences:
    """Turn off every notification email (the in-site inbox carries on)."""
    preferences = set_email_preference(user=user, email=Preferences.Email.OFF)
    Notification.objects.filter(
        Q(email_state=EmailState.PENDING) | Q(email_state=EmailState.DIGEST), recipient=user
    ).update(email_state=EmailState.NONE)
    return preferences
