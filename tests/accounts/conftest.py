import pytest
from django.core import mail

from tests.accounts.addresses import add_address


@pytest.fixture
def outbox(settings) -> list:
    """The mail sent during the test, kept in memory. Account mail is queued for a
    worker (tests/notifications/test_mail.py runs the real one); here the immediate
    backend sends it as it is queued."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def verified_reader(reader):
    """The reader, with reader@example.com verified as their primary address."""
    add_address(reader, "reader@example.com", verified=True)
    return reader
