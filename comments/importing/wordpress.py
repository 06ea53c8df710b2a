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
import re
from dataclasses import dataclass, field
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
    one_line,
    source_key,
    title_of,
    url_of,
)
from comments.importing.reading import ImportFileError, check_xml, local_name, read_xml, text_of

# WordPress's own namespaces, as its exports have spelled them: http or https,
# versions 1.0 to 1.2 (and later ones, by their shape). A file's own declarations
# decide (`Namespaces.declared_in`), as WordPress's importer takes them.
WP_EXPORT = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$")
WP_EXCERPT = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
CONTENT_URI = "http://purl.org/rss/1.0/modules/content/"
DC_URI = "http://purl.org/dc/elements/1.1/"
ITEM_DEPTH = 2  # rss > channel > item
POST_BODY = frozenset({f"{{{CONTENT_URI}}}encoded"})  # read whole: not a comment
SKIPPED_TYPES = {"page": "page", "attachment": "attachment"}
STATUSES = {"1": "published", "approve": "published", "0": "pending", "hold": "pending"}
SKIPPED_APPROVALS = {"spam": "spam", "trash": "trash", "post-trashed": "trash"}
SKIPPED_COMMENT_TYPES = {"pingback": "pingback", "trackback": "trackback"}
PRIVATE = "password-protected post kept private"
UNTITLED_WORDS = 8


@dataclass(frozen=True)
class Namespaces:
    """The URIs of WordPress's fields in one file: `wp`, `content`, `excerpt`, `dc`."""

    wp: str
    content: str = CONTENT_URI
    excerpt: str = ""
    dc: str = DC_URI

    @classmethod
    def declared_in(cls, declared: dict[str, str]) -> "Namespaces | None":
        """From the file's declarations: the prefix `wp` (any URI), else a URI of
        WordPress's export shape under any prefix; None when there is neither."""
        uris = list(declared.values())
        wp = declared.get("wp") or next((u for u in uris if WP_EXPORT.match(u)), "")
        if not wp:
            return None
        return cls(
            wp=wp,
            content=declared.get("content") or CONTENT_URI,
            excerpt=declared.get("excerpt") or next((u for u in uris if WP_EXCERPT.match(u)), ""),
            dc=declared.get("dc") or DC_URI,
        )


def _fields(element: Element, ns: Namespaces) -> dict[str, Element]:
    """The element's children by name: WordPress's own as "wp:name", the content,
    excerpt and Dublin Core ones as "content:name", "excerpt:name", "dc:name", the
    rest by their plain name (the first of each); other namespaces are left out."""
    prefixes = {ns.wp: "wp", ns.content: "content", ns.dc: "dc"}
    if ns.excerpt:
        prefixes[ns.excerpt] = "excerpt"
    fields: dict[str, Element] = {}
    for child in element:
        namespace, name = local_name(child.tag)
        if namespace in prefixes:
            name = f"{prefixes[namespace]}:{name}"
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


def _comments(item: Element, ns: Namespaces, summary: Summary) -> list[SourceComment]:
    records = []
    comments = (child for child in item if local_name(child.tag) == (ns.wp, "comment"))
    for order, element in enumerate(comments):
        f = _fields(element, ns)
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
                url=url_of(text_of(f.get("wp:comment_author_url"))),
                member=text_of(f.get("wp:comment_user_id")) not in {"", "0"},
            )
        )
    return records


def _untitled(body: str, published: dt.datetime | None) -> str:
    """A title readers can click for a post that has none: its first words, else its
    date."""
    words = body.split()
    if words:
        return " ".join(words[:UNTITLED_WORDS]) + ("…" if len(words) > UNTITLED_WORDS else "")
    return f"Post of {published:%-d %B %Y}" if published else "Untitled post"


def _meta(item: Element, ns: Namespaces) -> dict[str, str]:
    """An item's `wp:postmeta` as {key: value} (the first of each key)."""
    meta: dict[str, str] = {}
    for child in item:
        if local_name(child.tag) == (ns.wp, "postmeta"):
            f = _fields(child, ns)
            meta.setdefault(text_of(f.get("wp:meta_key")), text_of(f.get("wp:meta_value")))
    return meta


