"""Reading pages: an article with its discussion, a comment with its replies on a page
of its own, and a comment's lasting address. Each reads its comments with a fixed
number of queries whatever the thread's size (comments.threads.selectors)."""

from functools import partial

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from articles.models import Article
from articles.slugs import follows_renames
from comments import policy
from comments.models import Comment
from comments.moderation.bans import cached_active_ban
from comments.posting import guests
from comments.threads.markup import Links, render_nodes
from comments.threads.pages import render_article_page, votes_context
from comments.threads.selectors import comment_context
from notifications.services import mark_comment_read


@follows_renames
def article_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The article page; see `comments.threads.pages.render_article_page`."""
    return render_article_page(request, get_object_or_404(Article, slug=slug))


@require_http_methods(["GET", "HEAD"])
def comment_permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment's lasting address (links in emails): redirects to it in its thread,
    wherever that is now. A signed-in reader who follows it has read whatever
    notified them of that comment."""
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if not comment.is_visible_to(request.user):
        raise Http404("This comment is not available.")
    if request.user.is_authenticated:
        mark_comment_read(user=request.user, comment=comment)
    return redirect(comment.get_absolute_url())


@require_http_methods(["GET"])
def comment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """`comments/comment_detail.html`: the `comment`'s `ancestors` as context (nodes,
    oldest first) and `subtree_html`, its whole subtree as the viewer may see it.
    Two queries whatever the subtree's size (plus the session's)."""
    comment = get_object_or_404(Comment.objects.select_related("article", "author"), pk=pk)
    article = comment.article
    viewer = guests.viewer(request)
    sort = policy.sort_named(request.GET.get("sort"))
    ancestors, subtree = comment_context(comment, viewer=viewer, sort=sort)
    if not subtree:
        raise Http404("This comment is not available.")
    banned = request.user.is_authenticated and cached_active_ban(request.user) is not None
    token = partial(get_token, request)
    links = Links(article, viewer=viewer, can_act=not banned, csrf_token=token, sort=sort)
    context = {
        "comment": comment,
        "article": article,
        "ancestors": ancestors,
        "subtree_html": render_nodes(subtree, links),
        **votes_context(request, article, trees=[comment.tree_id], banned=banned),
    }
    return guests.keep_private(request, render(request, "comments/comment_detail.html", context))


def moved_comment_route(request: HttpRequest, pk: int, rest: str) -> HttpResponse:
    """A comment's route of earlier releases (`/articles/<slug>/comments/<pk>/reply/`):
    to its short one, permanently; a POST with 308, so what it carries is sent on."""
    target = f"/c/{pk}/{rest}"
    if request.META.get("QUERY_STRING"):
        target += f"?{request.META['QUERY_STRING']}"
    response = HttpResponsePermanentRedirect(target)
    if request.method not in ("GET", "HEAD"):
        response.status_code = 308
    return response
