"""Background work: every email the forum sends leaves from a worker, never from
the request that caused it (`python manage.py db_worker`, or `rqworker` with
FORUM_TASK_BACKEND=rq).

A send that may succeed later is queued again with `run_after` set, after the
delays of FORUM_EMAIL_RETRY_DELAYS; the tasks themselves never raise for a mail
problem, so one bad address or a bounce cannot stop the worker.
"""

import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

from . import delivery

log = logging.getLogger(__name__)


def _again(task_, delay: timedelta, *args, **kwargs) -> None:
    task_.using(run_after=timezone.now() + delay).enqueue(*args, **kwargs)


@task()
def send_notification(notification_id: int) -> str:
    """Mail one notification to its reader, if they still want it."""
    state, delay = delivery.send_one(notification_id)
    if delay is not None:
        _again(send_notification, delay, notification_id)
    return state


@task()
def send_digest(user_id: int, attempt: int = 1) -> str:
    """Mail a reader their daily digest of what waited for it."""
    state, delay = delivery.send_digest_now(user_id, attempt_number=attempt)
    if delay is not None:
        _again(send_digest, delay, user_id, attempt=attempt + 1)
    return state


def message_as_data(message) -> dict:
    """A message as JSON-safe data, for a task's arguments."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


@task()
def send_message(message: dict, attempt: int = 1) -> str:
    """Send a message built in a request (allauth's verification and password mail)."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message["headers"],
        alternatives=[tuple(each) for each in message["alternatives"]],
    )
    outcome, delay = delivery.attempt(email, what=f"Mail {email.subject!r}", attempts=attempt)
    if outcome == "retry":
        _again(send_message, delay, message, attempt=attempt + 1)
        return "retrying"
    return outcome


def enqueue_safely(task_, *args, **kwargs) -> None:
    """Queue a task; a queue that is down (Redis, with FORUM_TASK_BACKEND=rq) loses
    that email and says so in the log, but never fails the request that queued it."""
    try:
        task_.enqueue(*args, **kwargs)
    except Exception:  # whatever the backend raises: the write it follows has committed
        log.exception("Could not queue %s", task_.name)


def send_later(message) -> None:
    """Queue a message built now, to be sent by a worker. It carries everything it
    needs, so it is queued at once: in the database backend it then commits or
    rolls back with the caller's transaction; in Redis it may leave at once."""
    enqueue_safely(send_message, message_as_data(message))
