"""Reads of comment trees, shaped for pages.

The article page and a comment's own page read their rows with one query each
(plain tuples, not model instances: a 10,000-comment thread builds no ORM
objects); comments.threads.nodes then decides what the viewer sees and how it nests.
"""

import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.utils import timezone

from articles.models import Article
from comments import policy
from comments.models import Ban, Comment, ModerationAction, Report
from comments.models.moderation import ban_until_text
from comments.policy import Sort, Viewer
from comments.threads import ranking
from comments.threads.nodes import (
    Node,
    ReportNote,
    cut_and_shape,
    decide_visibility,
    group_by_trees,
    order_replies,
)


@dataclass
class ThreadPage:
    nodes: list[Node]
    number: int = 1
    num_pages: int = 1
    thread_count: int = 0
    comment_count: int = 0
    sort: str = ""
    # The threads' HTML: `html` when rendered for this viewer alone (marked safe by
    # comments.threads.cache.article_thread); `shared`, encoded as UTF-8, when it is
    # the copy readers share (served from, or stored in, the page cache under `key`).
    # Kept as bytes so that a page is encoded once, when its threads are rendered,
    # not again each time it is stored, read back or sent.
    html: str = ""
    shared: bytes = b""
    # Held comments on this page the viewer may see (their own, or any for
    # moderators); always 0 in a shared render.
    held_count: int = 0
    # For moderators only (empty in every other render): the comments on this page
    # that need one (held, or with open reports), in page order.
    attention: list[int] = field(default_factory=list)
    # Under a sort by votes, the epoch its order was drawn in (comments.threads.ranking),
    # for the links to the other pages; None under the other sorts.
    rank_epoch: int | None = None
    # The page's threads (tree ids), in page order.
    trees: list[int] = field(default_factory=list)
    # The page cache's key for its HTML when it is shared by readers (served from, or
    # stored in, the cache): what its compressed copies are kept under
    # (forum.compression); "" for a render of one reader's own.
    key: str = ""

    @property
    def text(self) -> str:
        """The threads' HTML as text, whichever way it is kept."""
        return self.shared.decode() if self.key else self.html


def _rows(queryset, columns: tuple[str, ...] = Node.COLUMNS) -> list[Node]:
    """The queryset's `columns` (Node.COLUMNS, or Node.MODERATOR_COLUMNS for a
    moderator's page) as Nodes, fetched with the database cursor directly."""
    try:
        sql, params = queryset.values_list(*columns).query.sql_with_params()
    except EmptyResultSet:  # e.g. `tree_id__in=[]`: a page with no threads
        return []
    return _nodes(queryset.db, sql, params)


def _nodes(alias: str, sql: str, params) -> list[Node]:
    """The rows of `sql` (which selects a Node's columns) as Nodes.

    Django builds the SQL; skipping its per-value converters (on SQLite a settings
    lookup and timezone check per datetime) halves the cost of a big thread.
    Stored times are UTC, so a naive one (SQLite's) only needs its zone attached.
    """
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        nodes = [Node(*row) for row in cursor.fetchall()]
    if nodes and timezone.is_naive(nodes[0].created):
        for node in nodes:
            node.created = node.created.replace(tzinfo=UTC)
            node.edited = _aware(node.edited)
    return nodes


