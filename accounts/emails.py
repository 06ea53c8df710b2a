"""Who the forum may mail: the rule's only home, asked by every sender.

Invariant: nothing but the message that verifies an address is ever mailed to an
address that is not verified, and nothing at all to a reader whose account is not
active. A verified address is one django-allauth's EmailAddress marks verified
(compared without regard to case); the verification message is allauth's
`account/email/email_confirmation` (and its `_signup` variant). An address that
belongs to no account is never verified, so it gets nothing either.

Two questions, one rule: `may_mail(address)` for mail addressed to an address
(accounts.adapter asks it before every account mail, password resets included),
and `mail_address(user)` for mail meant for a reader (notifications.delivery asks
it before each notification and each digest, when it is about to leave). Mail for
a reader never goes to `user.email` as it stands: with ACCOUNT_UNIQUE_EMAIL only
one account can verify an address, yet another may hold it unverified.
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


def mail_address(user) -> str | None:
    """Where mail for `user` may go: their primary address if they verified it, else
    another address they verified; None when they verified none, or their account is
    not active."""
    if not user.is_active:
        return None
    return (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
        .first()
    )
