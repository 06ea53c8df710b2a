"""Comment.tree_version and Comment.last_activity, kept on top-level comments.

A thread's cached HTML is keyed by its root's `tree_version`, so a reply makes
readers re-render its one thread, not the page; "Newest" sorts threads by their
root's `last_activity`. Existing roots start at their article's comments_version
and at the time of their newest published comment (their own, if none is).
"""

from django.db import migrations, models
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_roots(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Comment = apps.get_model("comments", "Comment")
    newest = (
        Comment.objects.filter(tree_id=OuterRef("tree_id"), status="published")
        .order_by()
        .values("tree_id")
        .annotate(newest=Max("created"))
        .values("newest")
    )
    version = Article.objects.filter(pk=OuterRef("article_id")).values("comments_version")
    Comment.objects.filter(level=0).update(
        tree_version=Subquery(version), last_activity=Coalesce(Subquery(newest), F("created"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_former_slugs"),
        ("comments", "0004_revisions"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="tree_version",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text=(
                    "On a top-level comment: its article's comments_version at the last write "
                    "to its thread; keys the thread's cached HTML."
                ),
                verbose_name="thread version",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="last_activity",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text=(
                    "On a top-level comment: when the newest published comment of its thread "
                    "was posted (when the thread was started, if none is); what "
                    "“Newest” sorts by."
                ),
                null=True,
                verbose_name="last activity",
            ),
        ),
        migrations.RunPython(fill_roots, migrations.RunPython.noop),
    ]
