"""Notification emails: who gets one, what it says, and what a failed send means.

Invariants:
- Mail goes only to `accounts.emails.mail_address(reader)`, an address that
  reader verified, while their account is active: the forum cannot be made to
  mail a stranger's address, nor a closed account.
- Each check is made again when the email is about to leave, not when the
  notification was written: a reader who turned email off, read the
  notification in the site, muted the thread or stopped following the
  discussion in the meantime, or a comment removed in the meantime, gets no
  email (a followed discussion's lists only what is still there to tell).
- A sender takes the notifications it mails (email state "sending") before it
  reads them: from then on no new comment joins a followed discussion's
  notification (notifications.discussions starts a new one), and one that was
  joining it (its row locked) has committed, so the message holds everything
  the notification counts. A send to retry gives them back (pending, or digest).
- A send that fails for a reason that may pass is retried later, one refused for
  good is marked failed (forum.mail.deliver). Neither touches the in-site
  notification.
- A message's links that work without logging in (unsubscribe, mute the
  thread, stop following the discussion) carry the tokens of
  notifications.links; its Subject is written by notifications.subjects; its
  From is always FORUM_EMAIL_FROM.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from accounts.emails import mail_address
from comments import policy
from comments.models import Comment
from comments.text import html_to_text
from comments.threads import visits
from forum.links import absolute_url
from forum.mail import deliver
from notifications import links
from notifications.models import FollowedComment, Notification, Preferences
from notifications.subjects import digest_subject, discussion_subject, notification_subject
from notifications.threads import muted, thread_ids

log = logging.getLogger(__name__)
EmailState = Notification.Email

# A followed discussion's message shows this many of its newest comments in full,
# then says how many more there are.
SHOWN_IN_FULL = 3


@dataclass(frozen=True)
class Shown:
    """One comment as a message shows it in full."""

    comment: Comment
    url: str
    text: str
    html: str


@dataclass(frozen=True)
class Item:
    """A reply or mention as a message shows it."""

    notification: Notification
    url: str
    mute_url: str
    text: str
    html: str
    is_discussion = False

    @property
    def comment(self):
        return self.notification.comment


@dataclass(frozen=True)
class Discussion:
    """A followed discussion's new comments as a message shows them: `count` of them,
    the newest few in full (`shown`, oldest first), how many `more`, and a link to the
    `first` of them."""

    notification: Notification
    count: int
    shown: list[Shown]
    more: int
    first_url: str
    unfollow_url: str
    is_discussion = True

    @property
    def article(self):
        return self.notification.comment.article


def _permalink(comment: Comment) -> str:
    return absolute_url(reverse("comments:comment-permalink", kwargs={"pk": comment.pk}))


def _shown(comment: Comment) -> Shown:
    return Shown(
        comment=comment,
        url=_permalink(comment),
        text=html_to_text(comment.body_html),
        # Safe: the stored HTML is sanitised (nh3); links within the site (mentions)
        # are made absolute, as a mail client has no page to resolve them against.
        html=mark_safe(comment.body_html.replace('href="/', f'href="{settings.FORUM_SITE_URL}/')),
    )


def _items(
    notifications: list[Notification], gathered: dict[int, list[Comment]], *, link_key: str
) -> list[Item | Discussion]:
    """One reader's notifications as a message shows them (one query for all their
    threads); `gathered` holds what each followed discussion's tells of (`_gathered`),
    `link_key` is the reader's (notifications.links)."""
    threads = thread_ids(n.comment for n in notifications if not n.about_a_discussion)
    return [
        _discussion(n, gathered[n.pk], link_key)
        if n.about_a_discussion
        else _item(n, threads[n.comment_id], link_key)
        for n in notifications
    ]


def _item(notification: Notification, thread_id: int, link_key: str) -> Item:
    shown = _shown(notification.comment)
    return Item(
        notification=notification,
        url=shown.url,
        mute_url=absolute_url(
            reverse(
                "notifications:mute-by-link",
                kwargs={"token": links.mute_token(link_key, thread_id)},
            )
        ),
        text=shown.text,
        html=shown.html,
    )


