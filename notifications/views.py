"""The reader's inbox and settings, following a discussion, and the links in
notification emails.

The email links (unsubscribe, mute a thread, stop following a discussion) carry a
token (notifications.links) and work without logging in; following one only shows
a page with a button, and only the button's POST (or a mail client's RFC 8058
one-click POST) acts.
Everything else is the signed-in reader's own.
"""

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.emails import mail_address
from articles.models import Article
from articles.slugs import follows_renames
from comments.models import Comment
from comments.threads import visits
from notifications import discussions, links, services
from notifications.forms import PreferencesForm
from notifications.models import Notification, Preferences, ThreadMute

PER_PAGE = 30


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox(request: HttpRequest) -> HttpResponse:
    """`notifications/inbox.html` with `page` (a page of `Notification`s, newest first,
    each with its comment, article and author, and a followed discussion's with its
    `new_count`), `following` (which of the page's followed discussions the reader
    still follows, by article pk) and `unread` (how many are). The same queries
    however many notifications, and comments, it lists."""
    notifications = (
        Notification.objects.for_inbox(request.user)
        .with_new_counts()
        .select_related("comment__article", "comment__author")
    )
    paginator = Paginator(notifications, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    followed = {n.comment.article_id for n in page if n.about_a_discussion}
    following = (
        visits.followed_among(user_id=request.user.pk, article_ids=followed) if followed else set()
    )
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "following": following, "unread": services.unread_count(request.user)},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to its comment in its thread (for a followed
    discussion's, to the first new comment everyone may still see; for a report acted
    on, to the article: the comment is no longer shown)."""
    notification = get_object_or_404(
        Notification.objects.for_inbox(request.user).select_related("comment__article"), pk=pk
    )
    services.mark_read(user=request.user, notification=notification)
    if notification.about_a_report:
        return redirect(notification.comment.article.get_absolute_url())
    if notification.about_a_discussion:
        first = discussions.first_new_comment(notification)
        if first is None:  # removed since the inbox was shown
            return redirect(f"{notification.comment.article.get_absolute_url()}#comments")
        return redirect(first.get_absolute_url())
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
    verification), `following` (the followed discussions, each a Visit with its
    article) and `mutes` (the muted threads, each with its article)."""
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
            "address": mail_address(request.user),
            "unverified": request.user.emailaddress_set.filter(verified=False),
            "following": visits.followed_by(user=request.user),
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
    return redirect(_back(request, reverse("notifications:inbox")))


@login_required
@require_POST
def unmute(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_for(request, pk)
    services.unmute_thread(user=request.user, comment=comment)
    messages.success(request, "Thread unmuted: you’ll be notified of replies in it again.")
    return redirect(_back(request, reverse("notifications:settings")))


FOLLOW_ACTIONS = ("follow", "stop")


@login_required
@require_POST
@follows_renames
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow the article's discussion (`action` "follow": its new comments notify the
    reader) or stop following it ("stop"); back to where the reader was (`next`: the
    inbox, Settings), else to the article's comments, with a message saying which."""
    article = get_object_or_404(Article, slug=slug)
    action = request.POST.get("action")
    if action not in FOLLOW_ACTIONS:
        return HttpResponseBadRequest("Say whether to follow or stop following.")
    if action == "follow":
        visits.follow(user=request.user, article=article)
        messages.success(
            request,
            f"You’re following “{article.title}”: you’ll be notified of its new comments.",
        )
    else:
        visits.unfollow(user=request.user, article=article)
        messages.success(
            request, f"You’ve stopped following “{article.title}”: no more notifications of it."
        )
    return redirect(_back(request, f"{article.get_absolute_url()}#comments"))


