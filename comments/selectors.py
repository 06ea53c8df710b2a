"""Reads of comment trees, shaped for rendering."""

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from articles.models import Article

from .models import Ban, Comment

Status = Comment.Status

# Only the columns the thread shows (plus the tree fields the shape needs).
THREAD_FIELDS = (
    "id",
    "article_id",
    "parent_id",
    "tree_id",
    "lft",
    "rght",
    "level",
    "author_name",
    "body_html",
    "status",
    "imported",
    "created",
    "edited",
    "author__id",
    "author__username",
)

TOMBSTONES = {
    Status.REMOVED: "[removed]",
    Status.DELETED: "[deleted]",
    Status.PENDING: "[awaiting moderation]",
}


def _can_see(comment: Comment, viewer) -> bool:
    """Published comments, plus pending ones for their author and for staff."""
    if comment.status == Status.PUBLISHED:
        return True
    if comment.status == Status.PENDING and viewer is not None and viewer.is_authenticated:
        return viewer.is_staff or comment.author_id == viewer.pk
    return False


def _visible_with_tombstones(rows: list[Comment], viewer) -> list[Comment]:
    """Keep what the viewer may see, and hidden comments as tombstones where a visible
    reply needs them.

    `rows` must be in tree order. A hidden comment with no visible descendant
    is dropped with its whole subtree, so the result is still a valid tree in
    pre-order. Each kept comment gets `tombstone`: "" or the placeholder text.
    """
    ancestors: list[Comment] = []
    for node in rows:
        while ancestors and ancestors[-1].level >= node.level:
            ancestors.pop()
        node.keep = _can_see(node, viewer)
        node.tombstone = "" if node.keep else TOMBSTONES[node.status]
        if node.keep:
            for ancestor in reversed(ancestors):
                if ancestor.keep:
                    break
                ancestor.keep = True
        ancestors.append(node)
    return [node for node in rows if node.keep]


def _mark_structure(nodes: list[Comment]) -> list[Comment]:
    """Compute, once, where each comment's element opens a replies list or closes.

    `opens_replies`: the next comment is this one's first reply. Otherwise the
    element ends here, and `closes` counts the enclosing replies lists (and
    their comments) that end right after it. The template renders the nested
    markup with one flat loop from these two values.
    """
    if not nodes:
        return nodes
    base = min(node.level for node in nodes)
    for node, following in zip(nodes, [*nodes[1:], None], strict=True):
        next_level = following.level if following is not None else base
        node.opens_replies = following is not None and next_level > node.level
        node.closes = range(0 if node.opens_replies else node.level - next_level)
    return nodes


def _mark_viewer_actions(nodes: list[Comment], viewer) -> None:
    """What the viewer may do with each comment: edit/delete their own, report others'."""
    signed_in = viewer is not None and viewer.is_authenticated
    edit_after = timezone.now() - settings.FORUM_EDIT_WINDOW
    for node in nodes:
        own = signed_in and node.author_id == viewer.pk
        node.is_own = own
        node.can_edit = own and not node.tombstone and node.created >= edit_after
        node.can_report = signed_in and not own and not node.tombstone
        node.is_held = node.status == Status.PENDING and not node.tombstone


def article_thread(article: Article, *, viewer=None) -> list[Comment]:
    """Every comment the viewer sees on the article page, in tree order, in one query."""
    rows = list(
        Comment.objects.for_article(article)
        .select_related("author")
        .only(*THREAD_FIELDS)
        .in_tree_order()
    )
    nodes = _mark_structure(_visible_with_tombstones(rows, viewer))
    _mark_viewer_actions(nodes, viewer)
    return nodes


def active_ban(user) -> Ban | None:
    """The ban that stops this user posting now (a permanent one first), or None."""
    return Ban.objects.active().filter(user=user).order_by(F("ends").desc(nulls_first=True)).first()
