"""The rendered threads of an article page, cached one top-level thread at a time;
and the versions that key them.

Every write to an article's comments calls `bump_comments_version` inside the
writer's transaction. It bumps the article's `comments_version` and sets the
`tree_version` of the root of each thread the write touched to that new value
(so a tree's version is never reused, not even for a tree id given out again);
the integrity repair, which may renumber anything, touches every tree.

A page is the list of its threads' (tree_id, tree_version), then one cache entry
per thread. The list comes from the query that picks the page's threads, and is
itself cached under the article's `comments_version` (it changes with any write:
a new thread, a thread's new version, a new order). The page reads the article
row first, then the list, then the missing threads' rows, so no version it uses
is older than the rows it renders: a reader never gets a stale thread, and a
reply makes readers re-render its one thread, not the page. Old entries simply
stop being asked for and expire. Every key also carries `MARKUP_VERSION`, a hash
of the code that writes the markup and orders the threads, so a deploy that
changes either never serves what the old code wrote.

Only viewer-independent HTML is shared: one variant for anonymous readers and
one for signed-in readers (who get "Report" links). Moderators, and readers
with comments of their own in the article (edit/delete links, their held
comments), get the page rendered for them alone, never cached; and a thread
whose render holds any comment of the viewer's is never stored, whoever asked.

When several readers miss the same threads at once (right after a reply), one
renders them while the others wait for its entries, briefly: they render for
themselves once the wait expires, the renderer gives up, or the cache cannot
take the lock (a cache that is down never makes anyone wait).

Entries live in the cache named by FORUM_PAGE_CACHE: since every key carries
versions read from the database, a per-process cache is as correct as a
shared one, only less effective.
"""

import hashlib
import time
from collections.abc import Collection
from pathlib import Path

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe

from articles.models import Article

from . import html, policy, shaping
from .html import Links, render_nodes
from .models import Comment
from .policy import Sort, Viewer
from .selectors import (
    ThreadPage,
    page_of,
    page_trees,
    thread_nodes,
    thread_page,
    viewer_has_comments,
)

CACHE_SECONDS = 24 * 3600
# How long one request may hold the right to render missing threads, and how long
# the others wait for its entries before rendering for themselves.
RENDER_LOCK_SECONDS = 10
RENDER_WAIT_SECONDS = 2.0
FIRST_POLL_SECONDS = 0.005
LAST_POLL_SECONDS = 0.05
MARKUP_VERSION = hashlib.sha256(
    b"".join(Path(module.__file__).read_bytes() for module in (html, shaping, policy))
).hexdigest()[:12]


def bump_comments_version(
    article_id: int, *, trees: Collection[int] | None = None, visible: int = 0, threads: int = 0
) -> None:
    """Mark the article's page lists and the threads `trees` (None: every thread of the
    article) stale, inside the writer's transaction, so a reader that sees a new
    version also sees the write; apply the write's change to the article's counts
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


def _list_key(article: Article, *, sort: Sort, page: int) -> str:
    return (
        f"forum:thread:{MARKUP_VERSION}:{article.pk}:v{article.comments_version}:{sort.key}:{page}"
    )


def _tree_key(article: Article, *, tree_id: int, version: int, signed_in: bool) -> str:
    variant = "reader" if signed_in else "anon"
    return (
        f"forum:tree:{MARKUP_VERSION}:{article.pk}:{tree_id}:v{version}:"
        f"{article.slug}:{'open' if article.comments_open else 'closed'}:{variant}"
    )


def _lock_key(keys: Collection[str]) -> str:
    return "forum:render:" + hashlib.sha256("|".join(sorted(keys)).encode()).hexdigest()[:24]


def article_thread(article: Article, *, user, sort: Sort, page: int) -> ThreadPage:
    """The page's threads with their HTML in `.html`; `.nodes` holds the nodes this
    request rendered (none when every thread came from the cache)."""
    viewer = Viewer.of(user)
    # Who may be served shared copies is known before reading rows; whether a
    # thread's render may be stored as one is decided from its rows (below), so
    # a comment of the viewer's committed in between never reaches other readers.
    if viewer.can_moderate or viewer_has_comments(article, viewer):
        result = thread_page(article, viewer=viewer, sort=sort, page=page)
        result.html = render_nodes(result.nodes, Links(article, viewer=viewer))
        return result
    cache = caches[settings.FORUM_PAGE_CACHE]
    result = page_of(article, sort=sort, page=page)
    list_key = _list_key(article, sort=sort, page=result.number)
    trees = cache.get(list_key)
    if trees is None:
        trees = page_trees(article, sort=sort, page=result.number)
        cache.set(list_key, trees, CACHE_SECONDS)
    keys = {
        tree_id: _tree_key(article, tree_id=tree_id, version=version, signed_in=viewer.signed_in)
        for tree_id, version in trees
    }
    found = cache.get_many(list(keys.values()))
    missing = {tree_id: key for tree_id, key in keys.items() if key not in found}
    if missing:
        found.update(_rendered(cache, article, viewer=viewer, missing=missing, into=result))
    # Safe: every entry is what render_nodes returned (stored as a plain str, as
    # unpickling a SafeString would copy it again), and render_nodes escapes all
    # it writes; the threads' renders joined are the render of the whole page.
    result.html = mark_safe("".join(found[key] for key in keys.values()))
    return result


def _rendered(
    cache: BaseCache, article: Article, *, viewer: Viewer, missing: dict[int, str], into: ThreadPage
) -> dict[str, str]:
    """The HTML of the `missing` threads by key: rendered by one request at a time
    and shared through the cache, or rendered here when waiting for it fails."""
    lock = _lock_key(missing.values())
    owner = cache.add(lock, 1, RENDER_LOCK_SECONDS)
    found = {} if owner else _wait_for(cache, lock=lock, keys=list(missing.values()))
    left = {tree_id: key for tree_id, key in missing.items() if key not in found}
    if not left:
        return found
    try:
        by_tree = thread_nodes(article, trees=list(left), viewer=viewer)
        links = Links(article, viewer=viewer)
        rendered, shared = {}, {}
        for tree_id, key in left.items():
            nodes = by_tree[tree_id]
            rendered[key] = str(render_nodes(nodes, links))
            into.nodes += nodes
            if not any(node.is_own for node in nodes):
                shared[key] = rendered[key]
        cache.set_many(shared, CACHE_SECONDS)
    finally:
        if owner:
            cache.delete(lock)
    return {**found, **rendered}


def _wait_for(cache: BaseCache, *, lock: str, keys: list[str]) -> dict[str, str]:
    """The entries `keys` that another request is rendering, as far as they arrive
    within RENDER_WAIT_SECONDS; stops at once when no request holds `lock` (it has
    finished or given up, or the cache is down and took no lock at all)."""
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    pause = FIRST_POLL_SECONDS
    while True:
        found = cache.get_many(keys)
        if len(found) == len(keys) or time.monotonic() >= deadline:
            return found
        if not cache.has_key(lock):
            return cache.get_many(keys)
        time.sleep(pause)
        pause = min(pause * 2, LAST_POLL_SECONDS)
