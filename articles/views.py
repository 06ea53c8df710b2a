from django.conf import settings
from django.views.generic import ListView

from articles.models import Article


class ArticleListView(ListView):
    """The home page: `articles/article_list.html` with `article_list` (each with its
    `comment_count`) and Django's pagination context."""

    template_name = "articles/article_list.html"
    paginate_by = settings.FORUM_ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.newest_first().only(
            "title", "slug", "dateline", "published", "body", "comment_count", "created"
        )
