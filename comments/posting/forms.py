from urllib.parse import quote

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.forms import HoneypotMixin, honeypot_layout_field
from accounts.names import clean_guest_name
from comments import policy
from comments.models import Comment, Report
from comments.posting.services import clean_comment_body, clean_guest_email

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
        """The text as it will be stored and shown, when the reader asked for a preview:
        checked and rendered by the very function that checks and renders it when it
        is posted (comments.posting.services.clean_comment_body), so a preview shows
        what posting would store, or its errors. (Posting itself checks once, in the
        service: the form checks only what a field can.)"""
        if not self.wants_preview or not self.is_valid():
            return ""
        try:
            self.check_guest()
            body = clean_comment_body(self.cleaned_data["body"])
        except ValidationError as exc:
            self.add_error(None, exc)
            return ""
        # Safe: clean_comment_body's HTML is sanitised by nh3.
        return mark_safe(body.html)

    def check_guest(self) -> None:
        """A guest's name and address, checked as posting checks them (GuestCommentForm)."""


class Markup:
    """A crispy layout item of fixed HTML, escaped where it is built (crispy's own HTML
    item would run its text through the template engine)."""

    def __init__(self, html: SafeString) -> None:
        self.html = html

    def render(self, form, context, template_pack=None, **kwargs) -> SafeString:
        return self.html


class GuestCommentForm(CommentForm):
    """A comment or reply by a reader without an account (FORUM_GUEST_COMMENTS=held):
    the name shown with it and an email address for moderators only, above the text;
    a hint that a moderator approves it first; links to log in or sign up instead,
    coming back to `login_next`. What it shows depends only on the page it is on
    and the `initial` name and address of the guest it is for, if any."""

    name = forms.CharField(
        label=_("Name"),
        max_length=Comment._meta.get_field("author_name").max_length,
        help_text=_("Shown with your comment."),
        error_messages={"required": _("Enter the name to show with your comment.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=Comment._meta.get_field("author_email").max_length,
        help_text=_("Never shown on the site; only moderators see it."),
        error_messages={"required": _("Enter your email address (it is never shown).")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, login_next: str, **kwargs):
        super().__init__(*args, **kwargs)
        if self.fields["body"].widget.attrs.pop("autofocus", False):
            # Focus the first thing a guest has to fill in.
            first = "body" if self.initial.get("name") else "name"
            self.fields[first].widget.attrs["autofocus"] = True
        self.helper.layout = Layout(
            Markup(_sign_in_instead(login_next)),
            Div(
                Div("name", css_class="col-sm-6"),
                Div("email", css_class="col-sm-6"),
                css_class="row",
            ),
            "body",
            Markup(format_html('<p class="guest-hint form-text">{}</p>', _review_hint())),
            honeypot_layout_field(),
        )

    def check_guest(self) -> None:
        clean_guest_name(self.cleaned_data["name"])
        clean_guest_email(self.cleaned_data["email"])


def _sign_in_instead(next_url: str) -> SafeString:
    back = quote(next_url, safe="/")
    return format_html(
        '<p class="guest-intro">Commenting as a guest, or <a href="{}?next={}">log in</a> / '
        '<a href="{}?next={}">sign up</a>.</p>',
        reverse("account_login"),
        back,
        reverse("account_signup"),
        back,
    )


def _review_hint() -> str:
    hint = "Your comment will appear after a moderator approves it."
    if policy.trusts_returning_guests():
        hint += (
            " Once one of your comments is approved, the next ones you post with the same "
            "email address appear at once."
        )
    return hint


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


class WithdrawReportForm(forms.Form):
    """The one button that withdraws the reader's open report; `action` is where it posts."""

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "withdraw-report-form"
        self.helper.add_input(SecondarySubmit("withdraw", _("Withdraw my report")))
