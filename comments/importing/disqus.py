"""Disqus XML exports (Admin → Moderation → Export), as Disqus documents them.

The root `disqus` holds `category`, then every `thread` (a page that had a
discussion: link, title, createdAt, its identifier), then every `post`, each
naming its thread and, for a reply, its parent by `dsq:id`. A thread becomes an
article, or joins an existing article whose URL is the path of its link or whose
slug is its identifier (or the last part of its link); threads with nothing to
import are skipped. A thread closed on Disqus (`isClosed`) makes a new article
closed to new comments; a deleted thread (`isDeleted`: the site took the page's
discussion down) is not imported, nor are its posts. Deleted and spam posts are
skipped; every author is a guest, under their name.

Posts come after all threads, in no order of thread, so they are held until the
file ends: only their small fields in memory (ids, name, address, time, status),
each message written to a temporary file and read back when its thread is
imported, one thread at a time.
"""

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from django.urls import Resolver404, resolve

from articles.models import Article, FormerSlug
from articles.slugs import unique_slug
from comments.importing import (
    SourceComment,
    Summary,
    author_name_of,
    email_of,
    import_article,
    source_key,
    title_of,
)
from comments.importing.reading import check_xml, read_xml, text_of

NAMESPACE = "http://disqus.com"
INTERNALS = "http://disqus.com/disqus-internals"
DSQ_ID = f"{{{INTERNALS}}}id"
RECORD_DEPTH = 1  # the ancestors of a record: disqus > thread | post


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _child(element: Element, *path: str) -> Element | None:
    for name in path:
        if element is None:
            return None
        element = element.find(_tag(name))
    return element


def _true(element: Element | None) -> bool:
    return text_of(element).lower() == "true"


def parse_time(text: str) -> dt.datetime | None:
    """Disqus's createdAt ("2021-05-03T10:05:09Z") as an aware UTC time; None if it is not one."""
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


@dataclass
class _Thread:
    dsq_id: str
    link: str
    title: str
    identifier: str
    created: dt.datetime | None
    closed: bool = False
    deleted: bool = False
    posts: list[SourceComment] = field(default_factory=list)


class _Messages:
    """Post messages spooled to a temporary file, each read back once, by position."""

    def __init__(self, spool: IO[bytes]) -> None:
        self.spool = spool

    def put(self, text: str) -> str:
        data = text.encode("utf-8")
        self.spool.seek(0, 2)
        where = f"{self.spool.tell()}:{len(data)}"
        self.spool.write(data)
        return where

    def get(self, where: str) -> str:
        start, length = (int(n) for n in where.split(":"))
        self.spool.seek(start)
        return self.spool.read(length).decode("utf-8")


# What a page's address may end in on the site a discussion comes from ("229.html"),
# and the names of a folder's own page ("…/my-trip/index.html" is the page "my-trip").
PAGE_EXTENSIONS = frozenset({"html", "htm", "shtml", "php", "asp", "aspx", "jsp"})
FOLDER_PAGES = frozenset({"index", "default"})


def _page_name(path: str) -> str:
    """The name of the page at `path`: its last part, without a page extension, or its
    folder's for a folder's own page ("/blog/229_8880.html" reads "229_8880",
    "/blog/my-trip/index.html" "my-trip"); "" for the site's root."""
    parts = [part for part in path.split("/") if part]
    while parts:
        stem, dot, extension = parts[-1].rpartition(".")
        name = stem if dot and stem and extension.lower() in PAGE_EXTENSIONS else parts[-1]
        if name.lower() not in FOLDER_PAGES:
            return name
        parts.pop()
    return ""


def _slug_in_link(link: str) -> str:
    """The slug of an article of this forum at the link's path, or the name of the page
    there (`_page_name`)."""
    path = urlsplit(link).path or "/"
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is not None and match.view_name == "comments:article":
        return match.kwargs["slug"]
    return _page_name(path)


def _untitled(thread: _Thread) -> str:
    """A title readers can click for a thread that has none: the name of its page
    ("my-trip" reads "My trip"), else its date."""
    name = " ".join(
        _page_name(urlsplit(thread.link).path).replace("_", " ").replace("-", " ").split()
    )
    if name:
        return name[0].upper() + name[1:]
    if thread.created:
        return f"Discussion of {thread.created:%-d %B %Y}"
    return "Untitled discussion"


