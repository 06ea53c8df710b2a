from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.forms import HoneypotMixin, honeypot_layout_field

from .mentions import render_reader_text
from .models import Report
from .services import clean_comment_body

PREVIEW = "preview"


class SecondarySubmit(Submit):
    """A submit button styled as the secondary choice (crispy's Submit is always
    btn-primary, and adding a class would mix the two)."""

    field_classes = "btn btn-outline-secondary"


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

    def __init__(
        self,
        *args,
        action: str,
        submit_label: str = _("Post comment"),
        label: str = "",
        autofocus: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        body.widget.attrs["maxlength"] = settings.FORUM_COMMENT_MAX_LENGTH
        if label:
            body.label = label
        if autofocus:
            body.widget.attrs["autofocus"] = True
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "comment-form"
        self.helper.layout = Layout("body", honeypot_layout_field())
        self.helper.add_input(Submit("submit", submit_label))
        self.helper.add_input(SecondarySubmit(PREVIEW, _("Preview")))

    @property
    def wants_preview(self) -> bool:
        """The reader pressed Preview: show the text rendered, store nothing."""
        return self.is_bound and PREVIEW in self.data

    def preview(self) -> str:
        """The text as it will be stored and shown (rendered by the same code that
        renders it on saving), when the reader asked for a preview of valid text."""
        if not self.wants_preview or not self.is_valid():
            return ""
        # Safe: render_reader_text's output is sanitised by nh3.
        return mark_safe(render_reader_text(self.cleaned_data["body"]))

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
        # An explicit layout: without one crispy hands the form's id and action to
        # the radio group's <div> too (a duplicate id, an invalid attribute).
        self.helper.layout = Layout("reason", "note")
        self.helper.add_input(Submit("submit", _("Send report"), css_class="btn-warning"))
