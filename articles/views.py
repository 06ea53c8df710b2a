from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.generic import ListView

from comments.cache import article_thread
from comments.forms import CommentForm
from comments.selectors import DEFAULT_SORT, SORTS, cached_active_ban

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


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def render_article_page(
    request: HttpRequest, article: Article, *, form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    """Render `articles/article_detail.html`: the `article`; `thread`, one page of its
    top-level threads with every reply as the viewer may see them (`thread.html`,
    cached when it can be shared); `sorts` for the sort links; and the
    new-comment `form` (None for readers who are not signed in, are banned
    (`ban`), or when comments are closed). Also shows a rejected comment with its
    errors. Queries do not grow with the thread: see comments.selectors."""
    sort = request.GET.get("sort", DEFAULT_SORT)
    sort = sort if sort in SORTS else DEFAULT_SORT
    thread = article_thread(article, user=request.user, sort=sort, page=_page_number(request))
    ban = None
    if request.user.is_authenticated and article.comments_open:
        ban = cached_active_ban(request.user)
        if form is None and ban is None:
            form = CommentForm(
                action=reverse("comments:comment-create", kwargs={"slug": article.slug})
            )
    pages = Paginator(range(thread.thread_count), settings.FORUM_THREADS_PER_PAGE)
    context = {
        "article": article,
        "thread": thread,
        "page_range": pages.get_elided_page_range(thread.number, on_each_side=2, on_ends=1),
        "sorts": [("oldest", "Oldest"), ("newest", "Newest"), ("replies", "Most replies")],
        "form": form,
        "ban": ban,
    }
    return render(request, "articles/article_detail.html", context, status=status)


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The article page; see `render_article_page`."""
    return render_article_page(request, get_object_or_404(Article, slug=slug))
