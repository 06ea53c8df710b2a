"""Notification emails: who gets one, what it says, and what a failed send means.

Invariants:
- Mail goes only to `accounts.emails.mail_address(reader)`, an address that
  reader verified, while their account is active: the forum cannot be made to
  mail a stranger's address, nor a closed account.
- Each check is made again when the email is about to leave, not when the
  notification was written: a reader who turned email off, read the
  notification in the site, or muted the thread in the meantime, or a comment
  removed in the meantime, gets no email.
- A send that fails for a reason that may pass is retried later, one refused for
  good is marked failed (forum.mail.deliver). Neither touches the in-site
  notification.
- A message's links that work without logging in (unsubscribe, mute the
  thread) carry the tokens of notifications.links; its Subject is written by
  notifications.subjects; its From is always FORUM_EMAIL_FROM.
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
from comments.text import html_to_text
from forum.links import absolute_url
from forum.mail import deliver
from notifications import links
from notifications.models import Notification, Preferences
from notifications.subjects import digest_subject, notification_subject
from notifications.threads import muted, thread_ids

log = logging.getLogger(__name__)
EmailState = Notification.Email


@dataclass(frozen=True)
class Item:
    """One notification as a message shows it."""

    notification: Notification
    url: str
    mute_url: str
    text: str
    html: str

    @property
    def comment(self):
        return self.notification.comment


def _items(notifications: list[Notification], *, link_key: str) -> list[Item]:
    """One reader's notifications as a message shows them (one query for all their
    threads); `link_key` is the reader's (notifications.links)."""
    threads = thread_ids(n.comment for n in notifications)
    return [_item(n, threads[n.comment_id], link_key) for n in notifications]


def _item(notification: Notification, thread_id: int, link_key: str) -> Item:
    comment = notification.comment
    return Item(
        notification=notification,
        url=absolute_url(reverse("comments:comment-permalink", kwargs={"pk": comment.pk})),
        mute_url=absolute_url(
            reverse(
                "notifications:mute-by-link",
                kwargs={"token": links.mute_token(link_key, thread_id)},
            )
        ),
        text=html_to_text(comment.body_html),
        # Safe: the stored HTML is sanitised (nh3); links within the site (mentions)
        # are made absolute, as a mail client has no page to resolve them against.
        html=mark_safe(comment.body_html.replace('href="/', f'href="{settings.FORUM_SITE_URL}/')),
    )


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


def notification_message(notification: Notification, address: str) -> EmailMultiAlternatives:
    link_key = links.link_key_of(notification.recipient)
    [item] = _items([notification], link_key=link_key)
    subject = notification_subject(notification)
    return _message(
        user=notification.recipient,
        link_key=link_key,
        address=address,
        subject=subject,
        template="notification",
        context={"item": item, "subject": subject},
    )


def digest_message(user, address: str, notifications: list[Notification]):
    link_key = links.link_key_of(user)
    items = _items(notifications, link_key=link_key)
    subject = digest_subject(len(items))
    return _message(
        user=user,
        link_key=link_key,
        address=address,
        subject=subject,
        template="digest",
        context={"items": items, "subject": subject},
    )


def _unwanted(notifications: list[Notification]) -> set[int]:
    """The notifications no longer worth an email: read in the site meanwhile, their
    comment no longer public, or their thread muted. Two queries at most."""
    mutes = muted([n.comment for n in notifications], {n.recipient_id for n in notifications})
    return {
        n.pk
        for n in notifications
        if n.read is not None
        or not policy.counts_as_visible(n.comment.status)
        or (n.recipient_id, n.comment_id) in mutes
    }


_AFTER = {"sent": EmailState.SENT, "failed": EmailState.FAILED}


def _waiting(**filters) -> list[Notification]:
    return list(
        Notification.objects.filter(**filters)
        .select_related("comment__article", "comment__author", "recipient")
        .order_by("created", "pk")
    )


def send_one(notification_id: int) -> tuple[str, timedelta | None]:
    """Mail one notification now. Returns its email state and, when the send is to be
    tried again, after how long."""
    found = _waiting(pk=notification_id, email_state=EmailState.PENDING)
    if not found:
        return "", None
    [notification] = found
    address = mail_address(notification.recipient)
    wants = Preferences.of(notification.recipient).email == Preferences.Email.EACH
    if not wants or not address or _unwanted(found):
        _set_state([notification.pk], EmailState.NONE, since=EmailState.PENDING)
        return EmailState.NONE, None
    attempts = notification.email_attempts + 1
    Notification.objects.filter(pk=notification.pk).update(email_attempts=attempts)
    outcome, delay = deliver(
        notification_message(notification, address),
        what=f"Notification {notification.pk}",
        attempts=attempts,
    )
    if outcome == "retry":
        return EmailState.PENDING, delay
    _set_state([notification.pk], _AFTER[outcome], since=EmailState.PENDING)
    return _AFTER[outcome], None


def _set_state(ids, state: str, *, since: str) -> None:
    Notification.objects.filter(pk__in=ids, email_state=since).update(email_state=state)


def send_digest_now(user_id: int, *, attempt_number: int = 1) -> tuple[str, timedelta | None]:
    """Mail the reader everything waiting for their digest, in one message."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return "", None
    waiting = _waiting(recipient=user, email_state=EmailState.DIGEST)
    Preferences.objects.filter(user=user).update(digest_due=None)
    address = mail_address(user)
    if Preferences.of(user).email != Preferences.Email.DIGEST or not address:
        unwanted = {n.pk for n in waiting}
    else:
        unwanted = _unwanted(waiting)
    _set_state(unwanted, EmailState.NONE, since=EmailState.DIGEST)
    wanted = [n for n in waiting if n.pk not in unwanted]
    if not wanted:
        return EmailState.NONE, None
    outcome, delay = deliver(
        digest_message(user, address, wanted),
        what=f"Digest for user {user_id}",
        attempts=attempt_number,
    )
    if outcome == "retry":
        Preferences.objects.filter(user=user).update(digest_due=timezone.now() + delay)
        return EmailState.DIGEST, delay
    _set_state([n.pk for n in wanted], _AFTER[outcome], since=EmailState.DIGEST)
    return _AFTER[outcome], None
