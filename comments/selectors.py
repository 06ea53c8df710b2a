"""Reads of comment trees, shaped for rendering.

The article page and a comment's own page read their rows with one query each
(plain tuples, not model instances: a 10,000-comment thread builds no ORM
objects), then decide once, in Python, what the viewer sees and where each
comment's element opens and closes.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, F, Q
from django.utils import timezone

from articles.models import Article

from .models import Ban, Comment

Status = Comment.Status

# How top-level threads are ordered; replies are always oldest first. New
# threads take the next tree_id under a lock, so tree_id order is posting order.
SORTS = {
    "oldest": ("tree_id",),
    "newest": ("-tree_id",),
    "replies": ((F("rght") - F("lft")).desc(), "tree_id"),
}
DEFAULT_SORT = "oldest"

TOMBSTONES = {
    Status.REMOVED: "[removed]",
    Status.DELETED: "[deleted]",
    Status.PENDING: "[awaiting moderation]",
}

COLUMNS = (
    "id",
    "parent_id",
    "tree_id",
    "lft",
    "rght",
    "level",
    "author_id",
    "author__username",
    "author_name",
    "body_html",
    "status",
    "imported",
    "created",
    "edited",
)


@dataclass(slots=True)
class Node:
    """One comment as a page shows it."""

    pk: int
    parent_id: int | None
    tree_id: int
    lft: int
    rght: int
    level: int
    author_id: int | None
    username: str | None
    author_name: str
    body_html: str
    status: str
    imported: bool
    created: datetime
    edited: datetime | None
    # Decided per viewer:
    keep: bool = False
    tombstone: str = ""
    is_own: bool = False
    can_edit: bool = False
    # Shape: the next node is this one's first reply; else how many enclosing
    # reply lists end after it; whether replies were cut at the depth limit.
    opens_replies: bool = False
    closes: int = 0
    more: bool = False

    @property
    def display_name(self) -> str:
        return self.username if self.username is not None else self.author_name

    @property
    def is_held(self) -> bool:
        return self.status == Status.PENDING and not self.tombstone


@dataclass
class Viewer:
    """Who is looking, reduced to what changes the thread's HTML."""

    user_id: int | None = None
    is_staff: bool = False

    @classmethod
    def of(cls, user) -> "Viewer":
        if user is None or not user.is_authenticated:
            return cls()
        return cls(user_id=user.pk, is_staff=user.is_staff)

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None


@dataclass
class ThreadPage:
    nodes: list[Node]
    number: int = 1
    num_pages: int = 1
    thread_count: int = 0
    comment_count: int = 0
    sort: str = DEFAULT_SORT
    html: str = ""


def _rows(queryset) -> list[Node]:
    """The queryset's COLUMNS as Nodes, fetched with the database cursor directly.

    Django builds the SQL; skipping its per-value converters (on SQLite a settings
    lookup and timezone check per datetime) halves the cost of a big thread.
    Stored times are UTC, so a naive one (SQLite's) only needs its zone attached.
    """
    try:
        sql, params = queryset.values_list(*COLUMNS).query.sql_with_params()
    except EmptyResultSet:  # e.g. `tree_id__in=[]`: a page with no threads
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        nodes = [Node(*row) for row in cursor.fetchall()]
    if nodes and timezone.is_naive(nodes[0].created):
        for node in nodes:
            node.created = node.created.replace(tzinfo=UTC)
            if node.edited is not None:
                node.edited = node.edited.replace(tzinfo=UTC)
    return nodes


def _can_see(node: Node, viewer: Viewer) -> bool:
    """Published comments, plus pending ones for their author and for staff."""
    if node.status == Status.PUBLISHED:
        return True
    if node.status == Status.PENDING and viewer.signed_in:
        return viewer.is_staff or node.author_id == viewer.user_id
    return False


def _decide_visibility(nodes: list[Node], viewer: Viewer) -> list[Node]:
    """Keep what the viewer may see, and hidden comments as tombstones where a visible
    reply needs them. `nodes` must be in tree order; a hidden comment with no
    visible descendant is dropped with its subtree, so the result is still a
    valid tree in pre-order."""
    ancestors: list[Node] = []
    edit_after = timezone.now() - settings.FORUM_EDIT_WINDOW
    user_id = viewer.user_id
    for node in nodes:
        level = node.level
        while ancestors and ancestors[-1].level >= level:
            ancestors.pop()
        if _can_see(node, viewer):
            node.keep = True
            for ancestor in reversed(ancestors):
                if ancestor.keep:
                    break
                ancestor.keep = True
            if user_id is not None and node.author_id == user_id:
                node.is_own = True
                node.can_edit = node.created >= edit_after
        else:
            node.tombstone = TOMBSTONES[node.status]
        ancestors.append(node)
    return [node for node in nodes if node.keep]


