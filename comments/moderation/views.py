"""Moderating from the thread: approve (and undo it), remove, restore, ban the author or
lift their ban, dismiss reports.

Each action is a small confirmation page on GET and acts on POST, through
comments.services, like the admin's actions. static/js/forum.js opens the
page's form in place under the comment and posts it with `Accept:
application/json`; the answer then carries the comment's card as the moderator
now sees it, to replace the old one. Approving asks nothing: the thread posts it
from a button at once, and the answer offers to undo it (`undo_approval`) for
policy.APPROVAL_UNDO_WINDOW. Only moderators (policy.Viewer.can_moderate) may see
or use them; their thread pages are rendered for them alone.
"""

from datetime import UTC
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from comments import policy, services
from comments.models import Comment, ModerationAction, Report
from comments.moderation.bans import active_ban
from comments.moderation.forms import (
    ApproveForm,
    BanForm,
    DismissForm,
    LiftBanForm,
    RemoveForm,
    RestoreForm,
    reason_from_reports,
)
from comments.moderation.history import author_history
from comments.threads.markup import Links, render_nodes
from comments.threads.nodes import Node, cut_and_shape
from comments.threads.selectors import note_for_moderators

Act = policy.Act
# The actions a moderator takes from the thread: their form and page heading. Which
# fits which comment is policy.actions_for's to say.
ACTIONS = {
    Act.APPROVE: (ApproveForm, "Approve this comment?"),
    Act.REMOVE: (RemoveForm, "Remove this comment?"),
    Act.RESTORE: (RestoreForm, "Restore this comment?"),
    Act.BAN: (BanForm, "Ban this comment’s author?"),
    Act.LIFT_BAN: (LiftBanForm, "Lift the ban on this comment’s author?"),
    Act.DISMISS: (DismissForm, "Dismiss the reports on this comment?"),
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


def card_for(
    request: HttpRequest, comment: Comment, viewer: policy.Viewer, *, actions: bool = True
) -> str:
    """The comment's card (its <li>, without replies) as `viewer` sees it now."""
    node = Node.of(comment, viewer=viewer)
    note_for_moderators([node], viewer=viewer)
    [node] = cut_and_shape([node], max_level=comment.level)
    links = Links(comment.article, viewer=viewer, csrf_token=lambda: get_token(request))
    return render_nodes([node], links, actions=actions)


def _refusal(action: str, comment: Comment, viewer: policy.Viewer) -> str:
    """Why `action` does not fit this comment now ("" when it does): policy.actions_for
    says whether; this says why, in the moderator's words. Asks for the author's ban
    only for the actions on bans, and for open reports only to dismiss them."""
    author = comment.author
    ban = active_ban(author) if author is not None and action in (Act.BAN, Act.LIFT_BAN) else None
    reports = Report.objects.open().filter(comment=comment).count() if action == Act.DISMISS else 0
    offered = policy.actions_for(
        status=comment.status,
        author_id=comment.author_id,
        author_is_staff=author is not None and author.is_staff,
        viewer=viewer,
        open_reports=reports,
        author_banned=ban is not None,
    )
    if action in offered:
        return ""
    if action == Act.DISMISS:
        return "This comment has no open reports: nothing to dismiss."
    if action not in (Act.BAN, Act.LIFT_BAN):
        status = comment.get_status_display().lower()
        return f"This comment is {status}: nothing to {action}."
    if author is None:
        no_account = f"{comment.author_name} has no account (a guest or an imported author)"
        if action == Act.LIFT_BAN:
            return f"{no_account}: there is no ban to lift."
        return f"{no_account}: there is nobody to ban. Remove their comments instead."
    name = author.get_username()
    if action == Act.LIFT_BAN:
        return f"{name} is not banned: there is no ban to lift."
    if ban is not None:
        return f"{name} is banned {ban.until_text} already: lift that ban to ban them anew."
    if comment.author_id == viewer.user_id:
        return "You cannot ban yourself."
    return policy.ban_refusal(author)


APPROVED = "Comment approved."


def _undo_form(request: HttpRequest, comment: Comment) -> str:
    """The button that undoes the approval of `comment` just made
    (comments/_undo_approval.html), with when that stops being possible: `until`."""
    window = policy.APPROVAL_UNDO_WINDOW
    context = {
        "comment": comment,
        "minutes": int(window.total_seconds() // 60),
        "until": (timezone.now() + window).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return render_to_string("comments/_undo_approval.html", context, request=request)


def _act(request: HttpRequest, action: str, comment: Comment, form) -> tuple[str, int]:
    """Do it; returns the message and its level."""
    data = form.cleaned_data
    if action == "approve":
        done = services.comments_approve(comments=[comment], by=request.user)
        return (APPROVED if done else "Nothing to approve."), messages.SUCCESS
    if action == Act.DISMISS:
        done = services.reports_dismiss(comments=[comment], by=request.user)
        return ("Reports dismissed." if done else "Nothing to dismiss."), messages.SUCCESS
    if action == Act.LIFT_BAN:
        lifted = services.user_bans_lift(
            user=comment.author, by=request.user, reason=data["reason"]
        )
        name = comment.author.get_username()
        message = f"The ban on {name} is lifted." if lifted else f"{name} is not banned."
        return message, messages.SUCCESS
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
    """`comments/comment_moderate.html`: `comment`, its `card`, the `form` (a removal's
    reason drawn from the comment's open reports) and a `heading`. A POST acts and
    goes back to the comment in its thread (or, asked for JSON, answers `message`,
    `level` and the comment's new `card`); an approval's message offers to undo it
    (in JSON, `undo`: the button)."""
    comment = get_object_or_404(Comment.objects.select_related("article", "author"), pk=pk)
    form_class, heading = ACTIONS[action]
    viewer = policy.Viewer.of(request.user)
    initial = {}
    if action == Act.REMOVE and request.method == "GET":
        initial["reason"] = reason_from_reports(
            Report.objects.open().filter(comment=comment).order_by("created", "pk")
        )
    form = form_class(
        request.POST if request.method == "POST" else None, action=request.path, initial=initial
    )
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
            # Approving offers to undo it (when this request is what approved it).
            undo = _undo_form(request, comment) if message == APPROVED else ""
            if _wants_json(request):
                answer = {
                    "message": message,
                    "level": messages.DEFAULT_TAGS[level],
                    "card": card_for(request, comment, viewer),
                }
                if undo:
                    answer["undo"] = undo
                return JsonResponse(answer)
            # The undo button is the template's, every value in it escaped.
            messages.add_message(
                request, level, format_html("{} {}", message, undo) if undo else message
            )
            return redirect(comment.get_absolute_url())
        status = 400
        if _wants_json(request):
            errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
            return JsonResponse({"message": errors, "level": "danger"}, status=400)
    context = {
        "comment": comment,
        "article": comment.article,
        "card": card_for(request, comment, viewer, actions=False),
        "form": form,
        "heading": heading,
        "action": action,
        # Before a ban, or lifting one: what the author did before, and earlier bans.
        "author_histories": (
            author_history([comment.author])
            if action in (Act.BAN, Act.LIFT_BAN) and comment.author_id
            else []
        ),
    }
    return render(request, "comments/comment_moderate.html", context, status=status)


@moderator_required
@require_POST
def undo_approval(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo the approval of comment `pk` (services.approval_undo): back to the comment
    with a message (a warning saying why when it may not be undone), or, asked for
    JSON, `message`, `level` and the comment's new `card` (409 and why, refused)."""
    comment = get_object_or_404(Comment.objects.select_related("article", "author"), pk=pk)
    try:
        services.approval_undo(comment=comment, by=request.user)
    except services.UndoRefused as refusal:
        [message] = refusal.messages
        if _wants_json(request):
            return JsonResponse({"message": message, "level": "warning"}, status=409)
        messages.warning(request, message)
        return redirect(comment.get_absolute_url())
    comment.refresh_from_db()
    message = "Approval undone: the comment is held again."
    if _wants_json(request):
        viewer = policy.Viewer.of(request.user)
        card = card_for(request, comment, viewer)
        return JsonResponse({"message": message, "level": "success", "card": card})
    messages.success(request, message)
    return redirect(comment.get_absolute_url())


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
