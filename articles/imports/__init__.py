"""Importing another site's comments (WordPress WXR, Disqus XML): what both formats share.

Exports are untrusted input. They are read with defusedxml's streaming parser,
which refuses entity declarations (XML bombs, external entities) before any is
expanded, and each element is cleared once read, so memory stays bounded by one
article's comments whatever the file's size. A file is read through once to
check that it is well-formed before anything is written: a truncated or broken
export imports nothing and names its line.

Each article is imported in one transaction, under its tree lock, through
`comments.services.comments_import` (the same one-pass nested-set build as the
seeds). Every comment keeps its source id, so importing an export again adds
nothing and a newer export adds only what is new; a reply whose parent is not in
the file (nor already imported) becomes a top-level comment and is counted.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from comments import policy
from comments.locks import lock_article_trees
from comments.models import Comment
from comments.rendering import html_to_text, render_imported_html
from comments.services import CommentDraft, comments_import

from ..models import Article

Status = Comment.Status
REFUSED = "refused: the file declares entities (XML bombs and external entities are not read)"
NAME_MAX_LENGTH = Comment._meta.get_field("author_name").max_length
EMAIL_MAX_LENGTH = Comment._meta.get_field("author_email").max_length
TITLE_MAX_LENGTH = Article._meta.get_field("title").max_length
SOURCE_MAX_LENGTH = Article._meta.get_field("source").max_length
ANONYMOUS = "Anonymous"


class ImportFileError(Exception):
    """An export that cannot be read; `line` (1-based) where the parser knows it."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.message = message
        self.line = line


def read_xml(path: Path, *, depth: int) -> Iterator[tuple[str, Element, list[Element]]]:
    """("start" | "end", element, its ancestors) for every element of the file, streamed.
    An element with at most `depth` ancestors (a record: a WXR item, a Disqus post) is
    cleared and dropped from its parent after its "end", with everything inside it:
    read what you need of it then. Raises ImportFileError for broken or refused XML."""
    ancestors: list[Element] = []
    try:
        for event, element in iterparse(str(path), events=("start", "end")):
            if event == "start":
                yield event, element, ancestors
                ancestors.append(element)
                continue
            ancestors.pop()
            yield event, element, ancestors
            if len(ancestors) <= depth:
                element.clear()
                if ancestors:
                    ancestors[-1].remove(element)
    except ParseError as exc:
        line = exc.position[0] if exc.position else None
        message = str(exc).split(": line ")[0]
        raise ImportFileError(f"the XML is malformed: {message}", line) from None
    except DefusedXmlException:
        raise ImportFileError(REFUSED) from None


def check_xml(path: Path, *, root: str, depth: int) -> None:
    """Read the whole file once, writing nothing: it must be well-formed, declare no
    entities and have the root element `root` ("{namespace}name" or "name")."""
    for event, element, ancestors in read_xml(path, depth=depth):
        if event == "start" and not ancestors and element.tag != root:
            raise ImportFileError(f"not the export expected: the root element is <{element.tag}>")


def local_name(tag: str) -> tuple[str, str]:
    """("namespace", "name") of an ElementTree tag."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def text_of(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


@dataclass
class SourceComment:
    """A comment as an export gives it, reduced to what the forum keeps."""

    source_id: str
    parent_id: str
    author_name: str
    email: str
    ip: str
    created: datetime | None
    html: str
    status: str
    order: int = 0


@dataclass
class Summary:
    """What one file did, told in one line."""

    name: str
    articles: int = 0
    new_articles: int = 0
    comments: int = 0
    held: int = 0
    already: int = 0
    top_level: int = 0
    skipped: Counter = field(default_factory=Counter)

    def skip(self, kind: str, count: int = 1) -> None:
        self.skipped[kind] += count

    def add(self, other: "Summary") -> None:
        for name in ("articles", "new_articles", "comments", "held", "already", "top_level"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped.update(other.skipped)

    def line(self) -> str:
        text = (
            f"{self.name}: {_count(self.articles, 'article')} ({self.new_articles} new), "
            f"{_count(self.comments, 'comment')} ({self.held} held)"
        )
        skipped = [_count(n, kind) for kind, n in self.skipped.items() if n]
        if self.already:
            skipped.append(f"{self.already} already imported")
        if skipped:
            text += ", skipped: " + ", ".join(skipped)
        if self.top_level:
            was = "a missing parent" if self.top_level == 1 else "missing parents"
            text += f"; {_count(self.top_level, 'comment')} with {was} made top-level"
        return text


# Kinds whose count reads the same for one and many.
UNCOUNTABLE = {"spam", "trash", "deleted"}


def _count(n: int, noun: str) -> str:
    if n == 1 or noun in UNCOUNTABLE:
        return f"{n} {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


def source_key(prefix: str, key: str) -> str:
    """An article's source as stored: `prefix:key`, shortened to fit the column."""
    value = f"{prefix}:{key}"
    return value[:SOURCE_MAX_LENGTH]


