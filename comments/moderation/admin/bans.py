"""Bans in the admin: added here or from the comment queue, lifted with an action."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments import policy, services
from comments.models import Ban
from comments.moderation.admin.actions import named


class BanAdminForm(forms.ModelForm):
    class Meta:
        model = Ban
        fields = ("user", "reason", "ends")

    def clean_user(self):
        user = self.cleaned_data["user"]
        refusal = policy.ban_refusal(user)
        if refusal:
            raise forms.ValidationError(refusal)
        return user

    def clean_ends(self):
        ends = self.cleaned_data["ends"]
        if ends is not None and ends <= timezone.now():
            raise forms.ValidationError("The end of a ban must be in the future.")
        return ends


class ActiveFilter(admin.SimpleListFilter):
    title = _("active")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("Active now")), ("no", _("Ended or not started"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.active()
        if self.value() == "no":
            return queryset.exclude(pk__in=Ban.objects.active().values("pk"))
        return queryset


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    """Bans: added here or from the comment queue; lifted with the action, never edited."""

    list_display = ("user", "reason", "starts", "ends_display", "created_by", "is_active")
    list_select_related = ("user", "created_by")
    list_filter = (ActiveFilter,)
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
        lifted = []
        not_over = Q(ends__isnull=True) | Q(ends__gt=timezone.now())
        for ban in queryset.filter(not_over).select_related("user"):
            services.ban_lift(ban=ban, by=request.user)
            lifted.append(ban.user.get_username())
        if not lifted:
            self.message_user(
                request, "Lifted nothing: every selected ban was over already.", messages.WARNING
            )
            return
        count = f"{len(lifted)} ban{'s' if len(lifted) != 1 else ''}"
        self.message_user(request, f"Lifted {count}: {named(sorted(lifted))}.", messages.SUCCESS)
