"""Cache-backed rate limits, and the client's IP address as the limits see it.

Fixed windows: each key allows `limit` hits in the current window of the rate's
period and refuses the rest until the window ends. The counts live in Django's
default cache, which every process shares (the database, or Redis with
REDIS_URL).

Invariant: across every process, at most `limit` hits per key and window are
allowed. An allowed hit must first claim one of `limit` numbered slots with
`cache.add`, which exactly one caller can win: a primary-key insert in the
database cache, SET NX in Redis, a locked check in local memory. (A plain
counter would not do: the database cache's `incr` is a read then a write, and
two processes can both read 2 and both write 3.) A second key remembers the
highest slot claimed, only to skip probing taken slots; it is a hint, never
trusted to allow anything.

When the cache keeps nothing (Redis unreachable: forum.cache_backends turns that into
misses), the limits fail open: the hit is allowed and a warning is logged,
because refusing every post and log-in for the length of a cache outage would
be worse than a few minutes without limits. `counts_are_kept` says whether the
cache keeps anything right now, for code that must decide the same about limits
it does not count itself (django-allauth's, see accounts.adapter).
"""

import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from forum.env import Rate, parse_rate
from forum.logs import OccasionalWarning

TOO_MANY = "Too many attempts from your network. Wait {seconds} seconds, then try again."

logger = logging.getLogger(__name__)
unenforced = OccasionalWarning(logger, interval=30)


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
    prefix = f"throttle:{scope}:{key}:{window}"
    timeout = parsed.period + 1
    claimed = cache.get(f"{prefix}:claimed", 0)  # slots 1..claimed are all taken
    for slot in range(claimed + 1, parsed.limit + 1):
        if cache.add(f"{prefix}:{slot}", 1, timeout):
            cache.set(f"{prefix}:claimed", slot, timeout)
            return 0
        if cache.get(f"{prefix}:{slot}") is None:
            # Taken, yet not there: the cache keeps nothing, so fail open.
            unenforced.warn(
                scope, "Rate limit %r not enforced: the cache is not keeping counts.", scope
            )
            return 0
    if claimed < parsed.limit:
        cache.set(f"{prefix}:claimed", parsed.limit, timeout)
    return max(1, int((window + 1) * parsed.period - now))


PROBE_KEY = "throttle:probe"


def counts_are_kept() -> bool:
    """Whether the shared cache keeps what it is given right now (not while Redis is
    unreachable). For limits counted by other code than `hit` (django-allauth's),
    which would refuse everything, after a second's wait, while the cache is down."""
    return (
        cache.get(PROBE_KEY) is not None
        or cache.add(PROBE_KEY, 1, 60)
        or cache.get(PROBE_KEY) is not None
    )


def valid_ip(ip: str | None) -> str | None:
    """The address if it is one (what a proxy forwards is checked nowhere upstream),
    normalised, else None."""
    try:
        return str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        return None
