"""The notifications' mail, sent by a worker (`python manage.py worker`): one
notification, or a reader's digest. How mail leaves, and is retried, is
forum.mail's; a send that may succeed later is queued again with `run_after` set."""

from django_tasks import task

from forum.mail import again
from notifications import delivery


@task()
def send_notification(notification_id: int) -> str:
    """Mail one notification to its reader, if they still want it."""
    state, delay = delivery.send_one(notification_id)
    if delay is not None:
        again(send_notification, delay, notification_id)
    return state


@task()
def send_digest(user_id: int, attempt: int = 1) -> str:
    """Mail a reader their daily digest of what waited for it."""
    state, delay = delivery.send_digest_now(user_id, attempt_number=attempt)
    if delay is not None:
        again(send_digest, delay, user_id, attempt=attempt + 1)
    return state
