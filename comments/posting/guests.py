"""What the forum remembers of a guest, a reader without an account, in their browser's
session: the name and email address they last commented with (to fill the form in
again) and the comments they posted (which they may see while those are held, as
WordPress shows a pending comment to the browser that sent it).

Invariant: none of it ever reaches another reader. It lives in the session (on the
server; the browser holds only the session's key), so nobody can claim another
guest's comments; a guest whose held comment is on a page gets that page rendered
for them alone (comments.threads.cache never stores a render that shows a held comment);
and every response built with it is sent with Cache-Control: private.

And it does not outlive the visit: the session's cookie ends when the browser
closes, what it remembers is forgotten KEEP_FOR after the guest's last comment
(a day), and logging in drops it (`forget`, on Django's user_logged_in, connected
in comments.apps: every log-in door, the admin's included).
"""

import time
from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from comments.models import Comment
from comments.policy import Viewer

SESSION_KEY = "forum_guest"
# The newest comments a browser remembers posting; older ones are long decided.
KEEP_COMMENTS = 50
# How long after a guest's last comment their name, address and comments are kept.
KEEP_FOR = timedelta(days=1)


def _remembered(request: HttpRequest) -> dict:
    if request.user.is_authenticated:
        return {}
    remembered = request.session.get(SESSION_KEY) or {}
    if remembered.get("since", 0) < time.time() - KEEP_FOR.total_seconds():
        return {}
    return remembered


def remember(request: HttpRequest, comment: Comment) -> None:
    """After a guest posted `comment`: keep its name, address and id in their session,
    until the browser closes and for KEEP_FOR at most."""
    comments = [*_remembered(request).get("comments", []), comment.pk][-KEEP_COMMENTS:]
    request.session[SESSION_KEY] = {
        "name": comment.author_name,
        "email": comment.author_email,
        "comments": comments,
        "since": time.time(),
    }
    request.session.set_expiry(0)


def forget(sender, request: HttpRequest, user, **kwargs) -> None:
    """On log-in (Django's user_logged_in): drop what the session kept of the guest."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)


def identity(request: HttpRequest) -> dict[str, str]:
    """The name and email address this guest last commented with, as a form's initial
    data (empty for anyone else)."""
    remembered = _remembered(request)
    return {key: remembered[key] for key in ("name", "email") if key in remembered}


def viewer(request: HttpRequest) -> Viewer:
    """Who is looking, with the comments this browser posted as a guest."""
    return Viewer.of(request.user, guest_comments=_remembered(request).get("comments", ()))


def keep_private(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Mark a page built for a guest who is remembered (their name in the form, their
    held comments in the thread) Cache-Control: private, as signed-in pages are."""
    if _remembered(request):
        patch_cache_control(response, private=True)
    return response