def title_of(text: str) -> str:
    text = " ".join(text.split()) or "Untitled"
    return text if len(text) <= TITLE_MAX_LENGTH else text[: TITLE_MAX_LENGTH - 1] + "…"


def author_name_of(name: str) -> str:
    """A name as written, on one line and cut to fit; "Anonymous" when there is none."""
    name = " ".join(name.split()) or ANONYMOUS
    return name[:NAME_MAX_LENGTH]


def email_of(address: str) -> str:
    """The address as guests' are kept (policy.guest_email_key); "" if it is not one."""
    address = policy.guest_email_key(address)
    if not address or len(address) > EMAIL_MAX_LENGTH:
        return ""
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def html_to_body(html: str) -> str:
    """An article body (plain paragraphs at blank lines) from a post's HTML, cleaned
    by the comments' nh3 policy first: what the site can show of it, as text."""
    return html_to_text(render_imported_html(html))


def _forest(
    records: list[SourceComment], stored: dict[str, int], summary: Summary
) -> tuple[list[CommentDraft], dict[int, list[CommentDraft]]]:
    """New top-level threads, and new subtrees by the stored comment they answer.
    Siblings are in order of time (then of the file), whatever the file's order; a
    comment whose parent is neither in the file nor stored is a thread of its own,
    as is one caught in a cycle of parents."""
    records = sorted(records, key=lambda r: (r.created is None, r.created or 0, r.order))
    drafts = {
        r.source_id: CommentDraft(
            author_name=r.author_name,
            body="",
            html=r.html,
            email=r.email,
            ip=r.ip or None,
            created=r.created,
            status=r.status,
            source_id=r.source_id,
        )
        for r in records
    }
    children: dict[str, list[SourceComment]] = {}
    threads: list[CommentDraft] = []
    replies: dict[int, list[CommentDraft]] = {}
    roots: list[SourceComment] = []
    for r in records:
        parent = r.parent_id
        if parent and parent != r.source_id and parent in drafts:
            children.setdefault(parent, []).append(r)
        elif parent and parent in stored:
            replies.setdefault(stored[parent], []).append(drafts[r.source_id])
            roots.append(r)
        else:
            if parent and parent != r.source_id:
                summary.top_level += 1
            threads.append(drafts[r.source_id])
            roots.append(r)
    placed: set[str] = set()

    def place(start: Iterable[SourceComment]) -> None:
        stack = list(start)
        while stack:
            r = stack.pop()
            if r.source_id in placed:
                continue
            placed.add(r.source_id)
            for child in children.get(r.source_id, []):
                drafts[r.source_id].replies.append(drafts[child.source_id])
                stack.append(child)

    place(roots)
    for r in records:  # a cycle of parents: break it at its earliest comment
        if r.source_id not in placed:
            summary.top_level += 1
            threads.append(drafts[r.source_id])
            children[r.parent_id] = [c for c in children[r.parent_id] if c is not r]
            place([r])
    return threads, replies


def import_comments(*, article: Article, records: list[SourceComment], summary: Summary) -> None:
    """Add the comments of `records` that `article` does not have yet, in the caller's
    transaction, under the article's tree lock (taken before reading what is stored)."""
    lock_article_trees(article.pk)
    stored = dict(
        Comment.objects.filter(article=article).exclude(source_id="").values_list("source_id", "pk")
    )
    new = [r for r in records if r.source_id not in stored]
    summary.already += len(records) - len(new)
    if not new:
        return
    threads, replies = _forest(new, stored, summary)
    comments_import(article=article, threads=threads, replies=replies)
    summary.comments += len(new)
    summary.held += sum(r.status == Status.PENDING for r in new)


def import_article(
    *,
    source: str,
    find,
    create,
    records: list[SourceComment],
    summary: Summary,
) -> Article:
    """One article and its comments, in one transaction: the article with this
    `source`, else `find()`'s, else a new one from `create(source)`."""
    for attempt in (1, 2):
        done = Summary(summary.name, articles=1)
        try:
            with transaction.atomic():
                article = Article.objects.filter(source=source).first() or find()
                if article is None:
                    article = create(source)
                    done.new_articles = 1
                import_comments(article=article, records=records, summary=done)
            break
        except IntegrityError:
            # Another import created the same article or comments meanwhile: read again.
            if attempt == 2:
                raise
    summary.add(done)
    return article
