import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from comments import services


def with_address(user, address: str, *, verified: bool = True):
    EmailAddress.objects.create(user=user, email=address, verified=verified, primary=True)
    get_user_model().objects.filter(pk=user.pk).update(email=address)
    return user


def header(message, name: str) -> str:
    """A header's value as a mail client shows it (folded long lines unfolded)."""
    return " ".join(str(message[name]).split())


def unsubscribe_link(message) -> str:
    return header(message, "List-Unsubscribe").strip("<>")


def reply(article, question, author, body="Yes, since *Monday*. Ask @ana."):
    return services.comment_create(article=article, parent=question, author=author, body=body)


@pytest.fixture
def ana(db):
    user = get_user_model().objects.create_user("ana", password="a-long-passphrase-4")
    return with_address(user, "ana@example.com")


@pytest.fixture
def bob(db):
    user = get_user_model().objects.create_user("bob", password="a-long-passphrase-5")
    return with_address(user, "bob@example.com")


@pytest.fixture
def question(article, ana):
    return services.comment_create(article=article, author=ana, body="Is the **bridge** open?")
