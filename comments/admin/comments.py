from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .. import services
from ..html import time_label
from ..models import Comment, ModerationAction, Report, Revision
from .forms import BanForm, ReasonForm
from .inlines import ReadOnlyInline

Status = Comment.Status


class ReportedFilter(admin.SimpleListFilter):
    """Comments with reports no moderator has handled yet."""

    title = _("open reports")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", _("Reported")), ("no", _("Not reported"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(report_count__gt=0)
        if self.value() == "no":
            return queryset.filter(report_count=0)
        return queryset


class ReportInline(ReadOnlyInline):
    model = Report
    fields = ("reason", "note", "reporter", "created", "state", "handled_by", "handled_at")


class RevisionInline(ReadOnlyInline):
    """What the comment said before each of its author's edits, newest first."""

    model = Revision
    fields = ("body", "written", "replaced")


class ModerationActionInline(ReadOnlyInline):
    model = ModerationAction
    fk_name = "comment"
    fields = ("created", "actor", "kind", "reason")
    verbose_name_plural = _("moderation history")


def _ask(modeladmin, request, queryset, form, *, title: str, action: str, button: str):
    """The intermediate page of an action that needs a reason (and, for bans, a length)."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "comments": queryset,
        "form": form,
        "action": action,
        "button": button,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/comments/action_form.html", context)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: held and reported comments first, then every comment in
    thread order, indented by depth. Comments are written on the site and never
    deleted here: the actions change their status and record who, what and why."""

    list_display = (
        "excerpt_display",
        "in_reply_to",
        "article_display",
        "author_display",
        "status",
        "report_count",
        "reporters",
        "created_display",
    )
    list_display_links = ("excerpt_display",)
    list_filter = ("status", ReportedFilter, "article", "created")
    list_select_related = ("article", "author", "parent", "parent__author")
    search_fields = ("body", "author_name", "author__username")
    date_hierarchy = "created"
    fields = (
        "article",
        "parent",
        "author",
        "author_name",
        "status",
        "moderation_reason",
        "rendered_body",
        "created",
        "edited",
        "imported",
    )
    readonly_fields = fields
    inlines = (ReportInline, RevisionInline, ModerationActionInline)
    actions = (
        "approve_comments",
        "remove_comments",
        "restore_comments",
        "remove_subtrees",
        "ban_authors",
    )
    list_per_page = 100

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        # Annotate before ordering: the queue sorts on `review_rank`. Only open
        # reports count: a comment whose reports were handled goes back in line.
        queryset = (
            self.model._default_manager.get_queryset()
            .prefetch_related(
                Prefetch(
                    "reports",
                    Report.objects.open().select_related("reporter"),
                    to_attr="open_reports",
                )
            )
            .annotate(report_count=Count("reports", filter=Q(reports__state=Report.State.OPEN)))
            .annotate(
                review_rank=Case(
                    When(status=Status.PENDING, then=Value(0)),
                    When(report_count__gt=0, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
        )
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request: HttpRequest):
        return ("review_rank", "tree_id", "lft")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("comment"))
    def excerpt_display(self, comment: Comment) -> str:
        return format_html(
            '<span class="comment-excerpt" style="padding-left:{}px">{}</span>',
            min(comment.level, 12) * 18,
            comment.excerpt or _("(no text)"),
        )

    @admin.display(description=_("in reply to"))
    def in_reply_to(self, comment: Comment) -> str:
        if comment.parent is None:
            return "—"
        return f"{comment.parent.display_name}: {Truncator(comment.parent.excerpt).chars(60)}"

    @admin.display(description=_("article"), ordering="article__title")
    def article_display(self, comment: Comment) -> str:
        return Truncator(comment.article.title).chars(32)

    @admin.display(description=_("author"), ordering="author_name")
    def author_display(self, comment: Comment) -> str:
        return comment.display_name

    @admin.display(description=_("open reports"), ordering="report_count")
    def report_count(self, comment: Comment) -> int:
        return comment.report_count

    @admin.display(description=_("reported by"))
    def reporters(self, comment: Comment) -> str:
        """Who reported it, so a moderator can spot (and ban) a ring of reporters."""
        names = [report.reporter.get_username() for report in comment.open_reports]
        return ", ".join(sorted(names)) or "—"

    @admin.display(description=_("created"), ordering="created")
    def created_display(self, comment: Comment) -> str:
        return time_label(comment.created, imported=comment.imported)

    @admin.display(description=_("text"))
    def rendered_body(self, comment: Comment) -> str:
        # body_html is the sanitised HTML readers see (nh3 cleaned it on save).
        return format_html(
            '<div class="comment-body">{}</div>', mark_safe(comment.body_html or "—")
        )

    def _done(self, request, verb: str, count: int, skipped: int = 0) -> None:
        message = f"{verb} {count} comment{'s' if count != 1 else ''}."
        if skipped:
            message += f" {skipped} already had that status or could not change."
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve_comments(self, request, queryset):
        count = len(services.comments_approve(comments=queryset, by=request.user))
        self._done(request, "Approved", count, queryset.count() - count)

    def _with_reason(self, request, queryset, remove, *, title: str, action: str, button: str):
        """Ask for a reason on the intermediate page, then call `remove` with it."""
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return _ask(self, request, queryset, form, title=title, action=action, button=button)
        removed = remove(comments=queryset, by=request.user, reason=form.cleaned_data["reason"])
        count = len(removed)
        self._done(request, "Removed", count)
        return None

    @admin.action(description=_("Remove selected comments…"), permissions=["change"])
    def remove_comments(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            services.comments_remove,
            title="Remove comments",
            action="remove_comments",
            button="Remove comments",
        )

    @admin.action(description=_("Restore selected comments"), permissions=["change"])
    def restore_comments(self, request, queryset):
        count = len(services.comments_restore(comments=queryset, by=request.user))
        self._done(request, "Restored", count, queryset.count() - count)

    @admin.action(
        description=_("Remove selected comments with all their replies…"), permissions=["change"]
    )
    def remove_subtrees(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            services.comments_remove_subtree,
            title="Remove comments and every reply beneath them",
            action="remove_subtrees",
            button="Remove comments and replies",
        )

    @admin.action(description=_("Ban the authors of selected comments…"), permissions=["change"])
    def ban_authors(self, request, queryset):
        form = BanForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            authors = [c.author for c in queryset.select_related("author") if c.author]
            bans = services.users_ban(
                users=authors, by=request.user, reason=form.cleaned_data["reason"], ends=form.ends()
            )
            names = ", ".join(sorted(b.user.get_username() for b in bans)) or "nobody"
            skipped = len({a.pk for a in authors}) - len(bans)
            note = f" ({skipped} staff not banned)" if skipped else ""
            imported = sum(1 for c in queryset if c.author_id is None)
            if imported:
                note += f" ({imported} imported comments have no account)"
            self.message_user(request, f"Banned {names}{note}.", messages.SUCCESS)
            return None
        return _ask(
            self,
            request,
            queryset,
            form,
            title="Ban the authors of these comments",
            action="ban_authors",
            button="Ban authors",
        )
