"""Guards that every request passes, whichever view it is for.

MalformedRequestMiddleware reads the query string and the form body first, before
the CSRF check or any view does. Invariant: a request whose query or form data
cannot be decoded gets the site's 400 page (forum.views.bad_request) and reaches
nothing else. Django decodes them with the charset the Content-Type declares: it
refuses any but UTF-8 for urlencoded forms (latin-1 too, although latin-1 decodes
every byte, so trying the declared charset would not catch it) and raises
LookupError for a charset that is a codec but no text encoding (rot13, base64).
Invariant too: no NUL character in the path, a query parameter's name or value, or
a form field's name or value reaches a view. PostgreSQL refuses NUL in any string
literal, so one in an admin filter or search was a 500; form fields refuse NUL
already, and this also covers views (the admin's included) that read
request.GET or request.POST directly.

SignedInPagesArePrivateMiddleware marks what a signed-in user gets. Invariant: every
response to a request whose user is signed in (at the end of the request, so a log
in counts and a log out does not) carries Cache-Control: private and Vary: Cookie,
so no shared cache or proxy keeps one user's page to serve it to another.
Anonymous responses are left as their views made them.

LoginThrottleMiddleware limits log-in attempts per client IP address on every door
named in FORUM_LOGIN_URL_NAMES. Invariant: a POST that resolves to one of those URL
names is counted once against FORUM_LOGIN_RATE before its view runs, and over the
limit the view does not run at all, so no door can be added that skips the limit
except by leaving its name out of that one registry.
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers

from forum.throttle import TOO_MANY, client_ip, hit


def too_many_attempts(*, request: HttpRequest, wait: int) -> HttpResponse:
    """The site's 429 page saying how long to wait, with the same in Retry-After."""
    response = render(request, "429.html", {"message": TOO_MANY.format(seconds=wait)}, status=429)
    response["Retry-After"] = str(wait)
    return response


NUL = "\x00"


def contains_nul(*, data: QueryDict) -> bool:
    """Whether any name or value in `data` (a request's GET or POST) holds a NUL."""
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class MalformedRequestMiddleware:
    """Parse request.GET and request.POST up front; undecodable data, or a NUL in the
    path, the query or the form fields, is a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.GET  # noqa: B018 (parsed and cached here)
            request.POST  # noqa: B018
        except (UnicodeDecodeError, LookupError) as exc:
            raise BadRequest("The request's query or form data cannot be decoded.") from exc
        if NUL in request.path_info or any(
            contains_nul(data=data) for data in (request.GET, request.POST)
        ):
            raise BadRequest("NUL character in the request's path, query or form data.")
        return self.get_response(request)


class SignedInPagesArePrivateMiddleware:
    """Cache-Control: private and Vary: Cookie on every signed-in response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ("Cookie",))
        return response


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
