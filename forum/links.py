"""Absolute links to this site, for everything that leaves it (mail, feeds' ids,
exports): built from FORUM_SITE_URL, never from a request's Host header, which a
client chooses (a password reset asked for with `Host: 127.0.0.1:1` must not mail a
link to port 1)."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (as reverse() gives it, starting with /) on the site's public address."""
    return f"{settings.FORUM_SITE_URL}{path}"
