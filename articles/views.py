from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.generic import ListView

from comments.forms import CommentForm
from comments.selectors import active_ban, article_thread

from .models import Article


class ArticleListView(ListView):
    """The home page: `articles/article_list.html` with `article_list` (each with
    `comment_count`) and Django's pagination context."""

    template_name = "articles/article_list.html"
    paginate_by = settings.FORUM_ARTICLES_PER_PAGE

    def get_queryset(self):
        return (
            Article.objects.newest_first()
            .with_comment_counts()
            .only("title", "slug", "dateline", "published", "body", "created")
        )


def render_article_page(
    request: HttpRequest, article: Article, *, form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    """Render `articles/article_detail.html`: the `article`, its whole `thread` as the
    viewer may see it, and the new-comment `form` (None for readers who are not
    signed in, are banned (`ban`), or when comments are closed). Also used to
    show a rejected comment with its errors."""
    thread = article_thread(article, viewer=request.user)
    ban = None
    if request.user.is_authenticated and article.comments_open:
        ban = active_ban(request.user)
        if form is None and ban is None:
            form = CommentForm(
                action=reverse("comments:comment-create", kwargs={"slug": article.slug})
            )
    context = {
        "article": article,
        "thread": thread,
        "comment_count": sum(1 for c in thread if not c.tombstone),
        "form": form,
        "ban": ban,
    }
    return render(request, "articles/article_detail.html", context, status=status)


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The article page; see `render_article_page`."""
    return render_article_page(request, get_object_or_404(Article, slug=slug))
