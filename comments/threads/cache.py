"""The rendered threads of an article page, cached one top-level thread at a time;
and the versions that key them.

Every write to an article's comments calls `bump_comments_version` inside the
writer's transaction. It bumps the article's `comments_version` and sets the
`tree_version` of the root of each thread the write touched to that new value
(so a tree's version is never reused, not even for a tree id given out again);
the integrity repair, which may renumber anything, touches every tree.

A page entry is keyed by the article's `comments_version`, as it changes with any
write (a new thread, a new order, new counts). When it is missing, the query
that picks the page's threads also reads their versions, and the page is joined
from one entry per thread, keyed by `tree_version`, fetched with one get_many;
only the threads missing are read (one query for all of them) and rendered. The
page reads the article row first, then the threads' versions, then the rows, so
no version it uses is older than the rows it renders: a reader never gets a
stale thread, and a reply makes readers re-render its one thread, not the page.
Old entries simply stop being asked for and expire. Every key also carries
`MARKUP_VERSION`, a hash of the code that writes the markup and orders the
threads, so a deploy that changes either never serves what the old code wrote.

Only viewer-independent HTML is shared: one variant for anonymous readers and
one for signed-in readers (who get "Report" links). Moderators, readers with
comments of their own in the article (edit/delete links, their held comments),
and guests with a held comment of theirs there (comments.posting.guests) get the page
rendered for them alone, never cached; and a thread whose render holds any
comment of the viewer's, or any held comment, is never stored, whoever asked.

When several readers miss the same page at once (right after a reply), one
builds it while the others wait for its entry, briefly: they build it for
themselves once the wait expires or the builder gives up, and at once when the
cache cannot take the lock (a cache that is down never makes anyone wait).

Entries live in the cache named by FORUM_PAGE_CACHE: since every key carries
versions read from the database, a per-process cache is as correct as a
shared one, only less effective.
"""

import hashlib
import secrets
import time
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe

from articles.models import Article
from comments import policy
from comments.models import Comment
from comments.policy import Sort, Viewer
from comments.threads import markup, nodes, ranking
from comments.threads.markup import Links, render_nodes, render_unmarked
from comments.threads.nodes import Node
from comments.threads.selectors import (
    ThreadPage,
    page_of,
    page_trees,
    thread_nodes,
    thread_page,
    viewer_has_comments,
)

CACHE_SECONDS = 24 * 3600
# What a page entry keeps of a ThreadPage: everything but the nodes.
SHARED_FIELDS = (
    "number",
    "num_pages",
    "thread_count",
    "comment_count",
    "sort",
    "shared",
    "rank_epoch",
    "trees",
)
# How long one request may hold the right to build a page that is missing, and how
# long the others wait for its entry before building it for themselves.
RENDER_LOCK_SECONDS = 10
RENDER_WAIT_SECONDS = 2.0
FIRST_POLL_SECONDS = 0.005
LAST_POLL_SECONDS = 0.05
MARKUP_VERSION = hashlib.sha256(
    b"".join(Path(module.__file__).read_bytes() for module in (markup, nodes, policy, ranking))
).hexdigest()[:12]


def bump_comments_version(
    article_id: int, *, trees: Collection[int] | None = None, visible: int = 0, threads: int = 0
) -> None:
    """Mark the article's cached pages and its threads `trees` (None: every thread of
    the article) stale, inside the writer's transaction, so a reader that sees a
    new version also sees the write; apply the write's change to the article's counts
    of visible comments and of top-level threads; and keep each touched root's
    `last_activity`: when the newest published comment of its thread was posted.

    Held, removed and deleted comments do not count as activity: a reply waiting
    for review must not move its thread up for readers who cannot see it."""
    Article.objects.filter(pk=article_id).update(
        comments_version=F("comments_version") + 1,
        comment_count=F("comment_count") + visible,
        thread_count=F("thread_count") + threads,
    )
    roots = Comment.objects.filter(article_id=article_id, level=0)
    if trees is not None:
        roots = roots.filter(tree_id__in=list(trees))
    newest = (
        Comment.objects.filter(tree_id=OuterRef("tree_id"), status=policy.Status.PUBLISHED)
        .order_by()
        .values("tree_id")
        .annotate(newest=Max("created"))
        .values("newest")
    )
    roots.update(
        tree_version=Subquery(Article.objects.filter(pk=article_id).values("comments_version")),
        last_activity=Coalesce(Subquery(newest), F("created")),
    )


