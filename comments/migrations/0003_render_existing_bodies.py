"""Render and store the HTML of every comment saved before bodies were rendered on save."""

import nh3
from django.db import migrations
from django.utils.html import escape, linebreaks
from markdown_it import MarkdownIt

BATCH = 1000

# A frozen copy of comments/rendering.py as it was when this migration was
# written: migrations must not import live app code, which changes after them.
_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False}).disable(
    ["heading", "lheading", "hr", "image", "html_block", "html_inline"]
)


def render_comment_body(text: str, *, imported: bool) -> str:
    if imported:
        return linebreaks(escape(text)) if text else ""
    return nh3.clean(
        _markdown.render(text),
        tags={"p", "br", "em", "strong", "a", "code", "pre", "blockquote", "ul", "ol", "li"},
        attributes={"a": {"href", "title"}, "ol": {"start"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    ).strip()


def render_existing(apps, schema_editor):
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
