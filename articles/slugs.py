"""Article slugs that change: the old ones keep working.

A renamed article keeps every slug it had as a FormerSlug, and every URL under
an old slug (the article page, its comments' pages and forms) redirects
permanently to the same URL under the current one. A live slug always wins
over a former one, so a new article may reuse a retired slug.
"""

from functools import wraps

from django.db import transaction
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.text import slugify

from articles.models import Article, FormerSlug


def unique_slug(text: str) -> str:
    """A slug made from `text` (a title, or a slug from another site) that no article
    has yet: the plain one, else with -2, -3, … appended."""
    base = slugify(text)[:100].strip("-") or "article"
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def article_renamed(*, article: Article, old_slug: str) -> None:
    """Record that `article`, now saved under its new slug, was `old_slug` before."""
    if not old_slug or old_slug == article.slug:
        return
    FormerSlug.objects.filter(slug=article.slug).delete()  # the new slug is live now
    FormerSlug.objects.update_or_create(slug=old_slug, defaults={"article": article})


def follows_renames(view):
    """Decorate a view taking `slug`: where it finds nothing under a former slug, answer
    with a permanent redirect to the same URL under the current slug (308 for a
    POST, so a reader's text is sent on, not lost)."""

    @wraps(view)
    def wrapper(request, *args, slug: str, **kwargs):
        try:
            return view(request, *args, slug=slug, **kwargs)
        except Http404:
            if Article.objects.filter(slug=slug).exists():
                raise
            former = FormerSlug.objects.select_related("article").filter(slug=slug).first()
            if former is None:
                raise
        path = request.get_full_path().replace(f"/{slug}/", f"/{former.article.slug}/", 1)
        response = HttpResponsePermanentRedirect(path)
        if request.method not in ("GET", "HEAD"):
            response.status_code = 308
        return response

    return wrapper
