"""Importing another site's comments (WordPress WXR, Disqus XML): what both formats share.

Exports are untrusted input, read as `reading` says: streamed through
defusedxml, each element's text capped, so memory stays bounded by one
article's comments (each of bounded size) whatever the file's size. A file is
read through once to check that it is well-formed before anything is written: a
truncated or broken export imports nothing and names its line.

Imported comments obey the rules readers' comments do: one longer than
FORUM_COMMENT_MAX_LENGTH characters as it reads (its HTML cleaned), or whose
source is far longer than any comment that could pass (not cleaned at all), is
skipped and counted; names lose the characters guests' names may not hold. An
imported comment never belongs to an account, whatever its name.

Each article is imported in one transaction, under its tree lock, through
`comments.services.comments_import` (the same one-pass nested-set build as the
seeds). Every comment keeps its source id, so importing an export again adds
nothing and a newer export adds only what is new; a reply whose parent is not in
the file (nor already imported, nor skipped) becomes a top-level comment and is
counted. A database error rolls back the article being imported and ends the
file's import (ImportDatabaseError): the articles before it stay imported.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import Error, IntegrityError, transaction

from accounts.names import shown_name
from articles.models import Article
from comments import policy
from comments.importing.reading import ImportFileError, text_limit
from comments.models import Comment
from comments.services import CommentDraft, comments_import
from comments.trees.building import CleanedHtml, clean_imported_html
from comments.trees.locks import lock_article_trees

Status = Comment.Status
NAME_MAX_LENGTH = Comment._meta.get_field("author_name").max_length
EMAIL_MAX_LENGTH = Comment._meta.get_field("author_email").max_length
URL_MAX_LENGTH = Comment._meta.get_field("author_url").max_length
TITLE_MAX_LENGTH = Article._meta.get_field("title").max_length
SOURCE_MAX_LENGTH = Article._meta.get_field("source").max_length
ANONYMOUS = "Anonymous"
TOO_LONG = "comment too long"
ERROR_MAX_LENGTH = 300


class ImportDatabaseError(ImportFileError):
    """The database refused an article's import: that article's transaction is rolled
    back and the file's import ends there (the articles before it stay imported)."""

    def __init__(self, error: Error, *, title: str, before: int) -> None:
        lines = [line for line in str(error).splitlines() if line.strip()] or [type(error).__name__]
        super().__init__(f"database error: {one_line(lines[0])[:ERROR_MAX_LENGTH]}")
        if before:
            those = (
                "the article before it was"
                if before == 1
                else f"the {before} articles before it were"
            )
            self.outcome = (
                f'nothing imported from the article "{one_line(title)}" onwards ({those} imported)'
            )


