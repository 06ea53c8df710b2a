"""The moderation queue's rows: which comments need attention, and each one shown
in its context.

A row shows the comment's sanitised HTML (what readers see, never its Markdown
source), the comments it answers (the parent, and the rest up to the thread's
start folded in a `<details>`), how many replies hang under it, and its depth,
on the whole entry. The ancestors of every comment on a page are read in one
query (`selectors.ancestors_of`) when the page's rows are fetched, so the page
costs the same number of queries for 5 comments or 100.
"""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from comments import policy
from comments.models import Comment
from comments.threads.nodes import Node
from comments.threads.selectors import ancestors_of

# Deeper entries are indented no further (the badge still gives the depth).
MAX_INDENT = 8


class ReportedFilter(admin.SimpleListFilter):
    """Comments with reports no moderator has handled yet."""

    title = _("open reports")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", _("Reported")), ("no", _("Not reported"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.reported()
        if self.value() == "no":
            return queryset.exclude(pk__in=Comment.objects.reported().values("pk"))
        return queryset


class AttentionFilter(admin.SimpleListFilter):
    """What is waiting for a moderator: held comments and comments with open reports.
    The site's "Moderate" button opens the queue with it."""

    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("yes", _("Held or reported"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.needing_attention()
        return queryset


class QueueChangeList(ChangeList):
    """The changelist, with each row of the page given its ancestors (one query)."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        attach_context(self.result_list)


def attach_context(comments: list[Comment]) -> None:
    """Give each comment `context_ancestors`: its ancestors, oldest first."""
    ancestors = ancestors_of(comments)
    for comment in comments:
        comment.context_ancestors = ancestors[comment.pk]


def replies_below(comment: Comment) -> int:
    """How many replies hang under the comment, whatever their status."""
    return (comment.rght - comment.lft - 1) // 2


def replies_label(count: int) -> str:
    if not count:
        return "no replies"
    return f"{count} repl{'y' if count == 1 else 'ies'} below"


def _status_note(status: str) -> str:
    return "" if status == policy.Status.PUBLISHED else f" [{policy.Status(status).label}]"


def body_html(html: str) -> SafeString:
    """A comment's stored HTML, as readers see it."""
    # body_html was sanitised by nh3 when the comment was saved.
    return format_html('<div class="comment-body">{}</div>', mark_safe(html or "<p>(no text)</p>"))


def _quoted(node: Node, lead: str) -> SafeString:
    return format_html(
        '<blockquote class="queue-said"><p class="queue-who">{} <strong>{}</strong>{}:</p>{}'
        "</blockquote>",
        lead,
        node.display_name,
        _status_note(node.status),
        body_html(node.body_html),
    )


def context_html(ancestors: list[Node]) -> SafeString:
    """The comments a comment answers: its parent in full, the earlier ones folded."""
    if not ancestors:
        return format_html('<p class="queue-who">{}</p>', "Starts a thread.")
    *earlier, parent = ancestors
    folded = ""
    if earlier:
        folded = format_html(
            '<details class="queue-earlier"><summary>{} earlier in the thread</summary>{}'
            "</details>",
            len(earlier),
            format_html_join("", "{}", ((_quoted(node, "From"),) for node in earlier)),
        )
    return format_html(
        '<div class="queue-context">{}<div class="queue-parent">{}</div></div>',
        folded,
        _quoted(parent, "In reply to"),
    )


def depth_label(level: int) -> str:
    return "top level" if level == 0 else f"depth {level}"


def entry_html(comment: Comment) -> SafeString:
    """One queue row's comment: depth and replies, the context, then the comment as
    readers see it; indented, with a rule down its side, as a whole by depth."""
    return format_html(
        '<div class="queue-entry" data-depth="{}" style="--indent: {}">'
        '<p class="queue-meta"><a class="queue-open" href="{}" title="Open this comment">#{}</a>'
        ' · <span class="queue-depth">{}</span> · <span class="queue-replies">{}</span></p>{}'
        '<div class="queue-comment">{}</div></div>',
        comment.level,
        min(comment.level, MAX_INDENT),
        reverse("admin:comments_comment_change", args=[comment.pk]),
        comment.pk,
        depth_label(comment.level),
        replies_label(replies_below(comment)),
        context_html(comment.context_ancestors),
        body_html(comment.body_html),
    )
