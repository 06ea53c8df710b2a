"""Article.comment_count: the comments every reader can see, counted once here and
kept up to date by the comment services from now on."""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Q, Subquery


def count_existing(apps, schema_editor):
    # A frozen copy of the rule at the time of this migration: only published
    # comments are visible to every reader.
    Article = apps.get_model("articles", "Article")
    Comment = apps.get_model("comments", "Comment")
    visible = (
        Comment.objects.filter(article=OuterRef("pk"))
        .values("article")
        .annotate(n=Count("pk", filter=Q(status="published")))
        .values("n")
    )
    Article.objects.update(comment_count=models.functions.Coalesce(Subquery(visible), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_comments_version"),
        ("comments", "0003_render_existing_bodies"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="comment_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Comments every reader can see; kept by the comment services in the same transaction as each write.",
                verbose_name="comments",
            ),
        ),
        migrations.RunPython(count_existing, migrations.RunPython.noop),
    ]
