import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article
from comments import services
from comments.exports import export_json
from comments.importing.wordpress import import_wordpress
from comments.models import Comment
from tests.trees import assert_valid_trees

WXR = Path(__file__).parent / "importing" / "fixtures" / "wordpress.xml"


def test_the_json_export_has_the_documented_shape_and_only_visible_comments(thread, moderator):
    services.comments_remove(comments=[thread["reply"]], by=moderator, reason="Rude.")
    out = StringIO()

    call_command("export_comments", "--article", "a-quiet-week", stdout=out)

    data = json.loads(out.getvalue())
    (article,) = data["articles"]
    assert set(article) == {"slug", "title", "url", "published", "comments"}
    assert article["slug"] == "a-quiet-week"
    assert article["url"].endswith("/articles/a-quiet-week/")
    root, deep, second = article["comments"]
    assert set(root) == {"id", "parent", "author", "created", "text", "html"}
    assert (root["author"], root["text"], root["html"]) == ("reader", "Root", "<p>Root</p>")
    assert root["parent"] is None
    # The removed reply is left out; its reply answers the nearest visible comment.
    assert (deep["id"], deep["parent"]) == (thread["deep"].pk, thread["root"].pk)
    assert second["parent"] is None
    assert root["created"] == thread["root"].created.isoformat().replace("+00:00", "Z")


def test_the_json_export_never_holds_guests_addresses_or_held_comments(db):
    import_wordpress(WXR)
    out = StringIO()

    count = export_json(Article.objects.order_by("pk"), out)

    assert count == 6 - 1  # Walter's comment is held
    assert "@" not in out.getvalue() and "Held for moderation" not in out.getvalue()
    assert "李雷" in out.getvalue()  # written as UTF-8, not escaped


def snapshot():
    """Each article's trees as (level, author, time, HTML) in reading order; times to
    the second, as WXR writes them."""
    return {
        article.slug: [
            (c.level, c.display_name, c.created.replace(microsecond=0), c.body_html, c.status)
            for c in Comment.objects.filter(article=article).order_by("tree_id", "lft")
        ]
        for article in Article.objects.order_by("slug")
    }


MARKDOWN = "*Markdown*, a [link](https://example.org) & a list:\n\n- one\n- two\n\n```\na\n\nb\n```"


# Emptying the forum (flush) cannot run inside the test's transaction on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_a_wxr_export_imported_into_an_empty_forum_gives_the_same_trees(
    tmp_path, seeded_article, thread, moderator
):
    """Every comment here is visible, so all of them make the trip."""
    import_wordpress(WXR)
    root = thread["root"]
    services.comment_create(
        article=root.article, parent=thread["deep"], author=root.author, body=MARKDOWN
    )
    services.comments_approve(comments=Comment.objects.filter(status="pending"), by=moderator)
    before = snapshot()
    article_fields = {a.slug: (a.title, a.published, a.paragraphs) for a in Article.objects.all()}
    export = tmp_path / "forum.xml"
    call_command("export_comments", "--format", "wxr", "--output", str(export), stderr=StringIO())
    call_command("flush", interactive=False, verbosity=0)
    assert not Comment.objects.exists()

    summary = import_wordpress(export)

    assert summary.new_articles == len(before) and summary.top_level == 0
    assert snapshot() == before
    assert {
        a.slug: (a.title, a.published, a.paragraphs) for a in Article.objects.all()
    } == article_fields
    assert_valid_trees()
