"""The forum's rules inside django-allauth's flows (ACCOUNT_ADAPTER).

- New usernames pass the site's look-alike rule (accounts.names) on top of
  allauth's own checks.
- Mail goes out only where accounts.emails.may_mail allows: to a verified address,
  or the verification message itself. Anything else (a password reset for an
  address nobody verified, say) is dropped and logged at INFO. What may go is
  rendered in the request and sent by a worker (forum.mail.send_later),
  so a slow or unreachable mail server never holds up a page, and is retried.
- allauth's limits see the client address the forum's own limits see
  (forum.throttle.client_ip, which knows FORUM_TRUSTED_PROXIES).
- Every link in an account mail is built from FORUM_SITE_URL (forum.links), never
  from the request's Host header.
- Email addresses cannot be squatted (ACCOUNT_PREVENT_ENUMERATION = "strict"): an
  address held unverified by one account never stops another from signing up with
  it, and when an account verifies an address, every other account's unverified
  copy of it is dropped. An address another account has verified is never mailed a
  verification link for someone else: its owner is told that someone tried instead
  (allauth's "account already exists" mail), and the sign-up answers as for any
  new address, so the form tells nobody who is registered.
- Failed log-ins: allauth's own limit (per address and per login, counted in the
  shared cache) steps aside in two cases. When django-axes has locked the account
  out from this address, so that axes answers with its lockout page (HTTP 429)
  rather than allauth with a form error; and while the cache keeps nothing (Redis
  unreachable), where allauth's limit would refuse every log-in, so that log-in
  fails open as every limit of the forum does (axes keeps its counts in the
  database and still holds).
- A reader who signs up from a page and verifies the address in the same browser is
  taken back to that page: the sign-up keeps it in the session
  (`return_after_verifying`, called by accounts.views.SignupView), and the redirect
  after verification uses it once. In another browser, allauth's default stands.
"""

import logging
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.emails import may_mail
from accounts.models import LastAddress
from accounts.names import validate_new_username
from forum.links import absolute_url
from forum.mail import send_later
from forum.throttle import client_ip, counts_are_kept, unenforced

logger = logging.getLogger(__name__)

# The page a sign-up started from, until its address is verified: {"address": pk, "url": …}.
RETURN_AFTER_VERIFYING = "accounts_return_after_verifying"


def return_after_verifying(request: HttpRequest, *, address: EmailAddress, url: str) -> None:
    """Once `address` is verified in this browser, go back to `url`, if it is a page of
    this site (anything else is not kept)."""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[RETURN_AFTER_VERIFYING] = {"address": address.pk, "url": url}


class _SentByWorker:
    """A rendered message that, asked to send itself, is queued for a worker instead."""

    def __init__(self, message) -> None:
        self.message = message

    def send(self, fail_silently: bool = False) -> int:
        send_later(self.message)
        return 1


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        username = super().clean_username(username, shallow=shallow)
        if not shallow:
            validate_new_username(name=username)
        return username

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        if not may_mail(email, template_prefix=template_prefix):
            logger.info(
                "Mail %s to %s not sent: the address is not verified.", template_prefix, email
            )
            return
        super().send_mail(template_prefix, email, context)

    def render_mail(self, template_prefix: str, email: str, context: dict, headers=None):
        """allauth's message, whose send() hands it to a worker (see the module's notes)."""
        return _SentByWorker(super().render_mail(template_prefix, email, context, headers))

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request)

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        if not AxesProxyHandler.is_allowed(request, credentials):
            return  # django-axes refuses it next, with its lockout page
        if not counts_are_kept():
            unenforced.warn(
                "login_failed",
                "Rate limit %r not enforced: the cache is not keeping counts.",
                "login_failed",
            )
            return
        super().pre_authenticate(request, **credentials)

    def login(self, request: HttpRequest, user) -> None:
        super().login(request, user)
        LastAddress.note(user, client_ip(request))

    # Links in mail: from FORUM_SITE_URL.

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation) -> str:
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key: str) -> str:
        # As allauth builds it (its key joins the user's id and the token).
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_account_already_exists_mail(self, email: str) -> None:
        context = {
            "email": email,
            "signup_url": absolute_url(reverse("account_signup")),
            "password_reset_url": absolute_url(reverse("account_reset_password")),
        }
        self.send_mail("account/email/account_already_exists", email, context)

    def get_email_verification_redirect_url(self, email_address: EmailAddress) -> str:
        kept = self.request.session.get(RETURN_AFTER_VERIFYING)
        if kept and kept["address"] == email_address.pk:
            del self.request.session[RETURN_AFTER_VERIFYING]
            return kept["url"]
        return super().get_email_verification_redirect_url(email_address)

    # Addresses nobody can squat.

    def send_confirmation_mail(self, request: HttpRequest, emailconfirmation, signup: bool):
        address = emailconfirmation.email_address
        if (
            EmailAddress.objects.filter(email__iexact=address.email, verified=True)
            .exclude(user_id=address.user_id)
            .exists()
        ):
            # Verified by its owner already: tell them someone tried, link nothing.
            self.send_account_already_exists_mail(address.email)
            return
        super().send_confirmation_mail(request, emailconfirmation, signup)

    def confirm_email(self, request: HttpRequest, email_address) -> bool:
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            others = EmailAddress.objects.filter(
                email__iexact=email_address.email, verified=False
            ).exclude(user_id=email_address.user_id)
            holders = list(others.values_list("user_id", flat=True))
            others.delete()
            get_user_model().objects.filter(
                pk__in=holders, email__iexact=email_address.email
            ).update(email="")
        return confirmed