def _cut_and_shape(nodes: list[Node], *, max_level: int) -> list[Node]:
    """Drop replies deeper than `max_level` (their parent gets `more`), then compute
    where each element opens a replies list or closes. The renderer builds the
    nested markup with one flat loop from `opens_replies` and `closes`."""
    shown: list[Node] = []
    for node in nodes:
        if node.level > max_level:
            shown[-1].more = shown[-1].more or shown[-1].level == max_level
            continue
        shown.append(node)
    if not shown:
        return shown
    base = min(node.level for node in shown)
    for node, following in zip(shown, [*shown[1:], None], strict=True):
        next_level = following.level if following is not None else base
        node.opens_replies = following is not None and next_level > node.level
        node.closes = 0 if node.opens_replies else node.level - next_level
    return shown


def _group_by_trees(nodes: list[Node], tree_order: list[int]) -> list[Node]:
    trees: dict[int, list[Node]] = {tree_id: [] for tree_id in tree_order}
    for node in nodes:
        trees[node.tree_id].append(node)
    return [node for tree_id in tree_order for node in trees[tree_id]]


def thread_page(article: Article, *, viewer: Viewer, sort: str, page: int) -> ThreadPage:
    """One page of the article's top-level threads with every reply, as `viewer` sees
    them, in 3 queries: counts, the page's top-level threads, their rows."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    per_page = settings.FORUM_THREADS_PER_PAGE
    comments = Comment.objects.filter(article=article)
    counts = comments.aggregate(
        threads=Count("pk", filter=Q(level=0)),
        visible=Count("pk", filter=Q(status=Status.PUBLISHED)),
    )
    num_pages = max(1, -(-counts["threads"] // per_page))
    number = min(max(page, 1), num_pages)
    start = (number - 1) * per_page
    tree_order = list(
        comments.filter(level=0)
        .order_by(*SORTS[sort])
        .values_list("tree_id", flat=True)[start : start + per_page]
    )
    nodes = _rows(comments.filter(tree_id__in=tree_order).order_by("tree_id", "lft"))
    nodes = _group_by_trees(nodes, tree_order)
    shown = _cut_and_shape(
        _decide_visibility(nodes, viewer), max_level=settings.FORUM_MAX_VISIBLE_DEPTH
    )
    return ThreadPage(
        nodes=shown,
        number=number,
        num_pages=num_pages,
        thread_count=counts["threads"],
        comment_count=counts["visible"],
        sort=sort,
    )


def comment_context(comment: Comment, *, viewer: Viewer) -> tuple[list[Node], list[Node]]:
    """A comment's ancestors (oldest first) and its subtree as `viewer` sees it, cut
    at FORUM_MAX_VISIBLE_DEPTH levels below the comment: one query."""
    rows = _rows(
        Comment.objects.filter(tree_id=comment.tree_id)
        .filter(
            Q(lft__lt=comment.lft, rght__gt=comment.rght)
            | Q(lft__gte=comment.lft, rght__lte=comment.rght)
        )
        .order_by("lft")
    )
    ancestors = [n for n in rows if n.lft < comment.lft]
    subtree = _decide_visibility([n for n in rows if n.lft >= comment.lft], viewer)
    for node in ancestors:
        node.keep = _can_see(node, viewer)
        node.tombstone = "" if node.keep else TOMBSTONES[node.status]
    shown = _cut_and_shape(subtree, max_level=comment.level + settings.FORUM_MAX_VISIBLE_DEPTH)
    return ancestors, shown


def viewer_has_comments(article: Article, viewer: Viewer) -> bool:
    return (
        viewer.signed_in
        and Comment.objects.filter(article=article, author_id=viewer.user_id).exists()
    )


def comment_page_number(comment: Comment, *, sort: str = DEFAULT_SORT) -> int:
    """Which page of the article (in `sort` order) shows this comment's thread."""
    per_page = settings.FORUM_THREADS_PER_PAGE
    roots = Comment.objects.filter(article_id=comment.article_id, level=0)
    if sort == "newest":
        before = roots.filter(tree_id__gt=comment.tree_id).count()
    else:
        before = roots.filter(tree_id__lt=comment.tree_id).count()
    return before // per_page + 1


BAN_CACHE_SECONDS = 300


def _ban_cache_key(user_id: int) -> str:
    return f"forum:ban:{user_id}"


def active_ban(user) -> Ban | None:
    """The ban that stops this user posting now (a permanent one first), or None."""
    return Ban.objects.active().filter(user=user).order_by(F("ends").desc(nulls_first=True)).first()


def cached_active_ban(user) -> Ban | None:
    """`active_ban`, remembered for a few minutes (never past the ban's end); banning
    and lifting forget it. Pages use this; refusing a write always asks the database."""
    key = _ban_cache_key(user.pk)
    ban = cache.get(key, default=False)
    if ban is False:
        ban = active_ban(user)
        timeout = BAN_CACHE_SECONDS
        if ban is not None and ban.ends is not None:
            timeout = max(1, min(timeout, int((ban.ends - timezone.now()).total_seconds())))
        cache.set(key, ban, timeout)
    return ban


def forget_ban(user_id: int) -> None:
    cache.delete(_ban_cache_key(user_id))