@dataclass
class SourceComment:
    """A comment as an export gives it, reduced to what the forum keeps; `html` is
    the source's, cleaned by `import_comments` before the comment is stored."""

    source_id: str
    parent_id: str
    author_name: str
    email: str
    ip: str
    created: datetime | None
    html: str | CleanedHtml
    status: str
    order: int = 0
    url: str = ""  # the author's web site
    member: bool = False  # a registered commenter of the old site


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
    images: int = 0  # featured images recorded by reference
    undated: int = 0  # comments whose time the file does not give readably
    skipped: Counter = field(default_factory=Counter)

    def skip(self, kind: str, count: int = 1) -> None:
        self.skipped[kind] += count

    def add(self, other: "Summary") -> None:
        for name in (
            "articles",
            "new_articles",
            "comments",
            "held",
            "already",
            "top_level",
            "images",
            "undated",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped.update(other.skipped)

    def line(self) -> str:
        text = (
            f"{self.name}: {_count(self.articles, 'article')} ({self.new_articles} new), "
            f"{_count(self.comments, 'comment')} ({self.held} held)"
        )
        if self.images:
            text += f", {_count(self.images, 'featured image')} recorded by reference"
        skipped = [_count(n, kind) for kind, n in self.skipped.items() if n]
        if self.already:
            skipped.append(f"{self.already} already imported")
        if skipped:
            text += ", skipped: " + ", ".join(skipped)
        if self.top_level:
            was = "a missing parent" if self.top_level == 1 else "missing parents"
            text += f"; {_count(self.top_level, 'comment')} with {was} made top-level"
        if self.undated:
            text += (
                f"; {_count(self.undated, 'comment')} without a readable time, dated as "
                "the comment answered or the article"
            )
        return text


# Kinds whose count reads the same for one and many, and those whose noun is not last.
UNCOUNTABLE = {"spam", "trash", "deleted"}
PLURALS = {
    TOO_LONG: "comments too long",
    "comment without an id": "comments without an id",
    "post without an id or a thread": "posts without an id or a thread",
    "post of an unknown thread": "posts of an unknown thread",
    "post of a deleted thread": "posts of deleted threads",
    "thread without comments": "threads without comments",
}


def _count(n: int, noun: str) -> str:
    if n == 1 or noun in UNCOUNTABLE:
        return f"{n} {noun}"
    if noun in PLURALS:
        return f"{n} {PLURALS[noun]}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


def source_key(prefix: str, key: str) -> str:
    """An article's source as stored: `prefix:key`, shortened to fit the column."""
    value = f"{prefix}:{key}"
    return value[:SOURCE_MAX_LENGTH]


def title_of(text: str) -> str:
    text = " ".join(text.split()) or "Untitled"
    return text if len(text) <= TITLE_MAX_LENGTH else text[: TITLE_MAX_LENGTH - 1] + "…"


def one_line(text: str) -> str:
    """Text on one line, without the characters a name may not hold: safe to show or
    print (an article's title in an error line, say)."""
    return shown_name(text, default="")


def author_name_of(name: str) -> str:
    """A name as written, as guests' names may be (accounts.names.shown_name): on one
    line, without invisible or control characters, cut to fit; "Anonymous" when
    nothing visible is left. It is shown as imported, never as an account's."""
    return shown_name(name, default=ANONYMOUS)


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


def url_of(address: str) -> str:
    """An author's web site as kept: an http or https URL that fits, else ""."""
    address = address.strip()
    if len(address) > URL_MAX_LENGTH or not address.lower().startswith(("http://", "https://")):
        return ""
    try:
        URLValidator(schemes=["http", "https"])(address)
    except ValidationError:
        return ""
    return address


def html_to_body(html: str) -> str:
    """An article body (plain paragraphs at blank lines) from a post's HTML, cleaned
    by the comments' nh3 policy first: what the site can show of it, as text."""
    return clean_imported_html(html).text


def _cleaned(record: SourceComment, summary: Summary) -> CleanedHtml | None:
    """The comment's HTML cleaned, or None (counted) when it is longer than a reader's
    may be: its text as it reads, or already its source, past what any comment that
    passes could have (the source then is not cleaned at all)."""
    cleaned = None
    if len(record.html) <= text_limit():
        cleaned = clean_imported_html(record.html)
    if cleaned is None or len(cleaned.text) > settings.FORUM_COMMENT_MAX_LENGTH:
        summary.skip(TOO_LONG)
        return None
    return cleaned


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
            author_url=r.url,
            member=r.member,
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


def _dated(
    new: list[SourceComment], records: list[SourceComment], article: Article, summary: Summary
) -> list[SourceComment]:
    """`new`, a comment the file gives no readable time dated as the comment it answers
    (when the file dates that one), else as its article's publication (the day's
    start, UTC), rather than as the moment of the import: an old comment must not
    read as new, nor move its thread up. Counted in the summary."""
    undated = [r for r in new if r.created is None]
    if not undated:
        return new
    summary.undated += len(undated)
    times = {r.source_id: r.created for r in records if r.created is not None}
    day = (
        datetime.combine(article.published, datetime.min.time(), tzinfo=UTC)
        if article.published
        else None
    )
    return [
        r if r.created is not None else replace(r, created=times.get(r.parent_id) or day)
        for r in new
    ]


def import_comments(*, article: Article, records: list[SourceComment], summary: Summary) -> None:
    """Add the comments of `records` that `article` does not have yet, in the caller's
    transaction, under the article's tree lock (taken before reading what is stored)."""
    lock_article_trees(article.pk)
    stored = dict(
        Comment.objects.filter(article=article).exclude(source_id="").values_list("source_id", "pk")
    )
    new = [r for r in records if r.source_id not in stored]
    summary.already += len(records) - len(new)
    new = [replace(r, html=html) for r in new if (html := _cleaned(r, summary)) is not None]
    if not new:
        return
    new = _dated(new, records, article, summary)
    threads, replies = _forest(new, stored, summary)
    comments_import(article=article, threads=threads, replies=replies)
    summary.comments += len(new)
    summary.held += sum(r.status == Status.PENDING for r in new)


def import_article(
    *,
    source: str,
    title: str,
    find,
    create,
    records: list[SourceComment],
    summary: Summary,
) -> Article:
    """One article (`title` as the export names it) and its comments, in one
    transaction: the article with this `source`, else `find()`'s, else a new one from
    `create(source)`. Raises ImportDatabaseError, having written nothing of it, when
    the database refuses it."""
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
        except IntegrityError as exc:
            # Another import created the same article or comments meanwhile: read again.
            if attempt == 2:
                raise ImportDatabaseError(exc, title=title, before=summary.articles) from exc
        except Error as exc:  # any other refusal, or the connection lost
            raise ImportDatabaseError(exc, title=title, before=summary.articles) from exc
    summary.add(done)
    return article
