"""How the forum's mail leaves.

Invariant: nothing is mailed to an address that is not verified, except the
message that verifies it. `may_mail` owns that rule; the allauth adapter and
the notification tasks both ask it before sending.
"""

import logging

from django.core.mail.backends.base import BaseEmailBackend

log = logging.getLogger(__name__)


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