def _discussion(notification: Notification, comments: list[Comment], link_key: str) -> Discussion:
    shown = [_shown(c) for c in comments[-SHOWN_IN_FULL:]]
    article_id = notification.comment.article_id
    return Discussion(
        notification=notification,
        count=len(comments),
        shown=shown,
        more=len(comments) - len(shown),
        first_url=_permalink(comments[0]),
        unfollow_url=absolute_url(
            reverse(
                "notifications:unfollow-by-link",
                kwargs={"token": links.unfollow_token(link_key, article_id)},
            )
        ),
    )


def _gathered(notifications: list[Notification]) -> dict[int, list[Comment]]:
    """For each followed discussion's notification among these (one reader's), the
    comments it tells of that are still worth telling, oldest first: those everyone
    may still see, outside threads the reader muted since. Three queries at most."""
    followed = [n for n in notifications if n.about_a_discussion]
    if not followed:
        return {}
    rows = (
        FollowedComment.objects.filter(
            policy.visible_to_everyone_q(prefix="comment__"), notification__in=followed
        )
        .select_related("comment__author", "comment__article")
        .order_by("comment__created", "comment_id")
    )
    gathered: dict[int, list[Comment]] = {n.pk: [] for n in followed}
    for row in rows:
        gathered[row.notification_id].append(row.comment)
    readers = {n.pk: n.recipient_id for n in followed}
    mutes = muted([c for each in gathered.values() for c in each], set(readers.values()))
    return {
        pk: [c for c in comments if (readers[pk], c.pk) not in mutes]
        for pk, comments in gathered.items()
    }


def _message(*, user, link_key: str, address: str, subject: str, template: str, context: dict):
    unsubscribe = absolute_url(
        reverse("notifications:unsubscribe", kwargs={"token": links.unsubscribe_token(link_key)})
    )
    context = {
        **context,
        "user": user,
        "unsubscribe_url": unsubscribe,
        "settings_url": absolute_url(reverse("notifications:settings")),
        "site_url": settings.FORUM_SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"notifications/email/{template}.txt", context),
        # The forum's own address, never a commenter's name (notifications.subjects).
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={
            # RFC 8058: a mail client may unsubscribe with one POST to this address;
            # following it (GET) only asks (notifications.links).
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # RFC 3834: no out-of-office replies to a machine.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string(f"notifications/email/{template}.html", context), "text/html"
    )
    return message


def notification_message(
    notification: Notification, address: str, gathered: dict[int, list[Comment]] | None = None
) -> EmailMultiAlternatives:
    """The message for one notification; a followed discussion's needs what it
    gathered (`_gathered`)."""
    link_key = links.link_key_of(notification.recipient)
    [item] = _items([notification], gathered or {}, link_key=link_key)
    if item.is_discussion:
        subject = discussion_subject(item.count, item.article.title)
        template, context = "discussion", {"discussion": item, "subject": subject}
    else:
        subject = notification_subject(notification)
        template, context = "notification", {"item": item, "subject": subject}
    return _message(
        user=notification.recipient,
        link_key=link_key,
        address=address,
        subject=subject,
        template=template,
        context=context,
    )


def digest_message(
    user, address: str, notifications: list[Notification], gathered: dict[int, list[Comment]]
):
    link_key = links.link_key_of(user)
    items = _items(notifications, gathered, link_key=link_key)
    subject = digest_subject(
        replies=sum(1 for item in items if not item.is_discussion),
        comments=sum(item.count for item in items if item.is_discussion),
    )
    return _message(
        user=user,
        link_key=link_key,
        address=address,
        subject=subject,
        template="digest",
        context={"items": items, "subject": subject},
    )