def _back(request: HttpRequest, default: str) -> str:
    """The `next` address the form sent, if it is on this site; else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _link_refused(request: HttpRequest) -> HttpResponse:
    """`notifications/link_refused.html` (404): the link is bad, expired or retired;
    `days` is how long links last."""
    return render(
        request,
        "notifications/link_refused.html",
        {"days": links.LINK_MAX_AGE.days},
        status=404,
    )


# The email links work without logging in: the token in the URL is the credential,
# not a session, so the links themselves skip the CSRF check on POST (an RFC 8058
# one-click POST from a mail client carries no cookie); their Undo forms, posted
# only from these pages, keep it. GET and HEAD change nothing.


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """`notifications/unsubscribe.html` for the reader `who` the token names: on GET,
    what the button will do (or, with `done`, that email is already off); a POST, the
    button's or a mail client's one-click, turns notification email off at once and
    shows `done` with an Undo form (`token`)."""
    reader = links.reader_of_unsubscribe_token(token)
    if reader is None:
        return _link_refused(request)
    if request.method == "POST":
        services.unsubscribe(user=reader)
        done = True
    else:
        done = services.preferences_of(reader).email == Preferences.Email.OFF
    return render(
        request,
        "notifications/unsubscribe.html",
        {"token": token, "who": reader, "done": done, "undone": False},
    )


@never_cache
@require_POST
def resubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Undo an unsubscribe: an email for each reply or mention again. This retires the
    token (and every link mailed before); `notifications/unsubscribe.html` with `undone`."""
    reader = links.reader_of_unsubscribe_token(token)
    if reader is None:
        return _link_refused(request)
    services.set_email_preference(user=reader, email=Preferences.Email.EACH)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"token": token, "who": reader, "done": False, "undone": True},
    )


def _muting(token: str) -> tuple[AbstractBaseUser, Comment] | None:
    """The reader and the thread (a top-level comment, with its article) a mute token
    names, or None."""
    found = links.reader_and_thread_of_mute_token(token)
    if found is None:
        return None
    reader, thread_id = found
    thread = (
        Comment.objects.select_related("article", "author").filter(pk=thread_id, level=0).first()
    )
    return None if thread is None else (reader, thread)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def mute_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """`notifications/mute.html` for the reader `who` and the `thread` (with its
    article) the token names: on GET, what the button will do (or, with `done`, that
    the thread is already muted); POST mutes it and shows `done` with an Undo form."""
    found = _muting(token)
    if found is None:
        return _link_refused(request)
    reader, thread = found
    if request.method == "POST":
        services.mute_thread(user=reader, comment=thread)
        done = True
    else:
        done = ThreadMute.objects.filter(user=reader, thread=thread).exists()
    return render(
        request,
        "notifications/mute.html",
        {"token": token, "who": reader, "thread": thread, "done": done, "undone": False},
    )


@never_cache
@require_POST
def unmute_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """Undo a mute made by link; `notifications/mute.html` with `undone`."""
    found = _muting(token)
    if found is None:
        return _link_refused(request)
    reader, thread = found
    services.unmute_thread(user=reader, comment=thread)
    return render(
        request,
        "notifications/mute.html",
        {"token": token, "who": reader, "thread": thread, "done": False, "undone": True},
    )


def _unfollowing(token: str) -> tuple[AbstractBaseUser, Article] | None:
    """The reader and the article an unfollow token names, or None."""
    found = links.reader_and_article_of_unfollow_token(token)
    if found is None:
        return None
    reader, article_id = found
    article = Article.objects.filter(pk=article_id).first()
    return None if article is None else (reader, article)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unfollow_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """`notifications/unfollow.html` for the reader `who` and the `article` the token
    names: on GET, what the button will do (or, with `done`, that they no longer follow
    it); POST stops following it and shows `done` with an Undo form."""
    found = _unfollowing(token)
    if found is None:
        return _link_refused(request)
    reader, article = found
    if request.method == "POST":
        visits.unfollow(user=reader, article=article)
        done = True
    else:
        done = not visits.followed_among(user_id=reader.pk, article_ids=[article.pk])
    return render(
        request,
        "notifications/unfollow.html",
        {"token": token, "who": reader, "article": article, "done": done, "undone": False},
    )


@never_cache
@require_POST
def refollow_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """Undo a stop made by link: follow the discussion again;
    `notifications/unfollow.html` with `undone`."""
    found = _unfollowing(token)
    if found is None:
        return _link_refused(request)
    reader, article = found
    visits.follow(user=reader, article=article)
    return render(
        request,
        "notifications/unfollow.html",
        {"token": token, "who": reader, "article": article, "done": False, "undone": True},
    )