def _find(thread: _Thread) -> Article | None:
    """The existing article this thread discussed: by its link's path, else its identifier."""
    for slug in (_slug_in_link(thread.link), thread.identifier):
        if not slug:
            continue
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            former = FormerSlug.objects.select_related("article").filter(slug=slug).first()
            article = former.article if former else None
        if article is not None:
            return article
    return None


def _read_thread(element: Element) -> _Thread:
    return _Thread(
        dsq_id=element.get(DSQ_ID, ""),
        link=text_of(_child(element, "link")),
        title=text_of(_child(element, "title")),
        identifier=text_of(_child(element, "id")),
        created=parse_time(text_of(_child(element, "createdAt"))),
        closed=_true(_child(element, "isClosed")),
        deleted=_true(_child(element, "isDeleted")),
    )


def _read_post(element: Element, order: int, messages: _Messages, summary: Summary):
    """(thread dsq:id, the post) for a post to import; None for one skipped (counted)."""
    if _true(_child(element, "isDeleted")):
        summary.skip("deleted")
        return None
    if _true(_child(element, "isSpam")):
        summary.skip("spam")
        return None
    post_id = element.get(DSQ_ID, "")
    thread = _child(element, "thread")
    thread_id = thread.get(DSQ_ID, "") if thread is not None else ""
    if not post_id or not thread_id:
        summary.skip("post without an id or a thread")
        return None
    parent = _child(element, "parent")
    parent_id = parent.get(DSQ_ID, "") if parent is not None else ""
    author = _child(element, "author")
    name = text_of(_child(author, "name")) or text_of(_child(author, "username"))
    message = _child(element, "message")
    post = SourceComment(
        source_id=f"disqus:{post_id}",
        parent_id=f"disqus:{parent_id}" if parent_id else "",
        author_name=author_name_of(name),
        email=email_of(text_of(_child(author, "email"))),
        ip=text_of(_child(element, "ipAddress")),
        created=parse_time(text_of(_child(element, "createdAt"))),
        html=messages.put(message.text or "" if message is not None else ""),
        status="published",
        order=order,
    )
    return thread_id, post


def _import_thread(thread: _Thread, messages: _Messages, summary: Summary) -> None:
    for post in thread.posts:
        post.html = messages.get(post.html)
    title = title_of(thread.title or _untitled(thread))

    def create(source: str) -> Article:
        return Article.objects.create(
            title=title,
            slug=unique_slug(_slug_in_link(thread.link) or thread.identifier or title),
            published=thread.created.date() if thread.created else None,
            body="",
            source=source,
            comments_open=not thread.closed,
        )

    import_article(
        source=source_key("disqus", thread.dsq_id),
        title=title,
        find=lambda: _find(thread),
        create=create,
        records=thread.posts,
        summary=summary,
    )
    thread.posts = []


def import_disqus(path: Path, *, name: str | None = None) -> Summary:
    """Import a Disqus export (see the module's docstring); returns what it did. Raises
    ImportFileError, having written nothing, for a file that is not a well-formed export."""
    check_xml(path, root=_tag("disqus"), depth=RECORD_DEPTH)
    summary = Summary(name or str(path))
    threads: dict[str, _Thread] = {}
    posts: dict[str, list[SourceComment]] = {}
    with tempfile.TemporaryFile() as spool:
        messages = _Messages(spool)
        order = 0
        for event, element, ancestors in read_xml(path, depth=RECORD_DEPTH):
            if event != "end" or len(ancestors) != 1:
                continue
            if element.tag == _tag("thread"):
                thread = _read_thread(element)
                threads.setdefault(thread.dsq_id, thread)
            elif element.tag == _tag("post"):
                order += 1
                read = _read_post(element, order, messages, summary)
                if read is None:
                    continue
                thread_id, post = read
                posts.setdefault(thread_id, []).append(post)
        for thread_id in posts.keys() - threads.keys():
            summary.skip("post of an unknown thread", len(posts[thread_id]))
        for thread in threads.values():
            thread.posts = posts.pop(thread.dsq_id, [])
            if thread.deleted:
                summary.skip("deleted thread")
                if thread.posts:
                    summary.skip("post of a deleted thread", len(thread.posts))
            elif thread.posts:
                _import_thread(thread, messages, summary)
            else:
                summary.skip("thread without comments")
    return summary