def forget_author(user_id: int) -> None:
    """Mark stale every thread holding a comment by this user, and its article's pages:
    their name, or their profile link, is about to change (renamed, deactivated,
    deleted). Three queries whatever the number of comments; call it in the
    transaction that changes the user (comments.apps connects it to the user model's
    saves and deletions), so no reader renders the old name under a new version."""
    by_them = Comment.objects.filter(author_id=user_id)
    Article.objects.filter(pk__in=by_them.values("article_id")).update(
        comments_version=F("comments_version") + 1
    )
    Comment.objects.filter(level=0, tree_id__in=by_them.values("tree_id")).update(
        tree_version=Subquery(
            Article.objects.filter(pk=OuterRef("article_id")).values("comments_version")
        )
    )


def _variant(viewer: Viewer, *, can_act: bool) -> str:
    """Which shared copy a viewer may be served: anonymous readers', signed-in
    readers' (with Report links), or banned readers' (no Reply, no Report)."""
    if not viewer.signed_in:
        return "anon"
    return "reader" if can_act else "banned"


def _markup() -> str:
    """The code that writes the markup, and the settings that change what it writes or
    which threads a page holds: tombstones that name a public moderation log, the depth
    past which replies continue on their own page, the threads a page shows. A
    configuration change (with a shared Redis, say) never serves pages of the old one."""
    return (
        f"{MARKUP_VERSION}{'-modlog' if policy.public_modlog() else ''}"
        f"-d{settings.FORUM_MAX_VISIBLE_DEPTH}-p{settings.FORUM_THREADS_PER_PAGE}"
        f"-c{settings.FORUM_COLLAPSE_AT_SCORE}-{settings.FORUM_DEFAULT_SORT}"
    )


def _page_key(article: Article, *, variant: str, sort: Sort, page: int, asked: int | None) -> str:
    """A page entry's key: the article's comments version, and the points stamp of its
    last vote (comments.threads.ranking: it moves at most once an epoch while votes
    come, so the page's threads are asked for their own stamps); under a sort by
    votes, the epoch of the order asked for."""
    order = ""
    if ranking.order_of(article, sort).ranked:  # else the order never moves
        order = f".r{asked if asked is not None else ranking.epoch()}"
    return (
        f"forum:thread:{_markup()}:{article.pk}:v{article.comments_version}:"
        f"s{ranking.points_stamp(article.voted_at)}:"
        f"{article.slug}:{'open' if article.comments_open else 'closed'}:"
        f"{variant}:{sort.key}{order}:{page}"
    )


def _tree_key(
    article: Article, *, tree_id: int, version: int, stamp: int, variant: str, sort: Sort
) -> str:
    """A thread's key: its version, the stamp of the points baked in, and the sort its
    replies are ordered by."""
    return (
        f"forum:tree:{_markup()}:{article.pk}:{tree_id}:v{version}:s{stamp}:{sort.key}:"
        f"{article.slug}:{'open' if article.comments_open else 'closed'}:{variant}"
    )


def article_thread(
    article: Article,
    *,
    user,
    sort: Sort,
    page: int,
    can_act: bool = True,
    guest_comments: Collection[int] = (),
    csrf_token: Callable[[], str] | None = None,
    asked: int | None = None,
) -> ThreadPage:
    """The page's threads with their HTML: in `.shared` (bytes) when it is readers'
    shared copy, whose cache key is then `.key`, else in `.html` (marked safe); `.text`
    reads either. `.nodes` holds the nodes this request rendered (none when the page or
    each of its threads was cached).
    `can_act` is False for a banned reader: no Reply or Report links.
    `guest_comments`: what a reader who is not signed in posted as a guest.
    `csrf_token`: the request's, asked only for a moderator (see markup.Links).
    `asked`: under a sort by votes, the epoch of the order a page link asks for."""
    viewer = Viewer.of(user, guest_comments=guest_comments)
    links = Links(article, viewer=viewer, can_act=can_act, csrf_token=csrf_token, sort=sort)
    variant = _variant(viewer, can_act=can_act)
    # Who may be served shared copies is known before reading rows; whether a
    # thread's render may be stored as one is decided from its rows (below), so
    # a comment of the viewer's committed in between never reaches other readers.
    if viewer.can_moderate or viewer_has_comments(article, viewer):
        result = thread_page(article, viewer=viewer, sort=sort, page=page, asked=asked)
        result.html = render_nodes(result.nodes, links)
        result.held_count = sum(node.is_held for node in result.nodes)
        return result
    cache = caches[settings.FORUM_PAGE_CACHE]
    key = _page_key(article, variant=variant, sort=sort, page=page, asked=asked)
    stored = cache.get(key)
    owner = False
    if stored is None:
        lock = f"forum:render:{key}"
        owner = cache.add(lock, 1, RENDER_LOCK_SECONDS)
        if not owner:
            stored = _wait_for(cache, lock=lock, key=key)
    if stored is not None:
        # The threads' HTML as bytes (see _assembled), which the page's head and tail
        # are joined around (comments.threads.pages, forum.compression).
        return ThreadPage(nodes=[], key=key, **stored)
    try:
        result, entries, shareable = _assembled(
            cache,
            article,
            viewer=viewer,
            links=links,
            variant=variant,
            sort=sort,
            page=page,
            asked=asked,
        )
        if shareable:
            entries[key] = {name: getattr(result, name) for name in SHARED_FIELDS}
            result.key = key
        if entries:  # (an empty set_many is an error to Redis)
            cache.set_many(entries, CACHE_SECONDS)
    finally:
        if owner:
            cache.delete(lock)
    if not result.key:  # a page of one reader's own: rendered into its template
        # Safe: see _assembled.
        result.html = mark_safe(result.shared.decode())
        result.shared = b""
    return result


