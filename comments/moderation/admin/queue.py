"""The moderation queue's rows: which comments need attention, and each one shown
in its context.

A row shows the comment's sanitised HTML (what readers see, never its Markdown
source), the comments it answers (the parent, and the rest up to the thread's
start folded in a `<details>`), how many replies hang under it, and its depth,
on the whole entry; under it, why it was reported (its open reports' reasons
grouped, and their notes with who wrote them); by its author, how many of their
comments moderators removed before. Invariant: the page costs the same number of
queries for 5 comments or 100 and for no reports or hundreds. The open reports
and their reporters are prefetched with the rows (CommentAdmin.get_queryset); the
ancestors of every comment on the page (`selectors.ancestors_of`) and its authors'
removals (`history.removed_before`) are read in one query each when the page's
rows are fetched.
"""

from collections import Counter

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from comments import policy
from comments.models import Comment, Report
from comments.moderation.history import removed_before
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
    """The changelist, with each row of the page given its ancestors and its author's
    removals (one query each)."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        attach_context(self.result_list)


def attach_context(comments: list[Comment]) -> None:
    """Give each comment `context_ancestors`, its ancestors, oldest first, and
    `removed_before`, how many of its author's other comments were removed (None when
    its author cannot be told apart: see history.removed_before)."""
    ancestors = ancestors_of(comments)
    removed = removed_before(comments)
    for comment in comments:
        comment.context_ancestors = ancestors[comment.pk]
        comment.removed_before = removed[comment.pk]


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


REASON_LABELS = dict(Report.Reason.choices)
REASON_ORDER = list(REASON_LABELS)


def reasons_grouped(reports: list[Report]) -> list[tuple[str, int]]:
    """(reason's label, how many reports give it), the most given first, ties in the
    order the report form offers them; shown as the label, a multiplication sign and
    the count, e.g. for two reports of spam and one off-topic."""
    counts = Counter(report.reason for report in reports)

    def rank(reason: str) -> tuple[int, int]:
        where = REASON_ORDER.index(reason) if reason in REASON_ORDER else len(REASON_ORDER)
        return (-counts[reason], where)

    return [
        (str(REASON_LABELS.get(reason, reason)), counts[reason])
        for reason in sorted(counts, key=rank)
    ]


def reports_html(reports: list[Report]) -> SafeString:
    """Why a comment was reported: its open reports' reasons grouped, then each note,
    as written (escaped), with who wrote it. Nothing when it has no open report."""
    if not reports:
        return mark_safe("")
    reasons = format_html_join(
        ", ",
        '<span class="queue-reason">{} ×{}</span>',
        reasons_grouped(reports),
    )
    notes = format_html_join(
        "",
        '<li><q class="queue-note-text">{}</q> <span class="queue-note-by">({})</span></li>',
        ((report.note, report.reporter.get_username()) for report in reports if report.note),
    )
    return format_html(
        '<div class="queue-reports"><p class="queue-reasons"><strong>Reported:</strong> {}</p>{}'
        "</div>",
        reasons,
        format_html('<ul class="queue-notes">{}</ul>', notes) if notes else "",
    )


def removed_label(count: int | None) -> str:
    """How many of the author's comments moderators removed before; "" when unknown."""
    if count is None:
        return ""
    return f"{count or 'none'} removed before"


def depth_label(level: int) -> str:
    return "top level" if level == 0 else f"depth {level}"


def entry_html(comment: Comment) -> SafeString:
    """One queue row's comment: depth and replies, the context, the comment as readers
    see it, then why it was reported; indented, with a rule down its side, as a whole
    by depth."""
    return format_html(
        '<div class="queue-entry" data-depth="{}" style="--indent: {}">'
        '<p class="queue-meta"><a class="queue-open" href="{}" title="Open this comment">#{}</a>'
        ' · <span class="queue-depth">{}</span> · <span class="queue-replies">{}</span></p>{}'
        '<div class="queue-comment">{}</div>{}</div>',
        comment.level,
        min(comment.level, MAX_INDENT),
        reverse("admin:comments_comment_change", args=[comment.pk]),
        comment.pk,
        depth_label(comment.level),
        replies_label(replies_below(comment)),
        context_html(comment.context_ancestors),
        body_html(comment.body_html),
        reports_html(comment.open_reports),
    )
