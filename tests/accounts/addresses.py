"""Email addresses for the account tests: giving a user one, and reading the link a
message carries."""

import re

from allauth.account.models import EmailAddress
from django.conf import settings


def add_address(user, email: str, *, verified: bool) -> EmailAddress:
    """`email` as the user's primary address, verified or not."""
    user.email = email
    user.save(update_fields=["email"])
    return EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)


def link_in(message) -> str:
    """The path of the one link to this site in a message's text."""
    (path,) = re.findall(rf"{re.escape(settings.FORUM_SITE_URL)}(/\S+)", message.body)
    return path