def _wait_for(cache: BaseCache, *, lock: str, key: str) -> dict | None:
    """The page entry another request is building under `lock`, if it stores one
    within RENDER_WAIT_SECONDS. Stops waiting as soon as no request holds the lock
    (it has finished or given up, or the cache is down and took no lock at all)."""
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    pause = FIRST_POLL_SECONDS
    while cache.has_key(lock):
        if time.monotonic() >= deadline:
            return None
        time.sleep(pause)
        pause = min(pause * 2, LAST_POLL_SECONDS)
    return cache.get(key)


def _assembled(
    cache: BaseCache,
    article: Article,
    *,
    viewer: Viewer,
    links: Links,
    variant: str,
    sort: Sort,
    page: int,
    asked: int | None,
) -> tuple[ThreadPage, dict, bool]:
    """The page joined from its threads' entries, rendering only the threads missing;
    the entries to store for the threads it rendered that hold no comment of the
    viewer's and no held comment (a guest's, say); and whether the page itself may
    be shared: whether none does."""
    result = page_of(article, sort=sort, page=page)
    picked = page_trees(article, sort=sort, page=result.number, asked=asked)
    now = ranking.epoch()
    keys = {
        tree_id: _tree_key(
            article,
            tree_id=tree_id,
            version=version,
            stamp=ranking.points_stamp(voted_at, now=now),
            variant=variant,
            sort=sort,
        )
        for tree_id, version, voted_at in picked.rows
    }
    result.trees, result.rank_epoch = list(keys), picked.rank_epoch
    found = cache.get_many(list(keys.values()))
    missing = [tree_id for tree_id, key in keys.items() if key not in found]
    shared: dict = {}
    own = False
    if missing:
        by_tree = thread_nodes(article, trees=missing, viewer=viewer, sort=sort)
        rendered = _render_each(by_tree, links)
        for tree_id in missing:
            result.nodes += by_tree[tree_id]
            found[keys[tree_id]] = rendered[tree_id]
            if any(node.is_own or node.is_held for node in by_tree[tree_id]):
                own = True
            else:
                shared[keys[tree_id]] = rendered[tree_id]
    # Every part is what render_nodes wrote (encoded), which escapes all it writes;
    # the threads' renders joined in page order are the render of the whole page.
    result.shared = b"".join(found[key] for key in keys.values())
    return result, shared, not own


def _render_each(by_tree: dict[int, list[Node]], links: Links) -> dict[int, bytes]:
    """Each thread's HTML, encoded as UTF-8, from one render_nodes call (a call has a
    fixed cost per page, e.g. its time labels, worth paying once, not once per
    thread), encoded in one go: text with any character beyond Latin-1 (an arrow, a
    middle dot, a reader's emoji) is slow to encode, so it is encoded once, as it is
    rendered, and kept, joined, stored and sent as bytes from then on.

    Rendering whole top-level threads at once gives the concatenation of their
    renders, so the threads are rendered with a one-node thread between each two
    whose render holds a token made now (no stored comment can contain it), and
    the result is split on that render. If that render does not show the token,
    or the result does not split into exactly one part per thread, each thread
    is rendered on its own."""
    trees = list(by_tree)
    if len(trees) > 1:
        token = secrets.token_hex(16)
        separator = [_separator_node(token)]
        mark = render_unmarked(separator, links)
        if token in mark:
            joined = [node for tree_id in trees for node in [*by_tree[tree_id], *separator]]
            parts = render_unmarked(joined[:-1], links).encode().split(mark.encode())
            if len(parts) == len(trees):
                return dict(zip(trees, parts, strict=True))
    return {tree_id: render_unmarked(by_tree[tree_id], links).encode() for tree_id in trees}


def _separator_node(token: str) -> Node:
    """A top-level placeholder of one node, shown as `token`, that no comment is."""
    return Node(
        pk=0,
        parent_id=None,
        tree_id=0,
        lft=1,
        rght=2,
        level=0,
        author_id=None,
        username=None,
        author_active=None,
        author_is_staff=None,
        author_name="",
        body_html="",
        status=policy.Status.REMOVED,
        imported=False,
        created=datetime.now(UTC),
        edited=None,
        public_reason="",
        tombstone=token,
    )
