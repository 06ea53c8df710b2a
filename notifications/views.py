"""The reader's inbox and settings, and the links in notification emails.

The email links (unsubscribe, mute a thread) carry a signed token and work
without logging in; everything else is the signed-in reader's own.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.emails import verified_address
from comments.models import Comment

from . import delivery, services
from .forms import PreferencesForm
from .models import Notification, ThreadMute

PER_PAGE = 30


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox(request: HttpRequest) -> HttpResponse:
    """`notifications/inbox.html` with `page` (a page of `Notification`s, newest first,
    each with its comment, article and author) and `unread` (how many are)."""
    notifications = Notification.objects.for_inbox(request.user).select_related(
        "comment__article", "comment__author"
    )
    paginator = Paginator(notifications, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread": services.unread_count(request.user)},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to its comment in its thread (for a report
    acted on, to the article: the comment is no longer shown)."""
    notification = get_object_or_404(
        Notification.objects.for_inbox(request.user).select_related("comment__article"), pk=pk
    )
    services.mark_read(user=request.user, notification=notification)
    if notification.about_a_report:
        return redirect(notification.comment.article.get_absolute_url())
    return redirect(notification.comment.get_absolute_url())


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    changed = services.mark_read(user=request.user)
    if changed:
        messages.success(
            request, f"Marked {changed} notification{'s' if changed != 1 else ''} read."
        )
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """`notifications/settings.html`: `form` (how to be mailed), `address` (the
    verified address mail goes to, or ""), `unverified` (addresses waiting for
    verification) and `mutes` (the muted threads, each with its article)."""
    preferences = services.preferences_of(request.user)
    form = PreferencesForm(request.POST or None, initial={"email": preferences.email})
    if request.method == "POST" and form.is_valid():
        services.set_email_preference(user=request.user, email=form.cleaned_data["email"])
        messages.success(request, "Your notification settings are saved.")
        return redirect("notifications:settings")
    mutes = ThreadMute.objects.filter(user=request.user).select_related("thread__article")
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "address": verified_address(request.user),
            "unverified": request.user.emailaddress_set.filter(verified=False),
            "mutes": mutes,
        },
    )


def _comment_for(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if not comment.is_visible_to(request.user):
        raise Http404("No such comment.")
    return comment


@login_required
@require_POST
def mute(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop notifications from the thread of comment `pk`; back to where the reader was."""
    comment = _comment_for(request, pk)
    services.mute_thread(user=request.user, comment=comment)
    messages.success(request, "Thread muted: you won’t be notified of anything more in it.")
    return redirect(_back(request, "notifications:inbox"))


@login_required
@require_POST
def unmute(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request, pk)
    services.unmute_thread(user=request.user, comment=comment)
    messages.success(request, "Thread unmuted: you’ll be notified of replies in it again.")
    return redirect(_back(request, "notifications:settings"))


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _user_or_404(user_id: int | None):
    if user_id is None:
        raise Http404("This link is not valid.")
    return get_object_or_404(get_user_model(), pk=user_id, is_active=True)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Turn off notification email for the reader the signed token names, no log-in
    needed: following the link (GET) or a mail client's RFC 8058 one-click POST.
    `notifications/unsubscribed.html` offers `resubscribe` (a signed form) to undo it."""
    user = _user_or_404(delivery.user_id_from_unsubscribe_token(token))
    if request.method != "HEAD":
        services.unsubscribe(user=user)
    return render(request, "notifications/unsubscribed.html", {"token": token, "who": user})


@require_POST
def resubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = _user_or_404(delivery.user_id_from_unsubscribe_token(token))
    services.set_email_preference(user=user, email="each")
    messages.success(request, "You’ll get an email for each reply or mention again.")
    return render(
        request, "notifications/unsubscribed.html", {"token": token, "who": user, "undone": True}
    )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def mute_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """Mute the thread a notification email came from, no log-in needed."""
    ids = delivery.ids_from_mute_token(token)
    user = _user_or_404(ids[0] if ids else None)
    thread = get_object_or_404(Comment.objects.select_related("article"), pk=ids[1], level=0)
    if request.method != "HEAD":
        services.mute_thread(user=user, comment=thread)
    return render(request, "notifications/muted.html", {"thread": thread, "who": user})
