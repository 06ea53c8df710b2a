"""WordPress eXtended RSS (WXR 1.0 to 1.2), as Tools → Export writes it.

Published posts (`wp:post_type` post, `wp:status` publish) become articles;
pages, attachments, unpublished posts and other item types are skipped and
counted. Each item's `wp:comment`s become its tree through `wp:comment_parent`:
approved (`1`) comments are published, unapproved (`0`) held, spam and trash
skipped; pingbacks and trackbacks skipped. Times are the `_gmt` ones, in UTC.
An item is imported as soon as it has been read, so only one post's comments are
ever in memory.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from django.utils.text import slugify

from articles.models import Article
from articles.slugs import unique_slug
from comments.importing import (
    SourceComment,
    Summary,
    author_name_of,
    email_of,
    html_to_body,
    import_article,
    source_key,
    title_of,
)
from comments.importing.reading import check_xml, local_name, read_xml, text_of

WP_NAMESPACES = {
    "http://wordpress.org/export/1.0/",
    "http://wordpress.org/export/1.1/",
    "http://wordpress.org/export/1.2/",
}
COMMENT_TAGS = {(namespace, "comment") for namespace in WP_NAMESPACES}
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
ITEM_DEPTH = 2  # rss > channel > item
POST_BODY = frozenset({f"{{{CONTENT_NAMESPACE}}}encoded"})  # read whole: not a comment
SKIPPED_TYPES = {"page": "page", "attachment": "attachment"}
STATUSES = {"1": "published", "approve": "published", "0": "pending", "hold": "pending"}
SKIPPED_APPROVALS = {"spam": "spam", "trash": "trash", "post-trashed": "trash"}
SKIPPED_COMMENT_TYPES = {"pingback": "pingback", "trackback": "trackback"}


def _fields(element: Element) -> dict[str, Element]:
    """The element's children by name: WordPress's own as "wp:name", content:encoded
    as "content", the rest by their plain name (the first of each)."""
    fields: dict[str, Element] = {}
    for child in element:
        namespace, name = local_name(child.tag)
        if namespace in WP_NAMESPACES:
            name = f"wp:{name}"
        elif namespace == CONTENT_NAMESPACE:
            name = f"content:{name}"
        elif namespace:
            continue
        fields.setdefault(name, child)
    return fields


def parse_time(gmt: str, local: str = "") -> dt.datetime | None:
    """A WXR time ("2021-05-03 10:20:30") in UTC; the local time when the GMT one is
    missing or zero (as in drafts), taken as UTC; None when neither is a time."""
    for text in (gmt, local):
        try:
            return dt.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    return None


def _comments(item: Element, summary: Summary) -> list[SourceComment]:
    records = []
    comments = (child for child in item if local_name(child.tag) in COMMENT_TAGS)
    for order, element in enumerate(comments):
        f = _fields(element)
        kind = text_of(f.get("wp:comment_type")).lower()
        approved = text_of(f.get("wp:comment_approved")).lower()
        if kind in SKIPPED_COMMENT_TYPES:
            summary.skip(SKIPPED_COMMENT_TYPES[kind])
            continue
        if approved in SKIPPED_APPROVALS:
            summary.skip(SKIPPED_APPROVALS[approved])
            continue
        comment_id = text_of(f.get("wp:comment_id"))
        if not comment_id:
            summary.skip("comment without an id")
            continue
        parent = text_of(f.get("wp:comment_parent"))
        records.append(
            SourceComment(
                source_id=f"wordpress:{comment_id}",
                parent_id=f"wordpress:{parent}" if parent not in {"", "0"} else "",
                author_name=author_name_of(text_of(f.get("wp:comment_author"))),
                email=email_of(text_of(f.get("wp:comment_author_email"))),
                ip=text_of(f.get("wp:comment_author_IP")),
                created=parse_time(
                    text_of(f.get("wp:comment_date_gmt")), text_of(f.get("wp:comment_date"))
                ),
                html=(f["wp:comment_content"].text or "") if "wp:comment_content" in f else "",
                status=STATUSES.get(approved, "pending"),
                order=order,
            )
        )
    return records


def _import_item(item: Element, summary: Summary) -> None:
    f = _fields(item)
    post_type = text_of(f.get("wp:post_type")) or "post"
    if post_type != "post":
        summary.skip(SKIPPED_TYPES.get(post_type, "other item"))
        return
    if text_of(f.get("wp:status")) != "publish":
        summary.skip("unpublished post")
        return
    key = text_of(f.get("guid")) or text_of(f.get("link")) or text_of(f.get("wp:post_id"))
    title = title_of(text_of(f.get("title")))
    published = parse_time(text_of(f.get("wp:post_date_gmt")), text_of(f.get("wp:post_date")))
    body = html_to_body((f["content:encoded"].text or "") if "content:encoded" in f else "")
    wanted_slug = slugify(unquote(text_of(f.get("wp:post_name")))) or title
    records = _comments(item, summary)

    def create(source: str) -> Article:
        return Article.objects.create(
            title=title,
            slug=unique_slug(wanted_slug),
            published=published.date() if published else None,
            body=body,
            source=source,
        )

    import_article(
        source=source_key("wordpress", key or title),
        title=title,
        find=lambda: None,
        create=create,
        records=records,
        summary=summary,
    )


def import_wordpress(path: Path, *, name: str | None = None) -> Summary:
    """Import a WXR file (see the module's docstring); returns what it did. Raises
    ImportFileError, having written nothing, for a file that is not well-formed WXR."""
    check_xml(path, root="rss", depth=ITEM_DEPTH)
    summary = Summary(name or str(path))
    for event, element, ancestors in read_xml(path, depth=ITEM_DEPTH, uncapped=POST_BODY):
        if event == "end" and element.tag == "item" and len(ancestors) == 2:
            _import_item(element, summary)
    return summary
