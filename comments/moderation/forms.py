"""Forms for moderating, from the thread (comments.moderation.views) and in the admin's
queue (comments.moderation.admin.actions). How long a reason may be, and how long a
ban lasts, are the models' and this module's, once for both."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments import policy
from comments.models import Ban, Comment, ModerationAction, Report

# What a moderator may write: as long as the fields that keep it.
REASON_MAX_LENGTH = Comment._meta.get_field("moderation_reason").max_length
BAN_REASON_MAX_LENGTH = Ban._meta.get_field("reason").max_length
PUBLIC_REASON_MAX_LENGTH = Comment._meta.get_field("public_reason").max_length
LOG_REASON_MAX_LENGTH = ModerationAction._meta.get_field("reason").max_length

PUBLIC_REASON_HELP = _(
    "Readers see it in place of the comment and in the public moderation log. Leave it "
    "empty to say only “removed by moderators”."
)


class ModerationForm(forms.Form):
    """Confirms one action on one comment; the subclasses ask what it needs."""

    button = _("Confirm")
    button_class = "btn-primary"

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_class = "moderation-form"
        self.helper.add_input(Submit("confirm", self.button, css_class=self.button_class))
        if "public_reason" in self.fields and not policy.public_modlog():
            del self.fields["public_reason"]


class ApproveForm(ModerationForm):
    button = _("Approve")
    button_class = "btn-success"


class DismissForm(ModerationForm):
    button = _("Dismiss reports")


class RestoreForm(ModerationForm):
    button = _("Restore")


def reason_from_reports(reports) -> str:
    """A removal's reason drawn from the comment's open reports (oldest first): each
    reason given, with its note, once ("Spam; Abuse or harassment: calls me names"),
    cut to fit the field; what a moderator removing a reported comment starts from."""
    labels = dict(Report.Reason.choices)
    parts = []
    for report in reports:
        label = str(labels.get(report.reason, report.reason))
        part = f"{label}: {report.note}" if report.note else label
        if part not in parts:
            parts.append(part)
    reason = "; ".join(parts)
    return reason if len(reason) <= REASON_MAX_LENGTH else reason[: REASON_MAX_LENGTH - 1] + "…"


class RemoveForm(ModerationForm):
    button = _("Remove")
    button_class = "btn-danger"

    reason = forms.CharField(
        label=_("Reason (for moderators)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. spam, personal attack")}),
    )
    public_reason = forms.CharField(
        label=_("Public reason (optional)"),
        max_length=PUBLIC_REASON_MAX_LENGTH,
        required=False,
        help_text=PUBLIC_REASON_HELP,
    )


# How long a ban lasts, for the thread's form and the admin's alike.
BAN_DURATIONS = {
    "1d": (_("1 day"), timedelta(days=1)),
    "7d": (_("7 days"), timedelta(days=7)),
    "30d": (_("30 days"), timedelta(days=30)),
    "forever": (_("Permanently"), None),
}


def ban_duration_field(**kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[(key, label) for key, (label, _span) in BAN_DURATIONS.items()],
        initial="7d",
        **kwargs,
    )


def ban_ends(duration: str):
    """When a ban of `duration` (a key of BAN_DURATIONS) starting now ends; None: never."""
    span = BAN_DURATIONS[duration][1]
    return None if span is None else timezone.now() + span


class BanForm(ModerationForm):
    button = _("Ban")
    button_class = "btn-danger"

    reason = forms.CharField(label=_("Reason (for moderators)"), max_length=BAN_REASON_MAX_LENGTH)
    duration = ban_duration_field(label=_("For how long"))
    public_reason = forms.CharField(
        label=_("Public reason (optional)"),
        max_length=PUBLIC_REASON_MAX_LENGTH,
        required=False,
        help_text=_("Shown in the public moderation log."),
    )

    def ends(self):
        return ban_ends(self.cleaned_data["duration"])


class LiftBanForm(ModerationForm):
    button = _("Lift ban")

    reason = forms.CharField(
        label=_("Reason (optional, for moderators)"),
        max_length=LOG_REASON_MAX_LENGTH,
        required=False,
    )


# The admin queue's intermediate pages.


class ReasonForm(forms.Form):
    """Why a moderator removes comments; shown to staff in the moderation log."""

    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Recorded in the moderation log with your name.",
    )


class AdminBanForm(ReasonForm):
    """Why and for how long the authors of the selected comments are banned."""

    duration = ban_duration_field()

    def ends(self):
        return ban_ends(self.cleaned_data["duration"])