def _unwanted(
    notifications: list[Notification], gathered: dict[int, list[Comment]], *, user_id: int
) -> set[int]:
    """The notifications (of reader `user_id`) no longer worth an email: read in the
    site meanwhile; a reply's or mention's comment no longer public, or its thread
    muted; a followed discussion no longer followed, or with nothing left to tell
    (`gathered`). Three queries at most."""
    direct = [n for n in notifications if not n.about_a_discussion]
    mutes = muted([n.comment for n in direct], {user_id})
    discussions = [n.comment.article_id for n in notifications if n.about_a_discussion]
    followed = (
        visits.followed_among(user_id=user_id, article_ids=discussions) if discussions else set()
    )
    return {
        n.pk
        for n in notifications
        if n.read is not None
        or (
            n.about_a_discussion
            and (not gathered.get(n.pk) or n.comment.article_id not in followed)
        )
        or (
            not n.about_a_discussion
            and (
                not policy.counts_as_visible(n.comment.status)
                or (n.recipient_id, n.comment_id) in mutes
            )
        )
    }


_AFTER = {"sent": EmailState.SENT, "failed": EmailState.FAILED}


def _take(ids, *, since: str) -> list[Notification]:
    """Take these notifications for mail (see the module's invariants): those still
    `since` become "sending", and are returned with what a message shows."""
    Notification.objects.filter(pk__in=ids, email_state=since).update(
        email_state=EmailState.SENDING
    )
    return list(
        Notification.objects.filter(pk__in=ids, email_state=EmailState.SENDING)
        .select_related("comment__article", "comment__author", "recipient")
        .order_by("created", "pk")
    )


def send_one(notification_id: int) -> tuple[str, timedelta | None]:
    """Mail one notification now. Returns its email state and, when the send is to be
    tried again, after how long."""
    found = _take([notification_id], since=EmailState.PENDING)
    if not found:
        return "", None
    [notification] = found
    address = mail_address(notification.recipient)
    wants = Preferences.of(notification.recipient).email == Preferences.Email.EACH
    gathered = _gathered(found)
    if not wants or not address or _unwanted(found, gathered, user_id=notification.recipient_id):
        _set_state([notification.pk], EmailState.NONE, since=EmailState.SENDING)
        return EmailState.NONE, None
    attempts = notification.email_attempts + 1
    Notification.objects.filter(pk=notification.pk).update(email_attempts=attempts)
    outcome, delay = deliver(
        notification_message(notification, address, gathered),
        what=f"Notification {notification.pk}",
        attempts=attempts,
    )
    if outcome == "retry":
        # Waiting again: a followed discussion's gathers what comes meanwhile.
        _set_state([notification.pk], EmailState.PENDING, since=EmailState.SENDING)
        return EmailState.PENDING, delay
    _set_state([notification.pk], _AFTER[outcome], since=EmailState.SENDING)
    return _AFTER[outcome], None


def _set_state(ids, state: str, *, since: str) -> None:
    Notification.objects.filter(pk__in=ids, email_state=since).update(email_state=state)


def send_digest_now(user_id: int, *, attempt_number: int = 1) -> tuple[str, timedelta | None]:
    """Mail the reader everything waiting for their digest, in one message."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return "", None
    Preferences.objects.filter(user=user).update(digest_due=None)
    ids = Notification.objects.filter(recipient=user, email_state=EmailState.DIGEST).values_list(
        "pk", flat=True
    )
    waiting = _take(list(ids), since=EmailState.DIGEST)
    address = mail_address(user)
    gathered = _gathered(waiting)
    if Preferences.of(user).email != Preferences.Email.DIGEST or not address:
        unwanted = {n.pk for n in waiting}
    else:
        unwanted = _unwanted(waiting, gathered, user_id=user.pk)
    _set_state(unwanted, EmailState.NONE, since=EmailState.SENDING)
    wanted = [n for n in waiting if n.pk not in unwanted]
    if not wanted:
        return EmailState.NONE, None
    outcome, delay = deliver(
        digest_message(user, address, wanted, gathered),
        what=f"Digest for user {user_id}",
        attempts=attempt_number,
    )
    if outcome == "retry":
        _set_state([n.pk for n in wanted], EmailState.DIGEST, since=EmailState.SENDING)
        Preferences.objects.filter(user=user).update(digest_due=timezone.now() + delay)
        return EmailState.DIGEST, delay
    _set_state([n.pk for n in wanted], _AFTER[outcome], since=EmailState.SENDING)
    return _AFTER[outcome], None
