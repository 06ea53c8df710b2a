"""GIN indexes for full-text search, on PostgreSQL only (SQLite searches with LIKE).

Expression indexes, so no column is added to the articles' and comments' tables
and nothing has to keep one in sync: the search queries (search/queries.py)
build the same expressions, which is what lets PostgreSQL use these indexes.
The comments' index holds published comments only, the ones search may find.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Q

CONFIG = "english"


def indexes(apps):
    article = apps.get_model("articles", "Article")
    comment = apps.get_model("comments", "Comment")
    return [
        (
            article,
            GinIndex(
                SearchVector("title", weight="A", config=CONFIG)
                + SearchVector("body", weight="B", config=CONFIG),
                name="article_search_idx",
            ),
        ),
        (
            comment,
            GinIndex(
                SearchVector("body", config=CONFIG),
                name="comment_search_idx",
                condition=Q(status__in=["published"]),
            ),
        ),
    ]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in indexes(apps):
        schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_former_slugs"),
        ("comments", "0006_visits"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
