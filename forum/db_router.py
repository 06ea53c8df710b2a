"""Read replicas: reads go to a replica, writes and everything around them to the primary.

Active when DATABASE_REPLICA_URLS names replicas (see settings). A request is
pinned to the primary when it writes (any non-GET/HEAD method), for
FORUM_REPLICA_PIN_SECONDS after its client last wrote (so readers see their own
comment at once despite replication lag), and inside any transaction on the
primary (the comment services re-read tree state under their locks there).
"""

import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

_pinned: ContextVar[bool] = ContextVar("forum_pinned_to_primary", default=False)
PIN_COOKIE = "forum_primary_until"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if not replicas or _pinned.get() or connections["default"].in_atomic_block:
            return "default"
        return random.choice(replicas)

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the same data as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PinToPrimaryMiddleware:
    """Pin writes, and a writer's next requests, to the primary database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = request.method not in SAFE_METHODS
        try:
            recent = float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
        except ValueError:
            recent = False
        token = _pinned.set(writes or recent)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes:
            seconds = settings.FORUM_REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(time.time() + seconds),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
