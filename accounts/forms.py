from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

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


def honeypot_layout_field() -> Field:
    """The crispy layout item that hides the honeypot from people."""
    return Field(HONEYPOT_FIELD, wrapper_class="hp-field", aria_hidden="true")


class SignupForm(HoneypotMixin, UserCreationForm):
    """Username and the password twice, plus the honeypot. The template supplies
    the <form> tag (with `next`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("username", "password1", "password2", honeypot_layout_field())
