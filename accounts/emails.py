"""Which addresses the forum may mail.

Invariant: nothing but the message that verifies an address is ever mailed to an
address that is not verified. A verified address is one django-allauth's
EmailAddress marks verified (compared without regard to case); the verification
message is allauth's `account/email/email_confirmation` (and its `_signup`
variant). `may_mail` is the rule's only home: accounts.adapter asks it before
every account mail (password resets included), and notification code asks it
before each of its own sends. An address that belongs to no account is never
verified, so it gets nothing either.

The rule is about addresses. With ACCOUNT_UNIQUE_EMAIL only one account can
verify an address, yet another account may hold the same address unverified, even
as its `user.email`; so mail meant for a user goes to `verified_address(user)`.
"""

from allauth.account.models import EmailAddress

VERIFICATION_TEMPLATES = frozenset(
    {"account/email/email_confirmation", "account/email/email_confirmation_signup"}
)


def may_mail(address: str, *, template_prefix: str | None = None) -> bool:
    """Whether mail may go to `address`: always for the verification message
    (`template_prefix` names allauth's email template), otherwise only once the
    address is verified."""
    if template_prefix in VERIFICATION_TEMPLATES:
        return True
    return EmailAddress.objects.filter(email__iexact=address.strip(), verified=True).exists()


def verified_address(user) -> str | None:
    """Where to mail `user`: their primary address if they verified it, else another
    address they verified, else None (never `user.email` as it stands: see above)."""
    return (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
        .first()
    )
