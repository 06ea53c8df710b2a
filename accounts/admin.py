from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminAddUserForm
from comments.models import Ban, Comment, Report
from forum.inlines import ReadOnlyInline

User = get_user_model()


class BanInline(ReadOnlyInline):
    model = Ban
    fk_name = "user"
    fields = ("reason", "starts", "ends", "created_by")
    verbose_name_plural = _("bans (add or lift them under Comments › Bans)")


admin.site.unregister(User)


@admin.register(User)
class ForumUserAdmin(UserAdmin):
    """Django's user admin, plus what a moderator needs: comments, reports, bans."""

    list_display = (
        "username",
        "is_staff",
        "date_joined",
        "comment_count",
        "reports_against",
        "banned",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "date_joined")
    inlines = (BanInline,)
    # New accounts made here obey the same username rule as sign-up.
    add_form = AdminAddUserForm

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                comment_count=Count("comments", distinct=True),
                reports_against=Count(
                    "comments__reports",
                    # Reports the reporters withdrew are not against anyone.
                    filter=~Q(comments__status=Comment.Status.DELETED)
                    & ~Q(comments__reports__state=Report.State.WITHDRAWN),
                    distinct=True,
                ),
                banned=Exists(Ban.objects.active().filter(user=OuterRef("pk"))),
            )
        )

    @admin.display(description=_("comments"), ordering="comment_count")
    def comment_count(self, user) -> int:
        return user.comment_count

    @admin.display(description=_("reports against"), ordering="reports_against")
    def reports_against(self, user) -> int:
        return user.reports_against

    @admin.display(description=_("banned"), boolean=True, ordering="banned")
    def banned(self, user) -> bool:
        return user.banned
