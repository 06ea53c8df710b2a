import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model


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
