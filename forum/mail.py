"""How every message the forum sends leaves: from a worker, retried while the mail
server cannot take it, never from the request that caused it.

Invariants:
- A request never talks to the mail server: it renders its message and queues it
  (`send_later`), or queues a task that renders it (notifications.tasks); a worker
  (`python manage.py worker`) sends it. A queue that is down loses that message and
  says so in the log, but never fails the request (`enqueue_safely`).
- A send that fails for a reason that may pass (the server is down, a 4xx answer)
  is tried again after each of FORUM_EMAIL_RETRY_DELAYS in turn, then given up;
  one refused for good (a 5xx answer: no such mailbox) is given up at once
  (`deliver`). Tasks never raise for a mail problem, so one bad address or a bounce
  cannot stop the worker.
- Who may be mailed at all is accounts.emails' rule, asked by every sender before
  it builds a message.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)


class TryAgainLater(Exception):
    """The mail server could not take the message now; the task retries it."""


def send_mail_message(message: EmailMultiAlternatives) -> None:
    """Send, or raise TryAgainLater for a failure that may pass; a refusal for good
    raises smtplib.SMTPException (or ValueError for an address that cannot be one)."""
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if all(400 <= code < 500 for code in codes):
            raise TryAgainLater(str(exc)) from exc
        raise
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500 or isinstance(exc, smtplib.SMTPConnectError):
            raise TryAgainLater(str(exc)) from exc
        raise
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise TryAgainLater(str(exc)) from exc


def retry_delay(attempts: int) -> timedelta | None:
    """How long to wait before attempt `attempts + 1`, or None when it is time to give up."""
    delays = settings.FORUM_EMAIL_RETRY_DELAYS
    if attempts > len(delays):
        return None
    return timedelta(seconds=delays[attempts - 1])


def deliver(message: EmailMultiAlternatives, *, what: str, attempts: int):
    """Send `message`, the `attempts`-th try. Returns "sent", "failed" (refused for
    good, or the last try failed) or "retry" with the delay before the next try."""
    try:
        send_mail_message(message)
    except TryAgainLater as exc:
        delay = retry_delay(attempts)
        log.warning("%s not mailed yet (attempt %s): %s", what, attempts, exc)
        return ("failed", None) if delay is None else ("retry", delay)
    except (smtplib.SMTPException, ValueError) as exc:
        log.warning("%s could not be mailed to %s: %s", what, ", ".join(message.to), exc)
        return "failed", None
    return "sent", None


def again(task_, delay: timedelta, *args, **kwargs) -> None:
    """Queue `task_` to run again after `delay`."""
    task_.using(run_after=timezone.now() + delay).enqueue(*args, **kwargs)


def enqueue_safely(task_, *args, **kwargs) -> None:
    """Queue a task; a queue that is down (Redis, with FORUM_TASK_BACKEND=rq) loses
    that email and says so in the log, but never fails the request that queued it."""
    try:
        task_.enqueue(*args, **kwargs)
    except Exception:  # whatever the backend raises: the write it follows has committed
        log.exception("Could not queue %s", task_.name)


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
    outcome, delay = deliver(email, what=f"Mail {email.subject!r}", attempts=attempt)
    if outcome == "retry":
        again(send_message, delay, message, attempt=attempt + 1)
        return "retrying"
    return outcome


def send_later(message) -> None:
    """Queue a message built now, to be sent by a worker. It carries everything it
    needs, so it is queued at once: in the database backend it then commits or
    rolls back with the caller's transaction; in Redis it may leave at once."""
    enqueue_safely(send_message, message_as_data(message))


class UnconfiguredBackend(BaseEmailBackend):
    """Production without EMAIL_URL: say in the log what was not sent, send nothing."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            log.warning(
                "Mail %r to %s not sent: EMAIL_URL is not set.",
                message.subject,
                ", ".join(message.to),
            )
        return 0
