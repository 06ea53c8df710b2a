from allauth.account import forms as allauth_forms
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _

from .usernames import validate_new_username

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
            validate_new_username(name=username)
        return username


class SignupForm(HoneypotMixin, allauth_forms.SignupForm):
    """django-allauth's sign-up form (ACCOUNT_FORMS): username, email address and the
    password twice, plus the honeypot. The template supplies the <form> tag (with
    `next`)."""

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
