"""The read-replica router: one read database per request, writes on the primary."""

import time

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from forum import db_router
from forum.db_router import PIN_COOKIE, PinToPrimaryMiddleware, PrimaryReplicaRouter
from tests.settings_env import load_settings


@pytest.fixture
def router(monkeypatch):
    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica1"])
    return PrimaryReplicaRouter()


def seen_by_view(router, request) -> str:
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(None)
        return HttpResponse()

    PinToPrimaryMiddleware(view)(request)
    return seen["db"]


def test_reads_go_to_a_replica_and_writes_to_the_primary(router):
    assert seen_by_view(router, RequestFactory().get("/")) == "replica1"
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica1", "comments") is False


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(router):
    with transaction.atomic():
        assert router.db_for_read(None) == "default"


def test_every_read_of_one_request_goes_to_the_same_replica(monkeypatch):
    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica1", "replica2"])
    router = PrimaryReplicaRouter()
    per_request = []

    def view(request):
        per_request.append({router.db_for_read(None) for _ in range(50)})
        return HttpResponse()

    for _ in range(40):
        PinToPrimaryMiddleware(view)(RequestFactory().get("/"))

    assert all(len(aliases) == 1 for aliases in per_request), per_request
    assert set().union(*per_request) == {"replica1", "replica2"}


def test_outside_a_request_reads_go_to_the_primary(router):
    assert router.db_for_read(None) == "default"


def test_the_database_cache_is_read_from_the_primary(router):
    """Rate-limit counters are written on the primary; a lagging replica would undercount."""
    cache_entry = DatabaseCache("forum_cache", {}).cache_model_class
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(cache_entry)
        return HttpResponse()

    PinToPrimaryMiddleware(view)(RequestFactory().get("/"))

    assert seen["db"] == "default"


def test_a_writing_request_and_its_clients_next_requests_use_the_primary(router, settings):
    settings.FORUM_REPLICA_PIN_SECONDS = 10
    factory = RequestFactory()
    post = factory.post("/")
    response = PinToPrimaryMiddleware(lambda r: HttpResponse())(post)

    assert seen_by_view(router, factory.post("/")) == "default"
    assert float(response.cookies[PIN_COOKIE].value) > time.time()
    follow_up = factory.get("/", HTTP_COOKIE=f"{PIN_COOKIE}={time.time() + 5}")
    assert seen_by_view(router, follow_up) == "default"
    later = factory.get("/", HTTP_COOKIE=f"{PIN_COOKIE}={time.time() - 1}")
    assert seen_by_view(router, later) == "replica1"
    assert seen_by_view(router, factory.get("/", HTTP_COOKIE=f"{PIN_COOKIE}=junk")) == "replica1"


def test_replica_urls_configure_replicas_and_the_router():
    result = load_settings(
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://forum@primary:5432/forum",
        DATABASE_REPLICA_URLS="postgres://forum@r1:5432/forum, postgres://forum@r2:5432/forum",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[2:] == [
        "default,replica1,replica2",
        "forum.db_router.PrimaryReplicaRouter",
    ]
    assert load_settings(DJANGO_DEBUG="1").stdout.split()[2:] == ["default", "-"]
