"""Readers' pages for writing: post, reply, edit, delete (reports: comments.posting.report_views).

Each GET shows a form (or a confirmation), each POST acts; every write goes
through `comments.services`. Over-limit posts get the form again with HTTP 429.
Where guests may comment (policy.guests_may_comment), readers who are not signed
in post and reply with a name and an email address; everything else needs an
account.
"""

import math
from collections.abc import Callable
from functools import wraps
from typing import TypeVar
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from articles.models import Article
from articles.slugs import follows_renames
from comments import policy, services
from comments.models import Comment
from comments.posting import guests, limits
from comments.posting.forms import CommentForm, GuestCommentForm
from comments.text import quoted
from comments.threads.markup import Links, render_card
from comments.threads.nodes import Node
from comments.threads.pages import render_article_page
from comments.threads.selectors import comment_context
from forum.throttle import client_ip

T = TypeVar("T")


def login_required_keeping_text(view):
    """Like Django's login_required, except that a form posted by someone whose session
    has ended is not thrown away: they get their text back, with a link to log in
    (HTTP 403), instead of a redirect that loses it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST" and request.POST.get("body", "").strip():
            context = {
                "text": request.POST["body"],
                "login_url": f"{resolve_url(settings.LOGIN_URL)}?next={quote(request.path)}",
            }
            return render(request, "comments/signed_out.html", context, status=403)
        return redirect_to_login(request.get_full_path())

    return wrapper


def login_or_guest_required(view):
    """`login_required_keeping_text`, except that where guests may comment, readers who are not
    signed in get the view too (as guests)."""
    signed_in_only = login_required_keeping_text(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated and policy.guests_may_comment():
            return view(request, *args, **kwargs)
        return signed_in_only(request, *args, **kwargs)

    return wrapper


def _failed(form, status: int) -> int:
    """The status of a form that was not saved: a preview is 200, a refusal 400 or 429."""
    return status if status != 200 or form.wants_preview else 400


def comment_form(request: HttpRequest, *, action: str, login_next: str, **options) -> CommentForm:
    """The form to post or reply with: a signed-in reader's, or a guest's (filled in
    with the name and address they used last), bound to the POST if there is one."""
    data = request.POST if request.method == "POST" else None
    initial = options.pop("initial", None) or {}
    if request.user.is_authenticated:
        return CommentForm(data, action=action, initial=initial, **options)
    return GuestCommentForm(
        data,
        action=action,
        login_next=login_next,
        initial={**guests.identity(request), **initial},
        **options,
    )


def write_within_limit(
    form, *, limit: Callable[[], None], write: Callable[[], T]
) -> tuple[T | None, int]:
    """Count a write against its limit, then make it. Returns (what `write` returned,
    302), or (None, the status to show the form again with): 429 over the limit, 200
    when the service refused it; its reason is on the bound form, which keeps the
    reader's text in every case."""
    try:
        limit()
        return write(), 302
    except limits.TooFast as exc:
        form.add_error(None, str(exc))
        return None, 429
    except ValidationError as exc:
        form.add_error(None, exc)
        return None, 200


def _post(request: HttpRequest, form: CommentForm, *, article: Article, parent: Comment | None):
    """Rate-limit and store a comment, unless the form is invalid or the reader asked to
    preview it (`_write`'s answer; 200 then). Guests are limited per IP address, an
    account per user."""
    if not form.is_valid() or form.wants_preview:
        return None, 200
    data, ip = form.cleaned_data, client_ip(request)
    if not request.user.is_authenticated:
        return write_within_limit(
            form,
            limit=lambda: limits.refuse_guest_if_too_fast(ip),
            write=lambda: services.comment_create_as_guest(
                article=article,
                parent=parent,
                name=data["name"],
                email=data["email"],
                body=data["body"],
                ip=ip,
            ),
        )
    return write_within_limit(
        form,
        limit=lambda: limits.refuse_if_too_fast("post", request.user),
        write=lambda: services.comment_create(
            article=article, parent=parent, author=request.user, body=data["body"], ip=ip
        ),
    )


def wants_json(request: HttpRequest) -> bool:
    """Whether static/js/forum.js posted the form from the page and wants JSON back."""
    return request.headers.get("Accept", "").startswith("application/json")


def _form_answer(form, *, status: int, preview: str = "") -> JsonResponse:
    """A form posted from the page, not saved (a preview, errors, the limit): what it
    would look like and what is wrong, for forum.js to show in the form itself."""
    errors = [str(e) for e in form.non_field_errors()]
    errors += [str(e) for name in form.fields for e in form.errors.get(name, [])]
    return JsonResponse(
        {"preview": str(preview), "errors": errors},
        status=status if errors else 200,
    )


def _posted(request: HttpRequest, comment: Comment) -> HttpResponse:
    if comment.is_guest:
        # Remembered in this browser, which alone sees the comment while it is held.
        guests.remember(request, comment)
    if comment.status == Comment.Status.PENDING and comment.is_guest:
        messages.info(
            request,
            "Thanks, your comment is awaiting moderation. It will appear for everyone once "
            "a moderator approves it; until then only you see it, in this browser.",
        )
    elif comment.status == Comment.Status.PENDING:
        messages.info(request, "Thanks. Your comment is awaiting moderation; only you see it.")
    else:
        messages.success(request, "Your comment is posted.")
    if wants_json(request):
        return JsonResponse({"location": comment.get_absolute_url()})
    return redirect(comment.get_absolute_url())


