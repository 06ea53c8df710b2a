"""Whether a user is banned now: asked by every write, and (cached) by pages.

Writes always ask the database (`active_ban`). Pages, which only decide whether
to show a form, ask `cached_active_ban`: remembered in the shared cache (Redis)
for a few minutes and never past the ban's end; banning and lifting forget it.
When the shared cache is the database itself (no REDIS_URL), reading the cache
costs the same query as reading the ban, so pages ask the database directly.
"""

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone

from comments.models import Ban

BAN_CACHE_SECONDS = 300


def _key(user_id: int) -> str:
    return f"forum:ban:{user_id}"


def active_ban(user) -> Ban | None:
    """The ban that stops this user posting now (a permanent one first), or None."""
    return Ban.objects.active().filter(user=user).order_by(F("ends").desc(nulls_first=True)).first()


def cached_active_ban(user) -> Ban | None:
    if isinstance(caches["default"], DatabaseCache):
        return active_ban(user)
    key = _key(user.pk)
    ban = cache.get(key, default=False)
    if ban is False:
        ban = active_ban(user)
        timeout = BAN_CACHE_SECONDS
        if ban is not None and ban.ends is not None:
            timeout = max(1, min(timeout, int((ban.ends - timezone.now()).total_seconds())))
        cache.set(key, ban, timeout)
    return ban


def forget_ban(user_id: int) -> None:
    cache.delete(_key(user_id))


class Banned(PermissionDenied):
    """The user is banned: they may read, not post, edit or report."""

    def __init__(self, ban: Ban) -> None:
        super().__init__(f"You are banned {ban.until_text}. Reason: {ban.reason}")
        self.ban = ban


def refuse_if_banned(user) -> None:
    """Raise Banned while `user` is banned: every write of theirs asks (the database)."""
    ban = active_ban(user)
    if ban is not None:
        raise Banned(ban)
