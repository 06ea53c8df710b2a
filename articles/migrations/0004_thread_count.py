"""Article.thread_count: top-level comments (any status), counted once here and kept
by the comment services from now on, so a page number can be checked before any
comment is read."""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery


def count_existing(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Comment = apps.get_model("comments", "Comment")
    roots = (
        Comment.objects.filter(article=OuterRef("pk"), level=0)
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Article.objects.update(thread_count=models.functions.Coalesce(Subquery(roots), 0))


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_comment_count")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="thread_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Top-level comments of any status: what the article's pages are counted in.",
                verbose_name="threads",
            ),
        ),
        migrations.RunPython(count_existing, migrations.RunPython.noop),
    ]
