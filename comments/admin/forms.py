from datetime import timedelta

from django import forms
from django.utils import timezone

DURATIONS = {
    "1d": ("1 day", timedelta(days=1)),
    "7d": ("7 days", timedelta(days=7)),
    "30d": ("30 days", timedelta(days=30)),
    "forever": ("Permanently", None),
}


class ReasonForm(forms.Form):
    """Why a moderator removes comments; shown to staff in the moderation log."""

    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Recorded in the moderation log with your name.",
    )


class BanForm(ReasonForm):
    duration = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in DURATIONS.items()], initial="7d"
    )

    def ends(self):
        span = DURATIONS[self.cleaned_data["duration"]][1]
        return None if span is None else timezone.now() + span
