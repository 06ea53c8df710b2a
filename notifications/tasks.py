"""The notifications' mail, sent by a worker (`python manage.py worker`): notifications
one by one, or a reader's digest. How mail leaves, and is retried, is forum.mail's; a
send that may succeed later is queued again with `run_after` set.

A write that tells many readers queues one task for all their notifications (or all
their digests), so queueing costs the same for one reader as for a thousand; each
retry is then a task of its own."""

from django_tasks import task

from forum.mail import again
from notifications import delivery


@task()
def send_notifications(notification_ids: list[int]) -> list[str]:
    """Mail each of these notifications to its reader, if they still want it."""
    return [_send(notification_id) for notification_id in notification_ids]


@task()
def send_notification(notification_id: int) -> str:
    """Mail one notification to its reader, if they still want it (a retry)."""
    return _send(notification_id)


def _send(notification_id: int) -> str:
    state, delay = delivery.send_one(notification_id)
    if delay is not None:
        again(send_notification, delay, notification_id)
    return state


@task()
def send_digests(user_ids: list[int]) -> list[str]:
    """Mail each of these readers their daily digest of what waited for it."""
    return [_send_digest(user_id) for user_id in user_ids]


@task()
def send_digest(user_id: int, attempt: int = 1) -> str:
    """Mail a reader their daily digest (a retry)."""
    return _send_digest(user_id, attempt)


def _send_digest(user_id: int, attempt: int = 1) -> str:
    state, delay = delivery.send_digest_now(user_id, attempt_number=attempt)
    if delay is not None:
        again(send_digest, delay, user_id, attempt=attempt + 1)
    return state