def _aware(moment: datetime | None) -> datetime | None:
    """A time read with the cursor, aware: stored times are UTC, and SQLite gives
    them naive."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


# Parameters no real row has (ids are positive), standing in for the caller's values
# in a query compiled once and run with others (see `_compiled`): the n-th value is
# _MARK - n.
_MARK = -2_000_000_000


def _marks(count: int) -> list[int]:
    return [_MARK - n for n in range(count)]


def _value_of(param, values: tuple):
    """The caller's value a compiled query's parameter stands for (itself if it is no
    mark: a constant of the query)."""
    if type(param) is int and _MARK - len(values) < param <= _MARK:
        return values[_MARK - param]
    return param


@functools.lru_cache(maxsize=512)
def _compiled(shape: tuple, alias: str) -> tuple[str, tuple]:
    """The SQL of one of the page's two queries in the shape `shape`, compiled by the
    ORM once per shape and process instead of on every page (for a page of a hundred
    threads compiling took about as long as the database took to answer), and its
    parameters, the caller's values standing as marks (`_marks`). Shapes:

    - ("trees", columns, count): the rows (in `columns`) of `count` threads of an
      article, in tree order; values: the article's id, then the threads' tree ids.
    - ("roots", sort key, offset, limit): one page of an article's top-level
      comments in that sort's order, with their tree_id, tree_version and
      tree_voted_at; value: the article's id.
    """
    kind, *rest = shape
    if kind == "trees":
        columns, count = rest
        article, *trees = _marks(1 + count)
        queryset = (
            Comment.objects.using(alias)
            .filter(article_id=article, tree_id__in=trees)
            .order_by("tree_id", "lft")
            .values_list(*columns)
        )
    else:
        sort_key, offset, limit = rest
        queryset = (
            Comment.objects.using(alias)
            .filter(article_id=_marks(1)[0], level=0)
            .order_by(*policy.SORTS[sort_key].order_by)
            .values_list("tree_id", "tree_version", "tree_voted_at")[offset : offset + limit]
        )
    return queryset.query.sql_with_params()


def _run_compiled(shape: tuple, values: tuple) -> tuple[str, str, list]:
    """The database comments are read from now (forum.db_router), and the SQL of
    `shape` there (see `_compiled`) with the caller's values in place."""
    alias = router.db_for_read(Comment)
    sql, params = _compiled(shape, alias)
    return alias, sql, [_value_of(param, values) for param in params]


def _max_level(below: int = 0) -> int:
    return below + settings.FORUM_MAX_VISIBLE_DEPTH


def page_of(article: Article, *, sort: Sort, page: int) -> ThreadPage:
    """Page `page` of the article's threads, numbered and counted from the article row
    alone (no query); its threads are read by `page_trees` and `thread_nodes`. `page`
    must exist (see `policy.thread_pages`)."""
    pages = policy.thread_pages(article.thread_count)
    return ThreadPage(
        nodes=[],
        number=pages.page(page).number,
        num_pages=pages.num_pages,
        thread_count=article.thread_count,
        comment_count=article.comment_count,
        sort=sort.key,
    )


@dataclass(frozen=True)
class PageTrees:
    """The page's threads in order: (tree_id, tree_version, tree_voted_at) each, and
    the epoch a sort by votes drew their order in (None under the other sorts)."""

    rows: list[tuple[int, int, datetime | None]]
    rank_epoch: int | None = None


def page_trees(article: Article, *, sort: Sort, page: int, asked: int | None = None) -> PageTrees:
    """The page's top-level threads in `sort` order, with their versions, in one query:
    under a sort by votes, in the order comments.threads.ranking holds still (drawn in
    the epoch `asked`, a page link's `?r=`, while it is kept)."""
    per_page = policy.thread_pages(article.thread_count).per_page
    start = (page - 1) * per_page
    columns = ("tree_id", "tree_version", "tree_voted_at")
    roots = Comment.objects.filter(article_id=article.pk, level=0)
    order = ranking.order_of(article, sort)
    if not order.ranked:
        alias, sql, params = _run_compiled(("roots", order.key, start, per_page), (article.pk,))
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return PageTrees([(tree, version, _aware(voted)) for tree, version, voted in rows])
    ranked = ranking.ranked_threads(article, sort, asked=asked)
    trees = ranked.trees[start : start + per_page]
    found = {row[0]: row for row in roots.filter(tree_id__in=trees).values_list(*columns)}
    return PageTrees([found[tree] for tree in trees if tree in found], ranked.epoch)


def thread_nodes(
    article: Article, *, trees: list[int], viewer: Viewer, sort: Sort
) -> dict[int, list[Node]]:
    """Each of these threads with every reply as `viewer` sees them, each comment's
    replies in `sort` order, shaped on its own (a thread nobody may see is an empty
    list), in one query for all of them."""
    shape = ("trees", _columns_for(viewer), len(trees))
    nodes = _nodes(*_run_compiled(shape, (article.pk, *trees))) if trees else []
    ordered = order_replies(group_by_trees(nodes, trees), ranking.order_of(article, sort))
    shown = cut_and_shape(decide_visibility(ordered, viewer), max_level=_max_level())
    note_for_moderators(shown, viewer=viewer)
    # Shaped together, each thread still opens and closes every element it
    # opens: its root is at level 0, where the next thread starts again.
    by_tree: dict[int, list[Node]] = {tree_id: [] for tree_id in trees}
    for node in shown:
        by_tree[node.tree_id].append(node)
    return by_tree


