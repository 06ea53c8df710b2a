from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .services import clean_comment_body


class CommentForm(forms.Form):
    """The text of a new comment or reply; `action` is the URL the form posts to."""

    body = forms.CharField(
        label=_("Your comment"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write something before posting.")},
    )

    def __init__(self, *args, action: str, submit_label: str = _("Post comment"), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = settings.FORUM_COMMENT_MAX_LENGTH
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "comment-form"
        self.helper.add_input(Submit("submit", submit_label))

    def clean_body(self) -> str:
        return clean_comment_body(self.cleaned_data["body"])
