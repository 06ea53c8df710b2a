"""Render and store the HTML of every comment saved before bodies were rendered on save."""

from django.db import migrations

BATCH = 1000


def render_existing(apps, schema_editor):
    from comments.rendering import render_comment_body

    Comment = apps.get_model("comments", "Comment")
    pending = Comment.objects.filter(body_html="").exclude(body="").order_by("pk")
    last_pk = 0
    while True:
        batch = list(pending.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            break
        for comment in batch:
            comment.body_html = render_comment_body(comment.body, imported=comment.imported)
        Comment.objects.bulk_update(batch, ["body_html"])
        last_pk = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("comments", "0002_moderation")]

    operations = [migrations.RunPython(render_existing, migrations.RunPython.noop)]
