"""The article page, assembled in one place: the article view shows it, and the
comment views show it again with a rejected comment and its errors."""

import json
from functools import partial

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from articles.models import Article
from comments import policy
from comments.moderation.bans import cached_active_ban
from comments.posting import guests
from comments.posting.forms import CommentForm, GuestCommentForm
from comments.threads import conditional, ranking, visits
from comments.threads.cache import CACHE_SECONDS, article_thread
from comments.threads.selectors import reported_by
from forum import compression
from forum.paging import requested_page
from notifications.services import unread_count

# Where the threads' HTML goes in the rendered page, to be joined in by
# forum.compression (a marker no comment can contain: comments are escaped).
_THREADS = mark_safe("<!--\x00threads\x00-->")


def render_article_page(
    request: HttpRequest,
    article: Article,
    *,
    form: CommentForm | None = None,
    preview: str = "",
    status: int = 200,
) -> HttpResponse:
    """Render `articles/article_detail.html`: the `article`; `thread`, one page of its
    top-level threads with every reply as the viewer may see them (`thread.html`,
    cached when it can be shared); `sorts` for the sort links; `page_range`; and
    the new-comment `form` (a guest's for readers who are not signed in where
    guests may comment; None for other readers who are not signed in, are banned
    (`ban`), or when comments are closed) and its `preview`; for signed-in
    readers, `reading` (comments after its `since` are new to them; whether they
    follow the discussion) and `reported` (the comments they reported). A guest sees
    their own held comments (comments.posting.guests).
    Queries do not grow with the thread: see comments.threads.selectors."""
    sort = policy.sort_named(request.GET.get("sort"))
    pages = policy.thread_pages(article.thread_count)
    number, exact = requested_page(request.GET.get("page"), num_pages=pages.num_pages)
    if not exact:
        # Not a page of this article: send the reader to the nearest one, and
        # cache nothing under a page number that does not exist.
        query = urlencode({"sort": sort.key, "page": number})
        return redirect(f"{article.get_absolute_url()}?{query}#comments")
    ban, reading, reported, unread, mine = None, visits.Reading(), [], 0, {}
    if request.user.is_authenticated:
        ban = cached_active_ban(request.user)
        reading = visits.record_visit(user=request.user, article=article)
        reported = reported_by(user=request.user, article=article)
        unread = unread_count(request.user)
        mine = ranking.votes_of(request.user, article=article)
    guest = guests.viewer(request)
    asked = ranking.asked_epoch(request.GET.get("r")) if sort.ranked else None
    etag = ""
    if form is None and not preview and status == 200 and conditional.taggable(request, guest):
        reader = (
            (ban.pk, ban.ends) if ban else None,
            reading,
            reported,
            unread,
            sorted(mine.items()),
            sorted(guest.guest_comments),
            sorted(guests.identity(request).items()),
        )
        etag = conditional.page_etag(
            request, article, sort=sort, page=number, asked=asked, reader=reader
        )
        unchanged = conditional.not_modified(request, etag)
        if unchanged is not None:
            return guests.keep_private(request, unchanged)
    thread = article_thread(
        article,
        user=request.user,
        sort=sort,
        page=number,
        can_act=ban is None,
        guest_comments=guest.guest_comments,
        csrf_token=partial(get_token, request),
        asked=asked,
    )
    if form is None and ban is None and article.comments_open:
        action = reverse("comments:comment-create", kwargs={"slug": article.slug})
        if request.user.is_authenticated:
            form = CommentForm(action=action)
        elif policy.guests_may_comment():
            form = GuestCommentForm(
                action=action,
                login_next=f"{request.path}#comment-form",
                initial=guests.identity(request),
            )
    context = {
        "article": article,
        "thread": thread,
        "page_range": pages.get_elided_page_range(thread.number, on_each_side=2, on_ends=1),
        "sorts": policy.SORTS.values(),
        "current_sort": sort,
        "form": form,
        "preview": preview,
        "ban": ban,
        "reading": reading,
        "reported": reported,
        **votes_context(request, article, trees=thread.trees, banned=ban is not None, mine=mine),
        "unread_notifications": unread,
        "og_image": request.build_absolute_uri(article.image.url) if article.image else "",
    }
    if not thread.key or not thread.shared:
        response = render(request, "articles/article_detail.html", context, status=status)
        return guests.keep_private(request, response)
    # The threads' HTML is shared and kept compressed: the page is its head and tail
    # around it, joined (and compressed) by forum.compression.
    thread.html = _THREADS
    response = render(request, "articles/article_detail.html", context, status=status)
    head, _, tail = response.content.partition(_THREADS.encode())
    body = compression.Body(thread.shared, thread.key, CACHE_SECONDS)
    compression.splice(response, head=head, body=body, tail=tail)
    if etag:
        response["ETag"] = compression.etag_for(etag, "")
        patch_cache_control(response, no_cache=True)
    return guests.keep_private(request, response)


def votes_context(
    request: HttpRequest,
    article: Article,
    *,
    trees: list[int],
    banned: bool,
    mine: dict[int, tuple[int, int]] | None = None,
):
    """What a page of comments needs for votes (templates/comments/_votes.html): the
    points of its comments voted on since their HTML may have been cached, and the
    reader's own votes on its threads (`votes`; forum.js reads them as `votes_json`, the
    comments' data-votes: no inline script); and `may_vote`, for the one form every
    vote button posts (markup.Links). `mine`: the reader's votes in the article
    (ranking.votes_of), when the caller has read them. A query for points voted this
    epoch (shared per vote), and one for the reader's votes unless given."""
    votes = {"points": ranking.recent_points(article, trees=trees)}
    if request.user.is_authenticated:
        if mine is None:
            mine = ranking.votes_of(request.user, article=article)
        shown = set(trees)
        votes["mine"] = {pk: value for pk, (tree, value) in mine.items() if tree in shown}
    return {
        "votes": votes,
        "votes_json": json.dumps(votes, separators=(",", ":")) if any(votes.values()) else "",
        "may_vote": request.user.is_authenticated and not banned,
    }
