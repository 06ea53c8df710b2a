"""Moderating from the thread: approve, remove, restore, ban the author.

Each action is a small confirmation page on GET and acts on POST, through
comments.services, like the admin's actions. static/js/forum.js opens the
page's form in place under the comment and posts it with `Accept:
application/json`; the answer then carries the comment's card as the moderator
now sees it, to replace the old one. Only moderators (policy.Viewer.can_moderate)
may see or use them; their thread pages are rendered for them alone.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from comments import policy, services
from comments.models import Comment, ModerationAction
from comments.moderation.forms import ApproveForm, BanForm, RemoveForm, RestoreForm
from comments.threads.markup import Links, render_nodes
from comments.threads.nodes import Node, cut_and_shape
from comments.threads.selectors import note_removals

Act = policy.Act
# The actions a moderator takes from the thread: their form and page heading. Which
# fits which comment is policy.actions_for's to say.
ACTIONS = {
    Act.APPROVE: (ApproveForm, "Approve this comment?"),
    Act.REMOVE: (RemoveForm, "Remove this comment?"),
    Act.RESTORE: (RestoreForm, "Restore this comment?"),
    Act.BAN: (BanForm, "Ban this comment’s author?"),
}


def moderator_required(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not policy.Viewer.of(request.user).can_moderate:
            raise PermissionDenied("Only moderators can do this.")
        return view(request, *args, **kwargs)

    return wrapper


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def card_for(comment: Comment, viewer: policy.Viewer, *, actions: bool = True) -> str:
    """The comment's card (its <li>, without replies) as `viewer` sees it now."""
    node = Node.of(comment, viewer=viewer)
    note_removals([node], viewer=viewer)
    [node] = cut_and_shape([node], max_level=comment.level)
    return render_nodes([node], Links(comment.article, viewer=viewer), actions=actions)


def _refusal(action: str, comment: Comment, viewer: policy.Viewer) -> str:
    """Why `action` does not fit this comment now ("" when it does): policy.actions_for
    says whether; this says why, in the moderator's words."""
    offered = policy.actions_for(
        status=comment.status,
        author_id=comment.author_id,
        author_is_staff=comment.author is not None and comment.author.is_staff,
        viewer=viewer,
    )
    if action in offered:
        return ""
    if action != Act.BAN:
        status = comment.get_status_display().lower()
        return f"This comment is {status}: nothing to {action}."
    if comment.author is None:
        return (
            f"{comment.author_name} has no account (a guest or an imported author): "
            "there is nobody to ban. Remove their comments instead."
        )
    if comment.author_id == viewer.user_id:
        return "You cannot ban yourself."
    return policy.ban_refusal(comment.author)


def _act(request: HttpRequest, action: str, comment: Comment, form) -> tuple[str, int]:
    """Do it; returns the message and its level."""
    data = form.cleaned_data
    if action == "approve":
        done = services.comments_approve(comments=[comment], by=request.user)
        return ("Comment approved." if done else "Nothing to approve."), messages.SUCCESS
    if action == "remove":
        done = services.comments_remove(
            comments=[comment],
            by=request.user,
            reason=data["reason"],
            public_reason=data.get("public_reason", ""),
        )
        return ("Comment removed." if done else "Nothing to remove."), messages.SUCCESS
    if action == "restore":
        done = services.comments_restore(comments=[comment], by=request.user)
        return ("Comment restored." if done else "Nothing to restore."), messages.SUCCESS
    author = comment.author
    [ban] = services.users_ban(
        users=[author],
        by=request.user,
        reason=data["reason"],
        ends=form.ends(),
        public_reason=data.get("public_reason", ""),
    )
    return f"{author.get_username()} is banned {ban.until_text}.", messages.SUCCESS


@moderator_required
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """`comments/comment_moderate.html`: `comment`, its `card`, the `form` and a
    `heading`. A POST acts and goes back to the comment in its thread (or, asked for
    JSON, answers `message`, `level` and the comment's new `card`)."""
    comment = get_object_or_404(Comment.objects.select_related("article", "author"), pk=pk)
    form_class, heading = ACTIONS[action]
    viewer = policy.Viewer.of(request.user)
    form = form_class(request.POST if request.method == "POST" else None, action=request.path)
    status = 200
    message = _refusal(action, comment, viewer)
    if message:
        if _wants_json(request):
            return JsonResponse({"message": message, "level": "warning"}, status=409)
        messages.warning(request, message)
        return redirect(comment.get_absolute_url())
    if request.method == "POST":
        if form.is_valid():
            message, level = _act(request, action, comment, form)
            comment.refresh_from_db()
            if _wants_json(request):
                return JsonResponse(
                    {
                        "message": message,
                        "level": messages.DEFAULT_TAGS[level],
                        "card": card_for(comment, viewer),
                    }
                )
            messages.add_message(request, level, message)
            return redirect(comment.get_absolute_url())
        status = 400
        if _wants_json(request):
            errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
            return JsonResponse({"message": errors, "level": "danger"}, status=400)
    context = {
        "comment": comment,
        "article": comment.article,
        "card": card_for(comment, viewer, actions=False),
        "form": form,
        "heading": heading,
        "action": action,
    }
    return render(request, "comments/comment_moderate.html", context, status=status)


MODLOG_KINDS = (
    ModerationAction.Kind.REMOVE,
    ModerationAction.Kind.REMOVE_SUBTREE,
    ModerationAction.Kind.REMOVE_AUTHOR,
    ModerationAction.Kind.RESTORE,
    ModerationAction.Kind.BAN,
    ModerationAction.Kind.UNBAN,
)


@require_http_methods(["GET", "HEAD"])
def modlog(request: HttpRequest) -> HttpResponse:
    """`comments/modlog.html`: the public moderation log (FORUM_PUBLIC_MODLOG), newest
    first, 50 a page (`page`): what was removed or banned, when, and the public
    reason; the moderator's name only when the site chose "names" (`names`)."""
    if not policy.public_modlog():
        raise Http404("This site keeps no public moderation log.")
    entries = (
        ModerationAction.objects.filter(kind__in=MODLOG_KINDS)
        .select_related("comment__article", "comment__author", "user", "actor")
        .order_by("-created", "-pk")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    names = settings.FORUM_PUBLIC_MODLOG == "names"
    return render(request, "comments/modlog.html", {"page": page, "names": names})
