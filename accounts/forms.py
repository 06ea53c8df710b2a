from allauth.account import forms as allauth_forms
from allauth.account.models import EmailAddress
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.names import validate_new_username
from forum.throttle import hit

HONEYPOT_FIELD = "website"


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, class `hp-field`) and bots fill in;
    filled means the form is refused and nothing is stored."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(_("This could not be sent."), code="honeypot")
        return ""


def honeypot_layout_field() -> Div:
    """The crispy layout item that hides the honeypot from people: off-screen, out of
    the tab order, and (label included) hidden from assistive technology."""
    return Div(Field(HONEYPOT_FIELD), css_class="hp-field", aria_hidden="true")


class AdminAddUserForm(AdminUserCreationForm):
    """The admin's add-user form, under the same username rule as sign-up (where
    accounts.adapter applies it)."""

    def clean_username(self) -> str:
        username = super().clean_username()
        if not self.has_error("username"):
            validate_new_username(name=username, reserved=False)
        return username


def verified_elsewhere(address: str, *, user=None) -> bool:
    """Whether an account (other than `user`) has verified `address`."""
    return (
        EmailAddress.objects.filter(email__iexact=address, verified=True)
        .exclude(user_id=getattr(user, "pk", None))
        .exists()
    )


class SignupForm(HoneypotMixin, allauth_forms.SignupForm):
    """django-allauth's sign-up form (ACCOUNT_FORMS): username, email address and the
    password twice, plus the honeypot. The template supplies the <form> tag (with
    `next`).

    An address is never "already registered" here, so the form tells nobody who is:
    one held unverified elsewhere is nobody's yet (whoever verifies it first keeps it,
    accounts.adapter), and one verified elsewhere gets the answer a new address gets,
    while its owner is mailed that someone tried (with FORUM_EMAIL_VERIFICATION=
    mandatory no account is made then, as allauth does; with optional the account is
    made without the address ever becoming its own)."""

    def validate_unique_email(self, value: str) -> str:
        self.account_already_exists = (
            settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory" and verified_elsewhere(value)
        )
        return value

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "username", "email", "password1", "password2", honeypot_layout_field()
        )


class LoginForm(allauth_forms.LoginForm):
    """django-allauth's log-in form (ACCOUNT_FORMS), its login field labelled for
    what it takes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or email address")
        self.fields["login"].widget.attrs.pop("placeholder", None)


ADDRESS_TAKEN = _("This address belongs to another account. Use another one.")
TOO_MANY_UNVERIFIED = _(
    "You have {count} addresses waiting for verification. Verify or remove one first."
)
TOO_MANY_ADDED = _("You have added many addresses lately. Wait {hours} hours, then try again.")


class AddEmailForm(allauth_forms.AddEmailForm):
    """django-allauth's form to add an address (ACCOUNT_FORMS), which mails it a
    verification link, so it cannot squat others' addresses or mail strangers: every
    attempt counts against FORUM_EMAIL_ADD_RATE per account; an address another
    account has verified cannot be added; an account holds at most
    FORUM_EMAIL_UNVERIFIED_MAX unverified addresses (and ACCOUNT_MAX_EMAIL_ADDRESSES in
    all, allauth's own rule)."""

    def clean_email(self) -> str:
        address = super().clean_email()
        if verified_elsewhere(address, user=self.user):
            raise forms.ValidationError(ADDRESS_TAKEN, code="taken")
        unverified = EmailAddress.objects.filter(user_id=self.user.pk, verified=False).count()
        if unverified >= settings.FORUM_EMAIL_UNVERIFIED_MAX:
            raise forms.ValidationError(
                str(TOO_MANY_UNVERIFIED).format(count=unverified), code="unverified"
            )
        return address

    def clean(self) -> dict:
        # Every attempt counts, a malformed address's too.
        wait = hit("add-email", str(self.user.pk), settings.FORUM_EMAIL_ADD_RATE)
        if wait:
            raise forms.ValidationError(
                str(TOO_MANY_ADDED).format(hours=max(1, round(wait / 3600))), code="rate"
            )
        return super().clean()
