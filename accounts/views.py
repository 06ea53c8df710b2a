"""Sign-up and email verification: django-allauth's, with the site's per-address limit
on sign-ups, a way back to the page a sign-up started from, and a plain answer for a
verification link followed twice. Log-in, log-out, password and email pages are
allauth's own, mounted at /accounts/ (forum.urls), with the site's templates."""

from allauth.account import app_settings
from allauth.account import views as allauth_views
from allauth.account.models import EmailAddress, EmailConfirmation
from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse

from accounts.adapter import return_after_verifying
from forum.throttle import TOO_MANY, client_ip, hit


class SignupView(allauth_views.SignupView):
    """allauth's sign-up (`account/signup.html`), under the name and URL of allauth's
    own. Every attempt counts against FORUM_SIGNUP_RATE per IP address, whatever its
    form holds (so the form cannot be used to probe at speed): over the limit the form
    comes back with its text, an error, HTTP 429 and Retry-After, and nothing is
    checked or created. The answer for an address already registered is the same as
    for a new one (accounts.adapter). The page the sign-up came from (`next`) is kept
    in the session, to go back to once the address is verified in this browser."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wait = hit("signup", client_ip(request), settings.FORUM_SIGNUP_RATE)
        if not wait:
            return super().post(request, *args, **kwargs)
        # The form again, unchecked: what was typed (never the passwords) and why not.
        typed = {field: request.POST.get(field, "") for field in ("username", "email")}
        form = self.get_form_class()(initial=typed)
        form.cleaned_data = {}
        form.add_error(None, TOO_MANY.format(seconds=wait))
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(wait)
        return response

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        user, url = getattr(self, "user", None), self.get_next_url()
        if user and url:  # no user when allauth made no account
            address = EmailAddress.objects.filter(user=user, verified=False).first()
            if address:
                return_after_verifying(self.request, address=address, url=url)
        return response


signup = SignupView.as_view()


def verified_address(key: str) -> EmailAddress | None:
    """The address a verification link's `key` was made for, if that address is
    verified now (allauth finds no confirmation for it any more)."""
    if not app_settings.EMAIL_CONFIRMATION_HMAC:
        confirmation = (
            EmailConfirmation.objects.filter(key=key.lower(), email_address__verified=True)
            .select_related("email_address")
            .first()
        )
        return confirmation.email_address if confirmation else None
    try:
        # No max_age: an old link, still authentic, may say its address is verified.
        pk = signing.loads(key, salt=app_settings.SALT)
    except signing.BadSignature:
        return None
    return EmailAddress.objects.filter(pk=pk, verified=True).first()


class ConfirmEmailView(allauth_views.ConfirmEmailView):
    """allauth's verification page (`account/email_confirm.html`), under the name and
    URL of allauth's own. A link whose address is verified already (followed twice, or
    its button pressed in two tabs) finds no confirmation in allauth, which would call
    it expired or invalid and answer a second press with 404; here the page gets the
    address as `verified_address` and says it is verified (None for any other link)."""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["verified_address"] = None if self.object else verified_address(self.kwargs["key"])
        return context

    def post(self, *args, **kwargs) -> HttpResponse:
        try:
            return super().post(*args, **kwargs)
        except Http404:  # no confirmation for this key: verified already, or no good
            self.object = None
            return self.render_to_response(self.get_context_data())


confirm_email = ConfirmEmailView.as_view()
