from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from comments.models import ModerationAction


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
