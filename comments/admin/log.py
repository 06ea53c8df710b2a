from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import Ban, ModerationAction


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The moderation log: read-only, newest first."""

    list_display = ("created", "actor_display", "kind", "comment_link", "user", "reason")
    list_filter = ("kind", ("actor", admin.RelatedOnlyFieldListFilter), "created")
    list_select_related = ("actor", "comment", "user")
    search_fields = ("reason", "actor__username", "user__username", "comment__body")
    date_hierarchy = "created"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("moderator"), ordering="actor__username")
    def actor_display(self, entry: ModerationAction) -> str:
        return entry.actor.get_username() if entry.actor else "forum (automatic)"

    @admin.display(description=_("comment"))
    def comment_link(self, entry: ModerationAction) -> str:
        if entry.comment is None:
            return "—"
        url = reverse("admin:comments_comment_change", args=[entry.comment_id])
        return format_html('<a href="{}">{}</a>', url, entry.comment.excerpt or "(no text)")


class BanAdminForm(forms.ModelForm):
    class Meta:
        model = Ban
        fields = ("user", "reason", "ends")

    def clean_user(self):
        user = self.cleaned_data["user"]
        if user.is_staff:
            raise forms.ValidationError(
                "Staff users cannot be banned; remove their staff status first."
            )
        return user

    def clean_ends(self):
        ends = self.cleaned_data["ends"]
        if ends is not None and ends <= timezone.now():
            raise forms.ValidationError("The end of a ban must be in the future.")
        return ends


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    """Bans: added here or from the comment queue; lifted with the action, never edited."""

    list_display = ("user", "reason", "starts", "ends_display", "created_by", "is_active")
    list_select_related = ("user", "created_by")
    search_fields = ("user__username", "reason")
    autocomplete_fields = ("user",)
    fields = ("user", "reason", "ends")
    form = BanAdminForm
    actions = ("lift_bans",)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request, obj: Ban, form, change: bool) -> None:
        # Through the service, so the ban is logged like any other moderation action.
        (ban,) = services.users_ban(
            users=[obj.user], by=request.user, reason=obj.reason, ends=obj.ends
        )
        obj.pk = ban.pk

    @admin.display(description=_("ends"), ordering="ends")
    def ends_display(self, ban: Ban):
        return ban.ends or _("never (permanent)")

    @admin.display(description=_("active"), boolean=True)
    def is_active(self, ban: Ban) -> bool:
        return ban.is_active

    @admin.action(description=_("Lift selected bans"), permissions=["change"])
    def lift_bans(self, request, queryset):
        for ban in queryset:
            services.ban_lift(ban=ban, by=request.user)
        self.message_user(request, f"Lifted {queryset.count()} ban(s).", messages.SUCCESS)
