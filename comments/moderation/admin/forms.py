from django import forms

from comments.moderation.forms import ban_duration_field, ban_ends


class ReasonForm(forms.Form):
    """Why a moderator removes comments; shown to staff in the moderation log."""

    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Recorded in the moderation log with your name.",
    )


class BanForm(ReasonForm):
    duration = ban_duration_field()

    def ends(self):
        return ban_ends(self.cleaned_data["duration"])
