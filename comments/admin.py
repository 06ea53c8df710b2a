from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from mptt.admin import MPTTModelAdmin

from . import services
from .models import Comment
from .templatetags.comment_tags import comment_time


@admin.register(Comment)
class CommentAdmin(MPTTModelAdmin):
    """The moderation list: comments in tree order, indented by depth.

    Comments are written on the site, and hidden or shown again with the actions,
    never deleted here; only the text and the author's displayed name can be
    corrected in the form.
    """

    list_display = (
        "excerpt_display",
        "article_display",
        "author_display",
        "status",
        "created_display",
    )
    list_display_links = ("excerpt_display",)
    list_filter = ("status", "article")
    list_select_related = ("article", "author")
    search_fields = ("body", "author_name", "author__username")
    readonly_fields = ("article", "parent", "author", "status", "imported", "created")
    fields = ("article", "parent", "author", "author_name", "body", "status", "imported", "created")
    actions = ("remove_comments", "restore_comments")
    mptt_level_indent = 24
    mptt_indent_field = "excerpt_display"
    list_per_page = 100

    class Media:
        css = {"all": ["css/admin.css"]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("comment"))
    def excerpt_display(self, comment: Comment) -> str:
        return comment.excerpt or _("(no text)")

    @admin.display(description=_("article"), ordering="article__title")
    def article_display(self, comment: Comment) -> str:
        return Truncator(comment.article.title).chars(32)

    @admin.display(description=_("created"), ordering="created")
    def created_display(self, comment: Comment) -> str:
        return comment_time(comment)

    @admin.display(description=_("author"), ordering="author_name")
    def author_display(self, comment: Comment) -> str:
        return comment.display_name

    @admin.action(description=_("Remove selected comments"), permissions=["change"])
    def remove_comments(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = services.comments_remove(comments=queryset, by=request.user)
        self.message_user(request, f"Removed {count} comment(s).", messages.SUCCESS)

    @admin.action(description=_("Restore selected comments"), permissions=["change"])
    def restore_comments(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = services.comments_restore(comments=queryset, by=request.user)
        self.message_user(request, f"Restored {count} comment(s).", messages.SUCCESS)
