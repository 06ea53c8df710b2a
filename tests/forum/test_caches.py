"""The cache layout: shared state in the database (or Redis), pages per process."""

import sqlite3

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection

from tests.settings_env import manage, setting_values

LAYOUT = ["CACHES", "SESSION_ENGINE", "FORUM_PAGE_CACHE"]


def tables(path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_without_redis_shared_state_lives_in_the_database_and_sessions_skip_the_cache():
    layout = setting_values(LAYOUT, DJANGO_DEBUG="1")

    assert "django.core.cache.backends.db.DatabaseCache" in layout["CACHES"]
    assert "'LOCATION': 'forum_cache'" in layout["CACHES"]
    assert (
        "'pages': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'" in (layout["CACHES"])
    )
    assert layout["SESSION_ENGINE"] == "'django.contrib.sessions.backends.db'"
    assert layout["FORUM_PAGE_CACHE"] == "'pages'"


def test_with_redis_both_caches_use_it_under_their_own_prefixes():
    layout = setting_values(LAYOUT, DJANGO_DEBUG="1", REDIS_URL="redis://cache:6379/2")

    caches_repr = layout["CACHES"]
    assert caches_repr.count("'LOCATION': 'redis://cache:6379/2'") == 2
    assert "'KEY_PREFIX': 'forum'" in caches_repr
    assert "'KEY_PREFIX': 'forum-pages'" in caches_repr
    assert "DatabaseCache" not in caches_repr and "LocMemCache" not in caches_repr
    assert layout["SESSION_ENGINE"] == "'django.contrib.sessions.backends.cached_db'"


def test_the_test_database_has_the_cache_table_and_the_default_cache_uses_it(db):
    assert isinstance(caches["default"], DatabaseCache)
    assert "forum_cache" in connection.introspection.table_names()
    caches["default"].set("greeting", {"hello": "world"})
    assert caches["default"].get("greeting") == {"hello": "world"}
    assert settings.FORUM_PAGE_CACHE in caches.settings


def test_migrate_alone_creates_the_cache_table_and_unmigrating_drops_it(tmp_path):
    path = tmp_path / "site.sqlite3"
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{path}"}

    assert manage("migrate", "--noinput", **env).returncode == 0
    assert "forum_cache" in tables(path)
    assert manage("createcachetable", **env).returncode == 0  # an existing table is fine
    assert manage("migrate", "forum", "zero", "--noinput", **env).returncode == 0
    assert "forum_cache" not in tables(path)
    assert manage("migrate", "--noinput", **env).returncode == 0
    assert "forum_cache" in tables(path)


def test_the_cache_table_migration_does_nothing_when_redis_is_the_cache(tmp_path):
    path = tmp_path / "site.sqlite3"
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{path}", "REDIS_URL": "redis://x/0"}

    result = manage("migrate", "--noinput", **env)

    assert result.returncode == 0, result.stderr
    assert "django_session" in tables(path)
    assert "forum_cache" not in tables(path)
    assert manage("migrate", "forum", "zero", "--noinput", **env).returncode == 0


@pytest.mark.parametrize("alias", ["default", "pages"])
def test_both_caches_keep_what_they_are_given(db, alias):
    caches[alias].set("k", 1)
    assert caches[alias].add("k", 2) is False
    assert caches[alias].get("k") == 1