def thread_page(
    article: Article, *, viewer: Viewer, sort: Sort, page: int, asked: int | None = None
) -> ThreadPage:
    """One page of the article's top-level threads with every reply, as `viewer` sees
    them, in 2 queries: the page's threads, their rows."""
    result = page_of(article, sort=sort, page=page)
    picked = page_trees(article, sort=sort, page=result.number, asked=asked)
    trees = [tree_id for tree_id, *_ in picked.rows]
    result.trees, result.rank_epoch = trees, picked.rank_epoch
    by_tree = thread_nodes(article, trees=trees, viewer=viewer, sort=sort)
    result.nodes = [node for tree_id in trees for node in by_tree[tree_id]]
    if viewer.can_moderate:
        result.attention = [node.pk for node in result.nodes if node.needs_attention]
    return result


def comment_context(
    comment: Comment, *, viewer: Viewer, sort: Sort | None = None
) -> tuple[list[Node], list[Node]]:
    """A comment's ancestors (oldest first) and its subtree as `viewer` sees it, each
    comment's replies in `sort` order (the default sort when None), cut at
    FORUM_MAX_VISIBLE_DEPTH levels below the comment: one query."""
    rows = _rows(
        Comment.objects.filter(tree_id=comment.tree_id)
        .filter(
            Q(lft__lt=comment.lft, rght__gt=comment.rght)
            | Q(lft__gte=comment.lft, rght__lte=comment.rght)
        )
        .order_by("lft"),
        _columns_for(viewer),
    )
    ancestors = [n for n in rows if n.lft < comment.lft]
    sort = ranking.order_of(comment.article, sort or policy.default_sort())
    below = order_replies([n for n in rows if n.lft >= comment.lft], sort)
    subtree = decide_visibility(below, viewer)
    note_for_moderators(subtree, viewer=viewer)
    for node in ancestors:
        node.keep = policy.can_see(node.status, node.author_id, viewer, pk=node.pk)
        node.tombstone = "" if node.keep else policy.tombstone(node.status, node.public_reason)
    return ancestors, cut_and_shape(subtree, max_level=_max_level(comment.level))


def _columns_for(viewer: Viewer) -> tuple[str, ...]:
    """The columns a viewer's rows are read with: a guest's addresses and why a comment
    is held are read for moderators only, so no other page ever holds them."""
    return Node.MODERATOR_COLUMNS if viewer.can_moderate else Node.COLUMNS


def note_for_moderators(nodes: list[Node], *, viewer: Viewer) -> None:
    """For a moderator, mark the nodes they see (in page order) with what only
    moderators read: who removed a removed comment and why, each comment's open
    reports, its author's active ban, and the next comment on the page that needs a
    moderator. Nothing for anyone else.

    At most three queries whatever the number of nodes, reports and bans: the
    removals (none when no removed comment is shown), the open reports of the nodes'
    threads, the active bans of their authors (both read by thread, so their
    parameters are the page's threads, never its comments)."""
    if not viewer.can_moderate or not nodes:
        return
    _note_removals(nodes)
    shown = {node.pk: node for node in nodes if not node.tombstone}
    trees = sorted({node.tree_id for node in nodes})
    reports: dict[int, list[ReportNote]] = {}
    labels = dict(Report.Reason.choices)
    ranks = {reason: rank for rank, reason in enumerate(labels)}
    for comment_id, reason, note, reporter, created in (
        Report.objects.open()
        .filter(comment__tree_id__in=trees)
        .order_by("created", "pk")
        .values_list("comment_id", "reason", "note", "reporter__username", "created")
    ):
        if comment_id in shown:
            reports.setdefault(comment_id, []).append(
                ReportNote(
                    reason.replace("_", "-"),
                    str(labels.get(reason, reason)),
                    ranks.get(reason, len(ranks)),
                    note,
                    reporter,
                    created,
                )
            )
    authors = Comment.objects.filter(tree_id__in=trees, author__isnull=False).values("author_id")
    ends: dict[int, datetime | None] = {}
    for user_id, end in (
        Ban.objects.active().filter(user_id__in=authors).values_list("user_id", "ends")
    ):
        # The ban that lasts longest: a permanent one, else the latest to end.
        if user_id not in ends or (
            ends[user_id] is not None and (end is None or end > ends[user_id])
        ):
            ends[user_id] = end
    following = None
    for node in reversed(nodes):
        if node.tombstone:
            continue
        node.reports = tuple(reports.get(node.pk, ()))
        if node.author_id in ends:
            node.author_banned = ban_until_text(ends[node.author_id])
        if node.needs_attention:
            node.next_attention = following
            following = node.pk


