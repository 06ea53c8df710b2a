"""Site-wide error views."""

from django.http import HttpRequest, HttpResponseForbidden
from django.template import loader


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseForbidden:
    """A 403 in the site's own style when a form arrives without a valid CSRF token."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))
