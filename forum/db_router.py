"""Read replicas: each request reads from one database, writes go to the primary.

Active when DATABASE_REPLICA_URLS names replicas (see settings).

Invariant: within one request every read goes to the same database, chosen once
by ReadDatabaseMiddleware, so rows read early (an article and its
comments_version) and rows read later (its comments) come from one snapshot
source and cannot mix a fresh replica with a lagging one. The choice is the
primary when the request writes (any method but GET/HEAD/OPTIONS), for
FORUM_REPLICA_PIN_SECONDS after its client last wrote (so readers see their own
comment at once despite replication lag), else one replica picked at random.
Reads inside a transaction on the primary stay there (the comment services
re-read tree state under their locks), and so do reads of the database cache's
table: rate-limit counters must be read where they are written.

Outside a request (management commands, the shell) reads go to the primary:
commands read what they have just written and are not the load replicas are for.
"""

import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

_read_alias: ContextVar[str | None] = ContextVar("forum_read_alias", default=None)
PIN_COOKIE = "forum_primary_until"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Django's DatabaseCache gives its table this app label (django.core.cache.backends.db).
CACHE_APP_LABEL = "django_cache"


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if model is not None and model._meta.app_label == CACHE_APP_LABEL:
            return "default"
        if connections["default"].in_atomic_block:
            return "default"
        return _read_alias.get() or "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the same data as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PinToPrimaryMiddleware:
    """Choose the one database the request reads from: the primary for writes and a
    writer's next requests, else a random replica (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = request.method not in SAFE_METHODS
        try:
            recent = float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
        except ValueError:
            recent = False
        replicas = replica_aliases()
        alias = "default" if writes or recent or not replicas else random.choice(replicas)
        token = _read_alias.set(alias)
        try:
            response = self.get_response(request)
        finally:
            _read_alias.reset(token)
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
