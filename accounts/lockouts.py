"""The name django-axes counts wrong passwords against (AXES_USERNAME_CALLABLE).

Invariant: every way of naming one account in a log-in form counts as that one
account: its username in any case, or its email address. django-allauth logs in
by username without regard to case, and by email address, so counting the name
as typed would give "Reader", "READER" and reader@example.com an allowance of
FORUM_LOGIN_FAILURES each against the same password. A name that matches no
account (or more than one) is counted as typed. Either way the name is
case-folded, so the count does not depend on how the database compares case.

Axes asks with the credentials `authenticate()` was given (allauth's log-in form
passes `username`, and `email` too when the login looks like an address; the
admin's passes `username`; axes itself passes the account's username after a
successful log-in), or without credentials, when the request's form is read
(allauth's field is `login`, the admin's `username`).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest

CREDENTIAL_KEYS = ("username", "email", "login")


def _typed(request: HttpRequest | None, credentials: dict | None) -> str:
    source = credentials if credentials else getattr(request, "POST", {})
    for key in CREDENTIAL_KEYS:
        value = source.get(key)
        if value:
            return str(value).strip()
    return ""


def account_username(login: str) -> str | None:
    """The username of the one account whose username (any case) or email address
    `login` is, or None."""
    user_model = get_user_model()
    field = user_model.USERNAME_FIELD
    matches = (
        user_model._default_manager.filter(
            Q(**{f"{field}__iexact": login})
            | Q(email__iexact=login)
            | Q(emailaddress__email__iexact=login)
        )
        .values_list(field, flat=True)
        .distinct()[:2]
    )
    found = list(matches)
    return found[0] if len(found) == 1 else None


def lockout_username(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """The account's username (else the login as typed), case-folded; None when the
    attempt names nobody. Looked up once per request and login."""
    typed = _typed(request, credentials)
    if not typed:
        return None
    memo = getattr(request, "_lockout_usernames", None)
    if memo is None:
        memo = {}
        if request is not None:
            request._lockout_usernames = memo
    if typed not in memo:
        memo[typed] = (account_username(typed) or typed).casefold()
    return memo[typed]
