"""The nested comment markup, built in Python with one flat loop.

A 10,000-comment thread through Django's template engine costs tens of
microseconds per comment in tag and filter dispatch; string building here
costs a few, which keeps an uncached page close to the cost of fetching its
rows (see README's Performance section). The markup is the one the site, the
tests and the permalinks rely on: each comment is an element
`id="comment-<pk>"` that contains its replies' elements, with the author in
`.comment-author`, the sanitised text in `.comment-body`, a permalink around
its time, and its action links. Everything written here from a user is
escaped; `body_html` was sanitised by nh3 when the comment was saved.
"""

from dataclasses import dataclass
from html import escape

from django.urls import reverse
from django.utils import timezone

from .selectors import Node

MONTHS = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTH_NAMES = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def time_label(created, *, imported: bool, zone=None) -> str:
    """Month and year for imported comments (seed documents carry no times, only
    the article's dateline), else date and time, in `zone` (default: the site's)."""
    local = created.astimezone(zone or timezone.get_current_timezone())
    if imported:
        return f"{MONTH_NAMES[local.month]} {local.year}"
    return f"{local.day} {MONTHS[local.month]} {local.year}, {local.hour:02}:{local.minute:02}"


@dataclass
class Links:
    """URL prefixes for one article's comment actions, reversed once per page."""

    comments: str  # /articles/<slug>/comments/
    comments_open: bool
    report: bool  # signed-in readers may report

    @classmethod
    def for_article(cls, article, *, comments_open: bool, report: bool) -> "Links":
        prefix = reverse("comments:comment-create", kwargs={"slug": article.slug})
        return cls(comments=prefix, comments_open=comments_open, report=report)


def _actions(node: Node, links: Links) -> str:
    base = f"{links.comments}{node.pk}/"
    parts = []
    if links.comments_open and not node.is_held:
        parts.append(f'<a href="{base}reply/" rel="nofollow">Reply</a>')
    if node.can_edit:
        parts.append(f'<a href="{base}edit/" rel="nofollow">Edit</a>')
    if node.is_own:
        parts.append(f'<a href="{base}delete/" rel="nofollow">Delete</a>')
    elif links.report:
        parts.append(f'<a href="{base}report/" rel="nofollow">Report</a>')
    return "".join(parts)


def render_nodes(nodes: list[Node], links: Links) -> str:
    """The markup of already-shaped nodes (see comments.selectors)."""
    out: list[str] = []
    append = out.append
    zone = timezone.get_current_timezone()
    labels: dict = {}  # imported comments share a handful of times
    for node in nodes:
        pk = node.pk
        if node.tombstone:
            append(
                f'<article class="comment comment-tombstone" id="comment-{pk}" '
                f'data-level="{node.level}"><div class="comment-card">'
                f'<p class="comment-gone mb-0">{node.tombstone}</p></div>'
            )
        else:
            held = node.is_held
            label_key = (node.created, node.imported)
            label = labels.get(label_key)
            if label is None:
                label = labels[label_key] = time_label(
                    node.created, imported=node.imported, zone=zone
                )
            append(
                f'<article class="comment{" comment-held" if held else ""}" id="comment-{pk}" '
                f'data-level="{node.level}"><div class="comment-card"><header class="comment-meta">'
                f'<span class="comment-author">{escape(node.display_name)}</span> '
                f'<a class="comment-permalink" href="#comment-{pk}" title="Link to this comment">'
                f'<time datetime="{node.created.isoformat()}">{label}</time></a>'
            )
            if node.edited:
                append(' <span class="comment-edited">edited</span>')
            if held:
                append(' <span class="comment-badge">awaiting moderation</span>')
            append(
                f'</header><div class="comment-body">{node.body_html}</div>'
                f'<div class="comment-actions">{_actions(node, links)}</div></div>'
            )
        if node.more:
            append(
                f'<a class="comment-continue" href="{links.comments}{pk}/">'
                "Continue this thread →</a>"
            )
        if node.opens_replies:
            append('<div class="comment-replies">')
        else:
            append("</article>" + "</div></article>" * node.closes)
    return "".join(out)
