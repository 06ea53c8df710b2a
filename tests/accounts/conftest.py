import pytest
from django.core import mail

from tests.accounts.addresses import add_address


@pytest.fixture
def outbox(settings) -> list:
    """The mail sent during the test, kept in memory."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def verified_reader(reader):
    """The reader, with reader@example.com verified as their primary address."""
    add_address(reader, "reader@example.com", verified=True)
    return reader