def _note_removals(nodes: list[Node]) -> None:
    """Mark each removed comment a moderator sees with who removed it and why (one
    query, and none when the nodes hold no removed comment)."""
    removed = [n for n in nodes if n.status == policy.Status.REMOVED and not n.tombstone]
    if not removed:
        return
    latest: dict[int, tuple[str, str]] = {}
    for comment_id, actor, reason in (
        ModerationAction.objects.filter(
            comment_id__in=[n.pk for n in removed],
            kind__in=[
                ModerationAction.Kind.REMOVE,
                ModerationAction.Kind.REMOVE_SUBTREE,
                ModerationAction.Kind.REMOVE_AUTHOR,
            ],
        )
        .order_by("created", "pk")
        .values_list("comment_id", "actor__username", "reason")
    ):
        latest[comment_id] = (actor or "the forum", reason)
    for node in removed:
        actor, reason = latest.get(node.pk, ("a moderator", ""))
        node.removal = f"Removed by {actor}" + (f": {reason}" if reason else "")


def ancestors_of(comments) -> dict[int, list[Node]]:
    """Each comment's ancestors, oldest first, whatever their status (the context a
    moderator reads a comment in), for any number of comments in one query: the
    rows of their trees whose ranges enclose theirs."""
    comments = list(comments)
    encloses = Q(pk__in=[])
    for comment in comments:
        if comment.level:
            encloses |= Q(tree_id=comment.tree_id, lft__lt=comment.lft, rght__gt=comment.rght)
    rows = _rows(Comment.objects.filter(encloses).order_by("tree_id", "lft"))
    by_tree: dict[int, list[Node]] = {}
    for node in rows:
        by_tree.setdefault(node.tree_id, []).append(node)
    return {
        comment.pk: [
            node
            for node in by_tree.get(comment.tree_id, [])
            if node.lft < comment.lft and node.rght > comment.rght
        ]
        for comment in comments
    }


def viewer_has_comments(article: Article, viewer: Viewer) -> bool:
    """Whether the article holds comments only this viewer sees as they do: a signed-in
    reader's own (edit and delete links, held ones), or a guest's held ones."""
    if viewer.signed_in:
        return Comment.objects.filter(article=article, author_id=viewer.user_id).exists()
    if viewer.guest_comments:
        return Comment.objects.filter(
            article=article, pk__in=viewer.guest_comments, status=policy.Status.PENDING
        ).exists()
    return False


def reported_by(*, user, article) -> list[int]:
    """The comments of `article` this reader has reported and not withdrawn (shown as
    "Reported")."""
    return list(
        Report.objects.standing()
        .filter(reporter=user, comment__article=article)
        .values_list("comment_id", flat=True)
    )


def comments_by(author) -> QuerySet[Comment]:
    """`author`'s comments that every reader may see, newest first, each with its
    article and `threads_before`, so listing a page of them and their permalinks
    (`get_absolute_url`) is one query, and counting them one more."""
    return (
        Comment.objects.filter(author=author)
        .published()
        .select_related("article")
        .only(
            "article__title",
            "article__slug",
            "article__thread_count",
            "level",
            "tree_id",
            "body_html",
            "imported",
            "created",
        )
        .with_threads_before()
        .order_by("-created", "-pk")
    )
