"""A real SMTP server for tests (aiosmtpd), and the real task worker to feed it.

`MailServer` listens on a free port of 127.0.0.1 and keeps every message it
accepts, parsed. It can refuse a recipient for good (550) or for now (451),
and be told to answer every message with a temporary failure, so tests can
watch retries and bounces.
"""

import email
import email.policy
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from django.core.management import call_command

from tests.redis_server import free_port


class _Handler:
    def __init__(self, server: "MailServer") -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.server.refuse_for_good:
            return "550 5.1.1 No such mailbox"
        if address in self.server.refuse_for_now:
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.server.busy:
            self.server.busy -= 1
            return "421 4.3.2 Service not available, try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.server.lock:
            self.server.messages.append(message)
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.refuse_for_good: set[str] = set()
        self.refuse_for_now: set[str] = set()
        self.busy = 0  # how many next messages to answer with a 421
        self.running = False
        self.lock = threading.Lock()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()
        self.running = True

    def stop(self) -> None:
        """Stop listening (a send then fails to connect); stopping twice is harmless."""
        if self.running:
            self.controller.stop()
            self.running = False

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in m["To"]]

    def wait_for(self, address: str, *, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
        """The messages to `address`, once there are `count` of them, running the task
        worker meanwhile. (It runs here, in the test's thread, between a page's
        requests: SQLite's shared in-memory test database locks whole tables, so a
        worker polling from its own thread would make the live server's writes fail.)"""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run_worker()
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{count} message(s) to {address} never came; got {self.to(address)}")


def text_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def run_worker() -> None:
    """Run the database backend's real worker (`manage.py db_worker`) until no task is
    ready, as a deployment's worker would run them."""
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)
