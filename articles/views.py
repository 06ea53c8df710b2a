from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.models import Article
from articles.slugs import follows_renames
from comments.threads.pages import render_article_page


class ArticleListView(ListView):
    """The home page: `articles/article_list.html` with `article_list` (each with its
    `comment_count`) and Django's pagination context."""

    template_name = "articles/article_list.html"
    paginate_by = settings.FORUM_ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.newest_first().only(
            "title", "slug", "dateline", "published", "body", "comment_count", "created"
        )


@follows_renames
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The article page; see `comments.threads.pages.render_article_page`."""
    return render_article_page(request, get_object_or_404(Article, slug=slug))
