"""Redis is a hint, never a point of failure: while it is down the caches answer
misses, sessions come from the database and rate limits fail open."""

import ast
import logging
import socket
import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from forum import cache_backends
from forum.throttle import hit
from tests.redis_server import HAVE_REDIS, RedisServer, free_port
from tests.settings_env import setting_values

pytestmark = pytest.mark.skipif(not HAVE_REDIS, reason="needs redis-server on PATH")
BREAKER_SECONDS = 0.3


def redis_caches(url: str) -> dict:
    """The CACHES the settings build for REDIS_URL=url, skipping Redis for only
    BREAKER_SECONDS after a failure so the tests need not wait long."""
    layout = ast.literal_eval(setting_values(["CACHES"], DJANGO_DEBUG="1", REDIS_URL=url)["CACHES"])
    for params in layout.values():
        params.setdefault("OPTIONS", {})["breaker_seconds"] = BREAKER_SECONDS
    return layout


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(port=free_port(), directory=tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_settings(settings, redis_server):
    """The production layout with REDIS_URL pointing at the private server."""
    settings.CACHES = redis_caches(redis_server.url)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return settings


def every_cache_call(cache) -> dict:
    """Each method of Django's cache API once, with what it returned."""
    results = {
        "set": cache.set("k", 1),
        "get": cache.get("k", "default"),
        "add": cache.add("fresh", 1),
        "get_many": cache.get_many(["k", "fresh"]),
        "has_key": cache.has_key("k"),
        "touch": cache.touch("k", 60),
        "set_many": cache.set_many({"a": 1, "b": 2}),
        "get_or_set": cache.get_or_set("c", 3),
        "delete": cache.delete("a"),
        "delete_many": cache.delete_many(["b"]),
    }
    try:
        results["incr"] = cache.incr("k")
    except ValueError:
        results["incr"] = ValueError
    results["clear"] = cache.clear()
    return results


def test_with_redis_up_the_cache_keeps_what_it_is_given(redis_settings, db):
    results = every_cache_call(caches["default"])

    assert results["get"] == 1
    assert results["add"] is True
    assert results["get_many"] == {"k": 1, "fresh": 1}
    assert results["incr"] == 2
    assert results["set_many"] == []


def test_with_redis_down_every_cache_call_is_a_miss_not_an_error(redis_settings, redis_server):
    redis_server.stop()

    for alias in ("default", "pages"):
        results = every_cache_call(caches[alias])
        assert results == {
            "set": None,
            "get": "default",
            "add": False,
            "get_many": {},
            "has_key": False,
            "touch": False,
            "set_many": ["a", "b"],
            "get_or_set": 3,
            "delete": False,
            "delete_many": None,
            "incr": ValueError,
            "clear": False,
        }


def test_with_redis_down_rate_limits_fail_open_and_say_so(redis_settings, redis_server, caplog):
    assert [hit("fail-open", "k", "1/h") for _ in range(2)][1] > 0  # enforced while up
    redis_server.stop()

    with caplog.at_level(logging.WARNING):
        allowed = [hit("fail-open", "k", "1/h") for _ in range(5)]

    assert allowed == [0] * 5
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("unavailable" in m and redis_server.url in m for m in messages), messages
    assert any("Rate limit 'fail-open' not enforced" in m for m in messages), messages
    assert len(messages) == 2, "one warning each, not one per call"


def test_the_cache_recovers_by_itself_when_redis_comes_back(
    redis_settings, redis_server, caplog, monkeypatch
):
    cache = caches["default"]
    redis_server.stop()
    cache.set("k", "lost")
    assert cache.get("k") is None

    redis_server.start()
    later = time.monotonic() + BREAKER_SECONDS + 0.1
    monkeypatch.setattr(cache_backends.time, "monotonic", lambda: later)  # the skip is over
    cache.set("k", "kept")

    assert cache.get("k") == "kept"
    assert any("reachable again" in r.getMessage() for r in caplog.records)
    assert [hit("test", "back", "1/h") for _ in range(2)][1] > 0  # enforced again


def test_a_hung_redis_costs_one_short_timeout_then_is_skipped(settings, caplog):
    """A host that accepts connections and never answers: the first call gives up
    within the socket timeout, later calls skip Redis until the breaker closes."""
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen()
        settings.CACHES = redis_caches(f"redis://127.0.0.1:{hung.getsockname()[1]}/0")
        cache = caches["default"]

        started = time.monotonic()
        assert cache.get("k") is None
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(20):
            assert cache.get("k") is None
        later = time.monotonic() - started

    assert first < 1.0
    assert later < 0.1


def test_pages_and_sessions_work_with_redis_down(redis_settings, redis_server, client, article):
    home = reverse("articles:article-list")
    assert client.get(home).status_code == 200
    redis_server.stop()

    assert client.get(home).status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
    signup = client.post(
        reverse("account_signup"),
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": "a-long-passphrase-9",
            "password2": "a-long-passphrase-9",
        },
    )
    assert signup.status_code == 302
    # The session was written to the database only; the next request reads it there.
    assert client.get(home).wsgi_request.user.username == "newcomer"


def test_logging_in_works_with_redis_down_and_wrong_passwords_still_lock_out(
    redis_settings, redis_server, client, reader, settings
):
    """django-allauth's failed-log-in limit counts in the cache and would refuse every
    log-in while it is down; it steps aside (failing open like the forum's own
    limits), and django-axes, which counts in the database, still locks out."""
    redis_server.stop()
    login = reverse("account_login")

    started = time.monotonic()
    response = client.post(login, {"login": "reader", "password": "a-long-passphrase-1"})

    assert response.status_code == 302
    assert time.monotonic() - started < 1.0
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"login": "reader", "password": "wrong"})
    locked = client.post(login, {"login": "reader", "password": "a-long-passphrase-1"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
