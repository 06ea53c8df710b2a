from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from articles.models import Article
from articles.views import render_article_page

from . import services
from .forms import CommentForm
from .models import Comment


def _post(request: HttpRequest, form: CommentForm, *, article: Article, parent: Comment | None):
    """Validate and store a comment; returns the saved comment or None (errors on the form)."""
    if not form.is_valid():
        return None
    try:
        return services.comment_create(
            article=article, parent=parent, author=request.user, body=form.cleaned_data["body"]
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    """POST a new top-level comment. Errors re-render `articles/article_detail.html`
    with the bound form; success redirects to the new comment on the article page.
    GET (e.g. after logging in) goes back to the article's form."""
    article = get_object_or_404(Article, slug=slug)
    if request.method == "GET":
        return redirect(f"{article.get_absolute_url()}#comment-form")
    if not article.comments_open:
        raise services.CommentsClosed("Comments are closed on this article.")
    form = CommentForm(request.POST, action=request.path)
    comment = _post(request, form, article=article, parent=None)
    if comment is None:
        return render_article_page(request, article, form=form)
    messages.success(request, "Your comment is posted.")
    return redirect(comment.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def comment_reply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """`comments/comment_reply.html`: the `parent` comment, its `article` and the reply
    `form`. A successful POST redirects to the new reply on the article page."""
    parent = get_object_or_404(
        Comment.objects.select_related("article", "author").published(),
        pk=pk,
        article__slug=slug,
    )
    article = parent.article
    if not article.comments_open:
        raise services.CommentsClosed("Comments are closed on this article.")
    form = CommentForm(
        request.POST if request.method == "POST" else None,
        action=request.path,
        submit_label="Post reply",
    )
    if request.method == "POST":
        comment = _post(request, form, article=article, parent=parent)
        if comment is not None:
            messages.success(request, "Your reply is posted.")
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "comments/comment_reply.html",
        {"parent": parent, "article": article, "form": form},
    )
