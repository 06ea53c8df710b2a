import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from tests.mail_server import MailServer


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on a free port, with Django's SMTP backend pointed at it."""
    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.FORUM_SITE_URL = "http://forum.test"
    yield server
    server.stop()


def with_address(user, address: str, *, verified: bool = True):
    EmailAddress.objects.create(user=user, email=address, verified=verified, primary=True)
    get_user_model().objects.filter(pk=user.pk).update(email=address)
    return user


@pytest.fixture
def ana(db):
    user = get_user_model().objects.create_user("ana", password="a-long-passphrase-4")
    return with_address(user, "ana@example.com")


@pytest.fixture
def bob(db):
    user = get_user_model().objects.create_user("bob", password="a-long-passphrase-5")
    return with_address(user, "bob@example.com")
