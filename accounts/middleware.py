"""Guards that every request passes, whichever view it is for.

MalformedRequestMiddleware reads the query string and the form body first, before
the CSRF check or any view does. Invariant: a request whose query or form data
cannot be decoded gets the site's 400 page (forum.views.bad_request) and reaches
nothing else. Django decodes them with the charset the Content-Type declares: it
refuses any but UTF-8 for urlencoded forms (latin-1 too, although latin-1 decodes
every byte, so trying the declared charset would not catch it) and raises
LookupError for a charset that is a codec but no text encoding (rot13, base64).

LoginThrottleMiddleware limits log-in attempts per client IP address on every door
named in FORUM_LOGIN_URL_NAMES. Invariant: a POST that resolves to one of those URL
names is counted once against FORUM_LOGIN_RATE before its view runs, and over the
limit the view does not run at all, so no door can be added that skips the limit
except by leaving its name out of that one registry.
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .throttle import TOO_MANY, client_ip, hit


def too_many_attempts(*, request: HttpRequest, wait: int) -> HttpResponse:
    """The site's 429 page saying how long to wait, with the same in Retry-After."""
    response = render(request, "429.html", {"message": TOO_MANY.format(seconds=wait)}, status=429)
    response["Retry-After"] = str(wait)
    return response


class MalformedRequestMiddleware:
    """Parse request.GET and request.POST up front; undecodable data is a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.GET  # noqa: B018 (parsed and cached here)
            request.POST  # noqa: B018
        except (UnicodeDecodeError, LookupError) as exc:
            raise BadRequest("The request's query or form data cannot be decoded.") from exc
        return self.get_response(request)


class LoginThrottleMiddleware:
    """Count each POST to a log-in view (FORUM_LOGIN_URL_NAMES) against the client
    address's FORUM_LOGIN_RATE; over the limit, answer 429 instead of the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match.view_name not in settings.FORUM_LOGIN_URL_NAMES:
            return None
        wait = hit("login", client_ip(request), settings.FORUM_LOGIN_RATE)
        if wait:
            return too_many_attempts(request=request, wait=wait)
        return None
