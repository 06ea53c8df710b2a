"""Comments out of the forum: as JSON (documented in the README), or as a WordPress
export (WXR 1.2) that WordPress, and this forum's `import_wordpress`, can read.

Only what every reader may see leaves (policy.visible_to_everyone_q): the text
and HTML as shown, the author's name as shown, the time. Guests' addresses never
do. A comment whose parent is hidden (held, removed, deleted) is given as a
reply to its nearest visible ancestor, or as a thread of its own, so the
conversation reads as it does on the site. Articles are written one at a time,
comments streamed, so memory does not grow with the forum.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from django.utils.html import linebreaks

from articles.models import Article
from comments import policy
from comments.models import Comment
from forum.links import absolute_url

WP = "http://wordpress.org/export/1.2/"


def _visible_parent(comment_parent: int | None, hidden: dict[int, int | None]) -> int | None:
    parent = comment_parent
    while parent is not None and parent in hidden:
        parent = hidden[parent]
    return parent


def visible_comments(article: Article) -> Iterator[tuple[Comment, int | None]]:
    """(comment, the id of its nearest visible ancestor or None) for every comment of
    the article every reader may see, in reading order."""
    hidden = dict(
        Comment.objects.filter(article=article)
        .exclude(policy.visible_to_everyone_q())
        .values_list("pk", "parent_id")
    )
    comments = (
        Comment.objects.filter(policy.visible_to_everyone_q(), article=article)
        .select_related("author")
        .order_by("tree_id", "lft")
    )
    for comment in comments.iterator(chunk_size=2000):
        yield comment, _visible_parent(comment.parent_id, hidden)


def _time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def comment_record(comment: Comment, parent: int | None) -> dict:
    """A comment in the JSON shape the README documents."""
    return {
        "id": comment.pk,
        "parent": parent,
        "author": comment.display_name,
        "created": _time(comment.created),
        "text": comment.body,
        "html": comment.body_html,
    }


def article_record(article: Article) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "url": absolute_url(article.get_absolute_url()),
        "published": article.published.isoformat() if article.published else None,
    }


def export_json(articles: Iterable[Article], out: TextIO) -> int:
    """Write `{"articles": [{slug, title, url, published, comments: [...]}]}`; returns
    the number of comments written."""
    count = 0
    out.write('{"articles": [')
    for index, article in enumerate(articles):
        head = json.dumps(article_record(article), ensure_ascii=False)
        out.write(("," if index else "") + "\n  " + head[:-1] + ', "comments": [')
        for number, (comment, parent) in enumerate(visible_comments(article)):
            record = json.dumps(comment_record(comment, parent), ensure_ascii=False)
            out.write(("," if number else "") + "\n    " + record)
            count += 1
        out.write("\n  ]}")
    out.write("\n]}\n")
    return count


def _element(name: str, value: str | int) -> str:
    return f"<{name}>{escape(str(value))}</{name}>"


def _wp_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _wxr_comment(comment: Comment, parent: int | None) -> str:
    fields = [
        _element("wp:comment_id", comment.pk),
        _element("wp:comment_author", comment.display_name),
        _element("wp:comment_author_email", ""),
        _element("wp:comment_author_url", ""),
        _element("wp:comment_author_IP", ""),
        _element("wp:comment_date", _wp_time(comment.created)),
        _element("wp:comment_date_gmt", _wp_time(comment.created)),
        _element("wp:comment_content", comment.body_html),
        _element("wp:comment_approved", 1),
        _element("wp:comment_type", "comment"),
        _element("wp:comment_parent", parent or 0),
        _element("wp:comment_user_id", 0),
    ]
    return "\t\t<wp:comment>\n\t\t\t" + "\n\t\t\t".join(fields) + "\n\t\t</wp:comment>\n"


def _wxr_item_head(article: Article) -> str:
    url = absolute_url(article.get_absolute_url())
    date = (
        datetime.combine(article.published, datetime.min.time(), tzinfo=UTC)
        if article.published
        else article.created
    )
    body = "\n\n".join(linebreaks(p, autoescape=True) for p in article.paragraphs)
    fields = [
        _element("title", article.title),
        _element("link", url),
        f"<guid isPermaLink={quoteattr('false')}>{escape(url)}</guid>",
        _element("description", ""),
        _element("content:encoded", body),
        _element("wp:post_id", article.pk),
        _element("wp:post_date", _wp_time(date)),
        _element("wp:post_date_gmt", _wp_time(date)),
        _element("wp:comment_status", "open" if article.comments_open else "closed"),
        _element("wp:ping_status", "closed"),
        _element("wp:post_name", article.slug),
        _element("wp:status", "publish"),
        _element("wp:post_parent", 0),
        _element("wp:menu_order", 0),
        _element("wp:post_type", "post"),
        _element("wp:is_sticky", 0),
    ]
    return "\t<item>\n\t\t" + "\n\t\t".join(fields) + "\n"


def export_wxr(articles: Iterable[Article], out: TextIO) -> int:
    """Write a WXR 1.2 file of the articles and their visible comments; returns the
    number of comments written."""
    count = 0
    out.write(
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{WP}">\n<channel>\n'
        f"\t{_element('title', 'Forum')}\n\t{_element('link', absolute_url('/'))}\n"
        f"\t{_element('description', '')}\n\t{_element('wp:wxr_version', '1.2')}\n"
    )
    for article in articles:
        out.write(_wxr_item_head(article))
        for comment, parent in visible_comments(article):
            out.write(_wxr_comment(comment, parent))
            count += 1
        out.write("\t</item>\n")
    out.write("</channel>\n</rss>\n")
    return count


def own_comments(user) -> dict:
    """A reader's own comments that they can see on the site (published and held; not
    those a moderator removed or they deleted), newest first, for them to download:
    `{"user", "exported", "comments": [{id, parent, author, created, text, html,
    status, article: {slug, title, url, published}}]}`."""
    viewer = policy.Viewer.of(user)
    comments = (
        Comment.objects.filter(author=user)
        .select_related("article", "author")
        .order_by("-created", "-pk")
    )
    records = []
    for comment in comments.iterator(chunk_size=2000):
        if not policy.can_see(comment.status, comment.author_id, viewer, pk=comment.pk):
            continue
        record = comment_record(comment, comment.parent_id)
        record["status"] = comment.status
        record["article"] = article_record(comment.article)
        records.append(record)
    return {
        "user": user.get_username(),
        "exported": _time(datetime.now(UTC)),
        "comments": records,
    }
