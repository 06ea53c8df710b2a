from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.forms import HoneypotMixin, honeypot_layout_field

from .models import Report
from .services import clean_comment_body


class CommentForm(HoneypotMixin):
    """The text of a new comment, a reply or an edit; `action` is the URL the form posts to."""

    body = forms.CharField(
        label=_("Your comment"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write something before posting.")},
        help_text=_(
            "Markdown: *emphasis*, **strong**, [links](https://…), `code`, > quotes and lists."
        ),
    )

    def __init__(self, *args, action: str, submit_label: str = _("Post comment"), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = settings.FORUM_COMMENT_MAX_LENGTH
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "comment-form"
        self.helper.layout = Layout("body", honeypot_layout_field())
        self.helper.add_input(Submit("submit", submit_label))

    def clean_body(self) -> str:
        return clean_comment_body(self.cleaned_data["body"])


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything the moderators should know? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "report-form"
        self.helper.add_input(Submit("submit", _("Send report"), css_class="btn-warning"))
