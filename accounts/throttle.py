"""Cache-backed rate limits, and the client's IP address as the limits see it.

Fixed windows: each key counts hits in the current window of the rate's period
and refuses past the limit until the window ends. The counters live in
Django's default cache, so every app server must share one (Redis: REDIS_URL).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from forum.env import Rate, parse_rate


def as_rate(rate: str | Rate) -> Rate:
    """A Rate from a setting's text ("5/m"), parsed by the same function the settings use."""
    if isinstance(rate, Rate):
        return rate
    try:
        return parse_rate(rate)
    except ValueError as exc:
        raise ImproperlyConfigured(f"A rate {exc}") from None


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with FORUM_TRUSTED_PROXIES=N the address the outermost of N
    trusted proxies saw (the Nth entry from the right of X-Forwarded-For)."""
    proxies = settings.FORUM_TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def hit(scope: str, key: str, rate: str | Rate) -> int:
    """Count one attempt; returns 0 if allowed, else the seconds until the window ends."""
    parsed = as_rate(rate)
    now = time.time()
    window = int(now // parsed.period)
    cache_key = f"throttle:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=parsed.period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=parsed.period + 1)
        count = 1
    if count > parsed.limit:
        return max(1, int((window + 1) * parsed.period - now))
    return 0
