"""The vote buttons' endpoint.

A thread's vote buttons all belong to one form of the page (`<form id="votes">`,
posting to `comments:vote`): each is `name="up"` or `name="down"` with the comment's
number as its value. Pressing the direction the reader already voted takes the vote
back; the other direction changes it. static/js/forum.js posts the button with
`Accept: application/json` and updates the comment in place from the answer;
without JavaScript the browser follows the redirect back to the comment.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from comments import services
from comments.models import Comment
from comments.posting import limits
from comments.posting.views import wants_json

# The buttons' names, and the vote each one casts.
DIRECTIONS = {"up": 1, "down": -1}
NOT_SIGNED_IN = "Log in to vote."
MISSING = "This comment is not available."


def _ballot(request: HttpRequest) -> tuple[int, int]:
    """(the comment's number, 1 or -1) from the button pressed; BadRequest unless
    exactly one of `up` and `down` names one comment."""
    pressed = [(name, request.POST[name]) for name in DIRECTIONS if name in request.POST]
    if len(pressed) != 1 or not pressed[0][1].isascii() or not pressed[0][1].isdigit():
        raise BadRequest("Vote with the up or down button of one comment.")
    name, pk = pressed[0]
    return int(pk), DIRECTIONS[name]


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """A vote not taken: the reason, as JSON for forum.js, else the site's error page."""
    if wants_json(request):
        return JsonResponse({"error": message}, status=status)
    if status == 400:
        raise BadRequest(message)
    raise PermissionDenied(message)


def _back_to(request: HttpRequest, comment: Comment) -> HttpResponse:
    """See Other: the browser GETs the page the reader voted on (the form's `next`: the
    same page, sort and all), at the comment; else the comment in its thread."""
    page = request.POST.get("next", "")
    if page.startswith("/") and url_has_allowed_host_and_scheme(
        page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(f"{page.partition('#')[0]}#comment-{comment.pk}", status=303)
    return HttpResponseRedirect(comment.get_absolute_url(), status=303)


@require_POST
def comment_vote(request: HttpRequest) -> HttpResponse:
    """POST `up=<pk>` or `down=<pk>`: vote, change the vote, or take it back (pressing
    the direction already voted). With `Accept: application/json` the answer is
    {"comment", "up", "down", "points", "mine"} (or {"error"} with 400, 403, 404 or
    429); without, a 303 back to the comment (over the rate limit, with a message).
    No template: refusals without JavaScript are `400.html` and `403.html`.
    Signed-in readers only: others are sent to log in, and back to the comment."""
    try:
        pk, pressed = _ballot(request)
    except BadRequest as exc:
        return _refused(request, str(exc), 400)
    comment = Comment.objects.select_related("article").filter(pk=pk).first()
    if comment is None:
        if wants_json(request):
            return JsonResponse({"error": MISSING}, status=404)
        raise Http404(MISSING)
    if not request.user.is_authenticated:
        if wants_json(request):
            return JsonResponse({"error": NOT_SIGNED_IN}, status=403)
        return redirect_to_login(comment.get_absolute_url())
    try:
        limits.refuse_if_too_fast("vote", request.user)
    except limits.TooFast as exc:
        if wants_json(request):
            response = JsonResponse({"error": str(exc)}, status=429)
            response["Retry-After"] = str(exc.seconds)
            return response
        messages.error(request, str(exc))
        return _back_to(request, comment)
    try:
        tally = services.comment_vote(
            comment=comment, voter=request.user, value=pressed, toggle=True
        )
    except services.Banned as exc:
        return _refused(request, str(exc), 403)
    except ValidationError as exc:
        return _refused(request, exc.message, 400 if exc.code == "value" else 403)
    if wants_json(request):
        return JsonResponse(
            {
                "comment": tally.comment_id,
                "up": tally.up,
                "down": tally.down,
                "points": tally.points,
                "mine": tally.mine,
            }
        )
    return _back_to(request, comment)
