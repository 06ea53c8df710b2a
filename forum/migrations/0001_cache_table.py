"""Create the table of every cache configured as Django's DatabaseCache.

With REDIS_URL unset the default cache (rate-limit counters, cached ban states)
is a DatabaseCache in the table `forum_cache`; this runs `createcachetable` for
it on the database being migrated, so `migrate` alone sets the site up, test
databases included. With Redis there is no database cache and it does nothing.
It also does nothing for a table that already exists (one made by hand with
`createcachetable`). If the cache settings change later (REDIS_URL removed),
run `manage.py createcachetable` once: this migration has already been applied.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.management import call_command
from django.db import migrations


def database_cache_tables() -> list[str]:
    tables = []
    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, BaseDatabaseCache) and cache._table not in tables:
            tables.append(cache._table)
    return tables


def create_cache_tables(apps, schema_editor) -> None:
    if database_cache_tables():
        call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_tables(apps, schema_editor) -> None:
    existing = set(schema_editor.connection.introspection.table_names())
    for table in database_cache_tables():
        if table in existing:
            schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.RunPython(create_cache_tables, drop_cache_tables, elidable=False),
    ]
