"""The moderation queue (the comment changelist) and a comment's own admin page."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import path
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from comments import policy
from comments.models import Comment, ModerationAction, Report, Revision
from comments.moderation.admin import queue
from comments.moderation.admin.actions import ModerationActions
from comments.moderation.admin.votes import RESET_BUTTON, VoteActions, VoteInline, has_votes
from comments.threads.markup import time_label
from comments.threads.selectors import ancestors_of
from forum.inlines import ReadOnlyInline

Status = Comment.Status
# The queue's action behind each of policy.actions_for's, and its button's label.
BUTTONS = {
    policy.Act.APPROVE: ("approve_comments", "Approve"),
    policy.Act.REMOVE: ("remove_comments", "Remove…"),
    policy.Act.RESTORE: ("restore_comments", "Restore"),
    policy.Act.BAN: ("ban_authors", "Ban author…"),
    policy.Act.DISMISS: ("dismiss_reports", "Dismiss reports"),
}


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


@admin.register(Comment)
class CommentAdmin(ModerationActions, VoteActions, admin.ModelAdmin):
    """The moderation queue: held comments first, then those with open reports, then
    every comment in thread order, each in its context (see admin.queue). Comments
    are written on the site and never deleted here: the actions (admin.actions)
    change their status and record who, what and why."""

    list_display = (
        "entry",
        "article_display",
        "author_display",
        "status",
        "report_count",
        "reporters",
        "points_display",
        "created_display",
    )
    list_display_links = None
    list_filter = (
        queue.AttentionFilter,
        "status",
        queue.ReportedFilter,
        "article",
        "created",
    )
    list_select_related = ("article", "author")
    search_fields = ("body", "author_name", "author__username", "author_email")
    date_hierarchy = "created"
    fields = (
        "article",
        "parent",
        "author",
        "author_name",
        "guest",
        "author_email",
        "author_ip",
        "author_url",
        "imported_member",
        "status",
        "moderation_reason",
        "rendered_body",
        "thread_context",
        "created",
        "edited",
        "imported",
    )
    readonly_fields = fields
    inlines = (ReportInline, RevisionInline, ModerationActionInline, VoteInline)
    actions = (*ModerationActions.actions, "reset_votes")
    list_per_page = 100
    change_form_template = "admin/comments/comment/change_form.html"

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

    def get_fields(self, request: HttpRequest, obj=None):
        """Moderators also see a summary of the comment's votes (the list: VoteInline)."""
        if self.can_moderate(request):
            return (*self.fields, "votes_summary")
        return self.fields

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return self.get_fields(request, obj)

    def get_ordering(self, request: HttpRequest):
        return ("review_rank", "tree_id", "lft")

    def get_changelist(self, request: HttpRequest, **kwargs):
        return queue.QueueChangeList

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("comment, in context"))
    def entry(self, comment: Comment) -> str:
        return queue.entry_html(comment)

    @admin.display(description=_("article"), ordering="article__title")
    def article_display(self, comment: Comment) -> str:
        return Truncator(comment.article.title).chars(32)

    @admin.display(description=_("author"), ordering="author_name")
    def author_display(self, comment: Comment) -> str:
        """The name; for an author without an account "guest", and a guest's address;
        then how many of the author's comments moderators removed before (a guest's
        counted by that address, none shown for an imported comment)."""
        removed = queue.removed_label(comment.removed_before)
        removed_html = (
            format_html('<br><span class="author-removed">{}</span>', removed) if removed else ""
        )
        if not comment.is_guest:
            return format_html("{}{}", comment.display_name, removed_html)
        return format_html(
            '{} <span class="comment-guest">{}</span>{}{}',
            comment.display_name,
            _("guest"),
            format_html('<br><span class="guest-email">{}</span>', comment.author_email)
            if comment.author_email
            else "",
            removed_html,
        )

    @admin.display(description=_("guest"))
    def guest(self, comment: Comment) -> str:
        """Whether the author has an account (readers see "guest" by the name otherwise)."""
        if not comment.is_guest:
            return _("No: a registered reader")
        if comment.imported:
            return _("Yes: imported from a seed document")
        return _("Yes: posted without an account")

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
        return queue.body_html(comment.body_html)

    @admin.display(description=_("in the thread"))
    def thread_context(self, comment: Comment) -> str:
        ancestors = ancestors_of([comment])[comment.pk]
        return format_html(
            '{}<p class="queue-replies">{}</p>',
            queue.context_html(ancestors),
            queue.replies_label(queue.replies_below(comment)),
        )

    # A comment's own page: its moderation buttons.

    def get_urls(self):
        moderate = self.admin_site.admin_view(require_POST(self.moderate_view))
        return [
            path("<path:object_id>/moderate/", moderate, name="comments_comment_moderate"),
            *super().get_urls(),
        ]

    def buttons(self, request: HttpRequest, comment: Comment) -> list[tuple[str, str]]:
        """(action, label) of what a moderator can do to this comment now
        (policy.actions_for, as the thread offers it); and Reset votes while it has
        any."""
        viewer = policy.Viewer.of(request.user)
        acts = policy.actions_for(
            status=comment.status,
            author_id=comment.author_id,
            author_is_staff=comment.author is not None and comment.author.is_staff,
            viewer=viewer,
            open_reports=comment.report_count,
        )
        buttons = [BUTTONS[act] for act in acts]
        if viewer.can_moderate and has_votes(comment):
            buttons.append(RESET_BUTTON)
        return buttons

    def can_moderate(self, request: HttpRequest) -> bool:
        return policy.Viewer.of(request.user).can_moderate

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["moderation_buttons"] = self.buttons(request, obj) if obj is not None else []
        return super().render_change_form(request, context, add, change, form_url, obj)

    def moderate_view(self, request: HttpRequest, object_id: str):
        """A button on a comment's page: run that queue action on this one comment
        (asking for a reason first where the action does), then back to the page."""
        comment = self.get_object(request, unquote(object_id))
        if comment is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.can_moderate(request):
            raise PermissionDenied
        name = request.POST.get("action", "")
        if name not in dict(self.buttons(request, comment)):
            return HttpResponseBadRequest("That action does not apply to this comment now.")
        func, _name, _description = self.get_actions(request)[name]
        response = func(self, request, self.get_queryset(request).filter(pk=comment.pk))
        if response is not None:
            return response
        return redirect("admin:comments_comment_change", comment.pk)
