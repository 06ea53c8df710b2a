"""The comment markup, built in Python with one flat loop.

A 10,000-comment thread through Django's template engine costs tens of
microseconds per comment in tag and filter dispatch; string building here
costs a few, which keeps an uncached page close to the cost of fetching its
rows (see README's Performance section). This is the only place a comment's
markup is written: the thread, a comment's own page, and the single comment
shown above the reply, report and delete forms all come from here.

The markup is the one the site, the tests and the permalinks rely on: each
comment is an element `id="comment-<pk>"` that contains its replies'
elements, with the author in `.comment-author`, the sanitised text in
`.comment-body`, a permalink around its time, and its action links.
"""

from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.safestring import SafeString, mark_safe

from .policy import Viewer
from .shaping import Node

# A pk no comment has, reversed in place of the real one and then split off,
# so each route is reversed once per page rather than once per comment.
_PLACEHOLDER = "2147483647"
ROUTES = ("comment-detail", "comment-reply", "comment-edit", "comment-delete", "comment-report")
ACTION_LABELS = {
    "comment-reply": "Reply",
    "comment-edit": "Edit",
    "comment-delete": "Delete",
    "comment-report": "Report",
}


class Links:
    """One article's comment URLs for one kind of viewer, each route reversed once."""

    def __init__(self, article, *, viewer: Viewer) -> None:
        self.comments_open = article.comments_open
        self.report = viewer.signed_in  # signed-in readers may report
        self._routes = {}
        for name in ROUTES:
            url = reverse(f"comments:{name}", kwargs={"slug": article.slug, "pk": _PLACEHOLDER})
            head, tail = url.split(_PLACEHOLDER)
            self._routes[name] = (escape(head), escape(tail))
        # The action links around each comment's pk, ready to be joined.
        self.actions = {
            name: (f'<a href="{head}', f'{tail}" rel="nofollow">{label}</a>')
            for name, label in ACTION_LABELS.items()
            for head, tail in [self._routes[name]]
        }

    def url(self, name: str, pk: int) -> str:
        head, tail = self._routes[name]
        return f"{head}{pk}{tail}"


class TimeLabels:
    """How a comment's time reads: month and year for imported comments (seed
    documents carry no times, only the article's dateline), else date and time,
    in the current time zone and language. Built once per page."""

    def __init__(self, zone=None) -> None:
        self.zone = zone or timezone.get_current_timezone()
        self.short = [""] + [str(MONTHS_3[m]).title() for m in range(1, 13)]
        self.full = [""] + [str(MONTHS[m]) for m in range(1, 13)]
        self._imported: dict = {}  # imported comments share a handful of times

    def __call__(self, created, imported: bool) -> str:
        if imported:
            label = self._imported.get(created)
            if label is None:
                local = created.astimezone(self.zone)
                label = self._imported[created] = f"{self.full[local.month]} {local.year}"
            return label
        local = created.astimezone(self.zone)
        return (
            f"{local.day} {self.short[local.month]} {local.year}, {local.hour:02}:{local.minute:02}"
        )


def time_label(created, *, imported: bool) -> str:
    return TimeLabels()(created, imported)


def _actions(node: Node, links: Links, held: bool) -> str:
    pk = node.pk
    actions = links.actions
    parts = []
    if links.comments_open and not held:
        head, tail = actions["comment-reply"]
        parts.append(f"{head}{pk}{tail}")
    if node.can_edit:
        head, tail = actions["comment-edit"]
        parts.append(f"{head}{pk}{tail}")
    if node.is_own:
        head, tail = actions["comment-delete"]
        parts.append(f"{head}{pk}{tail}")
    elif links.report:
        head, tail = actions["comment-report"]
        parts.append(f"{head}{pk}{tail}")
    return "".join(parts)


_EDITED = ' <span class="comment-edited">edited</span>'
_HELD = ' <span class="comment-badge">awaiting moderation</span>'


def render_nodes(
    nodes: list[Node], links: Links, *, permalink: str = "", actions: bool = True
) -> SafeString:
    """The nested markup of already-shaped nodes (see comments.shaping). Each comment's
    permalink is its own anchor on this page unless `permalink` names another."""
    out: list[str] = []
    append = out.append
    labels = TimeLabels()
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
            acts = (
                f'<div class="comment-actions">{_actions(node, links, held)}</div>'
                if actions
                else ""
            )
            append(
                f'<article class="comment{" comment-held" if held else ""}" id="comment-{pk}" '
                f'data-level="{node.level}"><div class="comment-card"><header class="comment-meta">'
                f'<span class="comment-author">{escape(node.display_name)}</span> '
                f'<a class="comment-permalink" href="{permalink or f"#comment-{pk}"}" '
                'title="Link to this comment">'
                f'<time datetime="{node.created.isoformat()}">'
                f"{labels(node.created, node.imported)}</time></a>"
                f"{_EDITED if node.edited else ''}{_HELD if held else ''}"
                # body_html was sanitised by nh3 when the comment was saved.
                f'</header><div class="comment-body">{node.body_html}</div>{acts}</div>'
            )
        if node.more:
            append(
                f'<a class="comment-continue" href="{links.url("comment-detail", pk)}">'
                "Continue this thread →</a>"
            )
        if node.opens_replies:
            append('<div class="comment-replies">')
        else:
            append("</article>" + "</div></article>" * node.closes)
    # Safe: every value from a user is escaped above, body_html was sanitised on
    # save, and URLs come from reverse().
    return mark_safe("".join(out))


def render_card(node: Node, links: Links, *, permalink: str) -> SafeString:
    """One comment on its own, without replies or actions (above a reply, report or
    delete form), its permalink pointing into the thread."""
    return render_nodes([node], links, permalink=escape(permalink), actions=False)
