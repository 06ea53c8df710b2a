"""The rendered thread of an article page, cached.

A cache entry is keyed by the article's `comments_version`, which every write
to its comments bumps inside the writer's transaction (comments.locks). The
page reads the article row first and the comments after, so the version it
sees is never older than the rows it renders: a reader never gets a stale
thread, and old entries simply stop being asked for and expire.

Only viewer-independent HTML is shared: one variant for anonymous readers and
one for signed-in readers (who get "Report" links). Staff, and readers with
comments of their own in the article (edit/delete links, their pending
comments), get the thread rendered for them alone, never cached.
"""

from django.core.cache import cache

from articles.models import Article

from .html import Links, render_nodes
from .selectors import ThreadPage, Viewer, thread_page, viewer_has_comments

CACHE_SECONDS = 24 * 3600
# What a cache entry keeps of a ThreadPage: everything but the nodes.
SHARED_FIELDS = ("number", "num_pages", "thread_count", "comment_count", "sort", "html")


def _key(article: Article, *, signed_in: bool, sort: str, page: int) -> str:
    variant = "reader" if signed_in else "anon"
    return (
        f"forum:thread:{article.pk}:v{article.comments_version}:"
        f"{'open' if article.comments_open else 'closed'}:{variant}:{sort}:{page}"
    )


def article_thread(article: Article, *, user, sort: str, page: int) -> ThreadPage:
    """The page's thread with its HTML in `.html` (nodes are left out when cached)."""
    viewer = Viewer.of(user)
    links = Links.for_article(article, comments_open=article.comments_open, report=viewer.signed_in)
    shared = not viewer.is_staff and not viewer_has_comments(article, viewer)
    key = _key(article, signed_in=viewer.signed_in, sort=sort, page=page)
    if shared:
        cached = cache.get(key)
        if cached is not None:
            return ThreadPage(nodes=[], **cached)
    result = thread_page(article, viewer=viewer, sort=sort, page=page)
    result.html = render_nodes(result.nodes, links)
    if shared:
        stored = {name: getattr(result, name) for name in SHARED_FIELDS}
        cache.set(key, stored, CACHE_SECONDS)
    return result
