"""Redis as a cache that may fail: an outage reads as misses, never as errors.

Invariant: no method of ResilientRedisCache raises because Redis is unreachable
or failing (a redis error or a socket error). Reads return their default, as
for a missing key; writes store nothing and say so where Django's API has a
way to (add, touch and delete return False, set_many returns every key);
incr and decr raise ValueError, as Django does for a missing key. So pages
render uncached, cached_db sessions fall back to the database, and
forum.throttle fails open.

A dead host must not stall requests: sockets give up after a fraction of a
second, and after a failure the cache skips Redis altogether for a few seconds
(a circuit breaker, per process and per Redis location) so one request, not
each, pays the timeout. The first call after that tries Redis again, so the
cache recovers by itself. Each process logs a WARNING when Redis fails, then
at most one every 30 seconds while it stays down, and one when it is back.
"""

import logging
import threading
import time
from collections.abc import Callable

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from forum.env import masked
from forum.logs import OccasionalWarning

logger = logging.getLogger(__name__)
outage_warnings = OccasionalWarning(logger, interval=30)
FAILURES = (RedisError, OSError)
# Redis client options unless the cache's OPTIONS say otherwise: give up on a
# connection or a reply after 0.3 s.
CLIENT_DEFAULTS = {"socket_connect_timeout": 0.3, "socket_timeout": 0.3}
BREAKER_SECONDS = 5.0


class Breaker:
    """Per process: which Redis locations are failing, and until when to skip them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._skip_until: dict[str, float] = {}

    def is_open(self, where: str) -> bool:
        with self._lock:
            return time.monotonic() < self._skip_until.get(where, 0.0)

    def trip(self, where: str, *, seconds: float) -> None:
        with self._lock:
            self._skip_until[where] = time.monotonic() + seconds

    def close(self, where: str) -> bool:
        """Forget a failure of `where`; says whether there was one to forget."""
        with self._lock:
            return self._skip_until.pop(where, None) is not None


breaker = Breaker()


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, answering misses while Redis is unreachable (see module).

    OPTIONS may set `breaker_seconds` (how long to skip Redis after a failure,
    default 5) besides the Redis client's own options."""

    def __init__(self, server: str, params: dict) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.breaker_seconds = float(options.pop("breaker_seconds", BREAKER_SECONDS))
        super().__init__(server, {**params, "OPTIONS": {**CLIENT_DEFAULTS, **options}})
        self.where = ",".join(masked(server) for server in self._servers)

    def _guarded(self, call: Callable, *args, miss):
        if breaker.is_open(self.where):
            return miss
        try:
            result = call(*args)
        except FAILURES as exc:
            breaker.trip(self.where, seconds=self.breaker_seconds)
            outage_warnings.warn(
                self.where,
                "Redis cache at %s is unavailable (%s: %s); answering misses, "
                "trying again in %.0f s.",
                self.where,
                type(exc).__name__,
                exc,
                self.breaker_seconds,
            )
            return miss
        if breaker.close(self.where):
            outage_warnings.forget(self.where)
            logger.warning("Redis cache at %s is reachable again.", self.where)
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().add, key, value, timeout, version, miss=False)

    def get(self, key, default=None, version=None):
        return self._guarded(super().get, key, default, version, miss=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded(super().set, key, value, timeout, version, miss=None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().touch, key, timeout, version, miss=False)

    def delete(self, key, version=None):
        return self._guarded(super().delete, key, version, miss=False)

    def get_many(self, keys, version=None):
        return self._guarded(super().get_many, keys, version, miss={})

    def has_key(self, key, version=None):
        return self._guarded(super().has_key, key, version, miss=False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._guarded(super().incr, key, delta, version, miss=missing)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the Redis cache is unavailable).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().set_many, data, timeout, version, miss=list(data))

    def delete_many(self, keys, version=None):
        self._guarded(super().delete_many, keys, version, miss=None)

    def clear(self):
        return self._guarded(super().clear, miss=False)
