"""The article page, assembled in one place: the article view shows it, and the
comment views show it again with a rejected comment and its errors."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from comments import policy
from comments.bans import cached_active_ban
from comments.cache import article_thread
from comments.forms import CommentForm

from .models import Article


def render_article_page(
    request: HttpRequest, article: Article, *, form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    """Render `articles/article_detail.html`: the `article`; `thread`, one page of its
    top-level threads with every reply as the viewer may see them (`thread.html`,
    cached when it can be shared); `sorts` for the sort links; `page_range`; and
    the new-comment `form` (None for readers who are not signed in, are banned
    (`ban`), or when comments are closed). Queries do not grow with the thread:
    see comments.selectors."""
    sort = policy.sort_named(request.GET.get("sort"))
    thread = article_thread(
        article, user=request.user, sort=sort, page=policy.page_number(request.GET.get("page"))
    )
    ban = None
    if request.user.is_authenticated and article.comments_open:
        ban = cached_active_ban(request.user)
        if form is None and ban is None:
            form = CommentForm(
                action=reverse("comments:comment-create", kwargs={"slug": article.slug})
            )
    pages = policy.thread_paginator(range(thread.thread_count))
    context = {
        "article": article,
        "thread": thread,
        "page_range": pages.get_elided_page_range(thread.number, on_each_side=2, on_ends=1),
        "sorts": policy.SORTS.values(),
        "form": form,
        "ban": ban,
    }
    return render(request, "articles/article_detail.html", context, status=status)
