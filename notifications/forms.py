from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Preferences


class PreferencesForm(forms.Form):
    email = forms.ChoiceField(
        label=_(
            "Email me when someone replies to me, mentions me or writes in a discussion I follow"
        ),
        choices=Preferences.Email.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save settings")))
