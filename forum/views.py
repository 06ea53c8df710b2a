"""Site-wide views: the error pages, robots.txt and uploaded files.

Invariant: none of them reads the request's body or query string. They answer
requests whose body or query string may be what went wrong (an undecodable charset,
NUL characters), and Django's default handlers, wrapped in requires_csrf_token,
read the body again and turn a 400 into gunicorn's bare 500.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.template import loader
from django.urls import reverse
from django.views.static import serve


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """A 403 in the site's own style when a form arrives without a valid CSRF token."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponseBadRequest:
    """handler400: `400.html` in the site's style, for any BadRequest or
    SuspiciousOperation, without touching the request's body."""
    return HttpResponseBadRequest(loader.render_to_string("400.html", request=request))


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Robots may read everything a reader may, but the admin. (The pages behind a
    comment's actions stay open to them too: a search engine that could not fetch
    them would report them as blocked, and each says what it is about.)"""
    lines = ["User-agent: *", f"Disallow: {reverse('admin:index')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def media(request: HttpRequest, path: str) -> HttpResponse:
    """An uploaded file under MEDIA_ROOT (read at each request), as Django's static
    view serves it: no path outside the folder, 404 for what is not there."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