def comment_card(request: HttpRequest, comment: Comment):
    """The comment on its own (above a reply, report or delete form), as the reader sees it."""
    viewer = guests.viewer(request)
    node = Node.of(comment, viewer=viewer)
    return render_card(
        node, Links(comment.article, viewer=viewer), permalink=comment.get_absolute_url()
    )


def _own_comment(request: HttpRequest, pk: int) -> Comment:
    """The signed-in reader's own comment, or 404: others' comments are not theirs to change."""
    return get_object_or_404(
        Comment.objects.select_related("article"),
        pk=pk,
        author=request.user,
    )


@follows_renames
@login_or_guest_required
@require_http_methods(["GET", "POST"])
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    """POST a new top-level comment (as a guest, where guests may comment). Errors
    re-render `articles/article_detail.html` with the bound form; success redirects
    to the new comment on the article page. GET (e.g. after logging in) goes back
    to the article's form."""
    article = get_object_or_404(Article, slug=slug)
    if request.method == "GET":
        return redirect(f"{article.get_absolute_url()}#comment-form")
    if not article.comments_open:
        raise services.CommentsClosed("Comments are closed on this article.")
    form = comment_form(
        request, action=request.path, login_next=f"{article.get_absolute_url()}#comment-form"
    )
    comment, status = _post(request, form, article=article, parent=None)
    if comment is None and wants_json(request):
        return _form_answer(form, status=_failed(form, status), preview=form.preview())
    if comment is None:
        return render_article_page(
            request, article, form=form, preview=form.preview(), status=status
        )
    return _posted(request, comment)


@login_or_guest_required
@require_http_methods(["GET", "POST"])
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """`comments/comment_reply.html`: the `parent` comment (`card`) below the chain of
    comments it answers (`ancestors`, nodes, oldest first), its `article`, the
    reply `form` (a guest's, where guests may comment and the reader is not signed
    in) and its `preview`. A successful POST redirects to the new reply on the
    article page."""
    parent = get_object_or_404(
        Comment.objects.select_related("article", "author").published(),
        pk=pk,
    )
    article = parent.article
    if not article.comments_open:
        raise services.CommentsClosed("Comments are closed on this article.")
    quoting = request.method == "GET" and "quote" in request.GET
    form = comment_form(
        request,
        action=request.path,
        login_next=request.path,
        submit_label="Post reply",
        autofocus=True,
        label=f"Your reply to {parent.display_name}",
        initial={"body": quoted(parent.display_name, parent.body)} if quoting else None,
    )
    status = 200
    if request.method == "POST":
        comment, status = _post(request, form, article=article, parent=parent)
        if comment is not None:
            return _posted(request, comment)
        if wants_json(request):
            return _form_answer(form, status=_failed(form, status), preview=form.preview())
    ancestors, _ = comment_context(parent, viewer=guests.viewer(request))
    context = {
        "parent": parent,
        "article": article,
        "form": form,
        "preview": form.preview(),
        "card": comment_card(request, parent),
        "ancestors": ancestors,
        "quoting": quoting,
    }
    response = render(request, "comments/comment_reply.html", context, status=status)
    return guests.keep_private(request, response)


@login_required_keeping_text
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """`comments/comment_edit.html` with `comment`, `article` and `form`, prefilled, and
    `deadline`, until when editing is allowed. Only the author, only within
    FORUM_EDIT_WINDOW of posting, never after a moderator removed it (403 saying
    why). Edits count toward FORUM_EDIT_RATE (429 with the text kept)."""
    comment = _own_comment(request, pk)
    refusal = comment.edit_refusal(request.user)
    if refusal:
        raise PermissionDenied(refusal)
    form = CommentForm(
        request.POST if request.method == "POST" else None,
        initial={"body": comment.body},
        action=request.path,
        submit_label="Save changes",
        autofocus=True,
    )
    status = 200
    if request.method == "POST" and form.is_valid() and not form.wants_preview:
        edited, status = write_within_limit(
            form,
            limit=lambda: limits.refuse_if_too_fast("edit", request.user),
            write=lambda: services.comment_edit(
                comment=comment, by=request.user, body=form.cleaned_data["body"]
            ),
        )
        if edited is not None:
            comment.refresh_from_db(fields=["status"])
            if comment.status == Comment.Status.PENDING:
                messages.info(request, "Your comment is updated and waits for a moderator again.")
            else:
                messages.success(request, "Your comment is updated.")
            if wants_json(request):
                return JsonResponse({"location": comment.get_absolute_url()})
            return redirect(comment.get_absolute_url())
    if request.method == "POST" and wants_json(request):
        return _form_answer(form, status=_failed(form, status), preview=form.preview())
    deadline = comment.edit_deadline.replace(microsecond=0)
    context = {
        "comment": comment,
        "article": comment.article,
        "form": form,
        "preview": form.preview(),
        "deadline": deadline,
        "minutes_left": max(1, math.ceil((deadline - timezone.now()).total_seconds() / 60)),
    }
    return render(request, "comments/comment_edit.html", context, status=status)


@login_required_keeping_text
@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """`comments/comment_delete.html` asks to confirm; POST deletes (the author's own only)."""
    comment = _own_comment(request, pk)
    refusal = comment.delete_refusal(request.user)
    if refusal:
        raise PermissionDenied(refusal)
    if comment.status == Comment.Status.DELETED:
        return redirect(comment.article.get_absolute_url())
    if request.method == "POST":
        services.comment_delete(comment=comment, by=request.user)
        messages.success(request, "Your comment is deleted.")
        return redirect(f"{comment.article.get_absolute_url()}#comments")
    context = {
        "comment": comment,
        "article": comment.article,
        "card": comment_card(request, comment),
    }
    return render(request, "comments/comment_delete.html", context)