@dataclass
class Featured:
    """Featured images met in a file: each attachment's (URL, alt text, caption) by its
    id, and each imported article's thumbnail id by the article's source."""

    attachments: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    thumbnails: dict[str, str] = field(default_factory=dict)

    def record(self) -> int:
        """Give each article its featured image by reference (its URL, alt text and
        caption), unless it has a photo already; returns how many were given."""
        given = 0
        for source, thumbnail in self.thumbnails.items():
            found = self.attachments.get(thumbnail)
            if not found or not url_of(found[0]):
                continue
            url, alt, caption = found
            article = Article.objects.filter(source=source, image="", image_url="").first()
            if article is None:
                continue
            article.image_url, article.image_alt = url, alt[:300]
            article.caption = article.caption or caption[:500]
            article.save(update_fields=["image_url", "image_alt", "caption"])
            given += 1
        return given


def _import_item(
    item: Element, ns: Namespaces, summary: Summary, *, pages: bool, featured: Featured
) -> None:
    f = _fields(item, ns)
    if "wp:post_type" not in f and "wp:status" not in f and "wp:post_id" not in f:
        summary.skip("item without WordPress fields")
        return
    post_type = text_of(f.get("wp:post_type")) or "post"
    if post_type == "attachment":
        meta = _meta(item, ns)
        featured.attachments[text_of(f.get("wp:post_id"))] = (
            text_of(f.get("wp:attachment_url")),
            one_line(meta.get("_wp_attachment_image_alt", "") or text_of(f.get("title"))),
            one_line(text_of(f.get("excerpt:encoded"))),
        )
    if post_type not in ({"post", "page"} if pages else {"post"}):
        summary.skip(SKIPPED_TYPES.get(post_type, f"{one_line(post_type)[:40] or 'untyped'} item"))
        return
    status = text_of(f.get("wp:status"))
    if text_of(f.get("wp:post_password")):
        summary.skip(PRIVATE)  # its text and comments wait for a password there
        return
    if status == "private":
        summary.skip("private post")
        return
    if status != "publish":
        summary.skip("unpublished post")
        return
    key = text_of(f.get("guid")) or text_of(f.get("link")) or text_of(f.get("wp:post_id"))
    published = parse_time(text_of(f.get("wp:post_date_gmt")), text_of(f.get("wp:post_date")))
    body = html_to_body((f["content:encoded"].text or "") if "content:encoded" in f else "")
    title = title_of(text_of(f.get("title")) or _untitled(body, published))
    wanted_slug = slugify(unquote(text_of(f.get("wp:post_name")))) or slugify(title) or "post"
    records = _comments(item, ns, summary)
    comments_open = text_of(f.get("wp:comment_status")).lower() != "closed"

    def create(source: str) -> Article:
        return Article.objects.create(
            title=title,
            slug=unique_slug(wanted_slug),
            published=published.date() if published else None,
            body=body,
            source=source,
            comments_open=comments_open,
        )

    source = source_key("wordpress", key or title)
    thumbnail = _meta(item, ns).get("_thumbnail_id", "")
    if thumbnail:
        featured.thumbnails[source] = thumbnail
    import_article(
        source=source,
        title=title,
        find=lambda: None,
        create=create,
        records=records,
        summary=summary,
    )


def import_wordpress(path: Path, *, name: str | None = None, pages: bool = False) -> Summary:
    """Import a WXR file (see the module's docstring); returns what it did. Raises
    ImportFileError, having written nothing, for a file that is not well-formed WXR
    or declares no WordPress namespace. `pages`: import pages too, as articles."""
    check_xml(path, root="rss", depth=ITEM_DEPTH)
    summary = Summary(name or str(path))
    featured = Featured()
    declared: dict[str, str] = {}
    ns: Namespaces | None = None
    for event, element, ancestors in read_xml(
        path, depth=ITEM_DEPTH, uncapped=POST_BODY, namespaces=declared
    ):
        if event == "start" and not ancestors:
            ns = Namespaces.declared_in(declared)
            if ns is None:
                listed = ", ".join(f"{p or '(default)'}={u}" for p, u in declared.items())
                raise ImportFileError(
                    "no WordPress items: this file declares "
                    + (listed or "no namespaces")
                    + ", and none is WordPress's export namespace (xmlns:wp)"
                )
        elif event == "end" and element.tag == "item" and len(ancestors) == 2 and ns:
            _import_item(element, ns, summary, pages=pages, featured=featured)
    summary.images = featured.record()
    return summary
