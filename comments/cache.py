"""The rendered thread of an article page, cached; and the version that keys it.

A cache entry is keyed by the article's `comments_version`, which every write
to its comments bumps inside the writer's transaction (`bump_comments_version`,
called by every service, which also sets the `tree_version` and `last_activity`
of the roots of the threads the write touched). The page reads the article row first and the
comments after, so the version it sees is never older than the rows it
renders: a reader never gets a stale thread, and old entries simply stop being
asked for and expire. The key also carries `MARKUP_VERSION`, a hash of the code
that writes the markup, so a deploy that changes the markup never serves HTML
the old code wrote.

Only viewer-independent HTML is shared: one variant for anonymous readers and
one for signed-in readers (who get "Report" links). Moderators, and readers
with comments of their own in the article (edit/delete links, their held
comments), get the thread rendered for them alone, never cached.

Entries live in the cache named by FORUM_PAGE_CACHE: since every key carries
versions read from the database, a per-process cache is as correct as a
shared one, only less effective.
"""

import hashlib
from collections.abc import Collection
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe

from articles.models import Article

from . import html, policy, shaping
from .html import Links, render_nodes
from .models import Comment
from .policy import Sort, Viewer
from .selectors import ThreadPage, thread_page, viewer_has_comments

CACHE_SECONDS = 24 * 3600
# What a cache entry keeps of a ThreadPage: everything but the nodes.
SHARED_FIELDS = ("number", "num_pages", "thread_count", "comment_count", "sort", "html")
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


def _key(article: Article, *, signed_in: bool, sort: Sort, page) -> str:
    variant = "reader" if signed_in else "anon"
    return (
        f"forum:thread:{MARKUP_VERSION}:{article.pk}:v{article.comments_version}:"
        f"{article.slug}:{'open' if article.comments_open else 'closed'}:"
        f"{variant}:{sort.key}:{page}"
    )


def article_thread(article: Article, *, user, sort: Sort, page: int) -> ThreadPage:
    """The page's thread with its HTML in `.html` (nodes are left out when cached)."""
    cache = caches[settings.FORUM_PAGE_CACHE]
    viewer = Viewer.of(user)
    # Who may be served a shared copy is known before reading rows; whether this
    # render may be stored as one is decided from the rows themselves (below), so
    # a comment of the viewer's committed in between never reaches other readers.
    shared = not viewer.can_moderate and not viewer_has_comments(article, viewer)
    key = _key(article, signed_in=viewer.signed_in, sort=sort, page=page)
    if shared:
        cached = cache.get(key)
        if cached is not None:
            # The entry holds what render_nodes returned below; stored as a plain
            # str, as unpickling a SafeString would copy the whole page again.
            return ThreadPage(nodes=[], **{**cached, "html": mark_safe(cached["html"])})
    result = thread_page(article, viewer=viewer, sort=sort, page=page)
    result.html = render_nodes(result.nodes, Links(article, viewer=viewer))
    if shared and not any(node.is_own for node in result.nodes):
        stored = {name: getattr(result, name) for name in SHARED_FIELDS}
        stored["html"] = str(stored["html"])
        cache.set(key, stored, CACHE_SECONDS)
    return result
