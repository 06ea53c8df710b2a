"""Seed documents: parse the plain-text format of shared/seeds/FORMAT.md and import it.

A document is parsed whole before anything is written, so a malformed one
imports nothing; `SeedFormatError` carries the line number to report.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction

from articles.models import Article
from articles.slugs import unique_slug
from comments.importing import url_of
from comments.models import Comment
from comments.services import MAX_DEPTH, CommentDraft, comments_import

# Month names as datelines print them ("MAY 2021"); Python runs in the C locale, so English.
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name[1:], start=1)}
DATELINE_RE = re.compile(r"^(?P<month>[A-Za-z]+)\s+(?P<year>\d{4})$")
HEADER_RE = re.compile(r"^(?P<indent> *)(?P<number>\d+)\. (?P<author>.*) says:$")
AUTHOR_MAX_LENGTH = Comment._meta.get_field("author_name").max_length
TITLE_MAX_LENGTH = Article._meta.get_field("title").max_length
CAPTION_MAX_LENGTH = Article._meta.get_field("caption").max_length
ALT_MAX_LENGTH = Article._meta.get_field("image_alt").max_length


class SeedFormatError(Exception):
    """A document does not follow the seed format; `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass
class SeedDocument:
    title: str
    body: str
    dateline: str = ""
    published: dt.date | None = None
    caption: str = ""
    image_url: str = ""  # the photo, by reference (`Photo: <address> | <description>`)
    image_alt: str = ""
    threads: list[CommentDraft] = field(default_factory=list)


@dataclass
class _OpenComment:
    draft: CommentDraft
    depth: int
    line: int
    lines: list[str] = field(default_factory=list)


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """Group lines into paragraphs at blank lines (runs of blank lines count as one)."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _join(paragraphs: list[list[str]]) -> str:
    """Paragraphs separated by one blank line; single line breaks kept."""
    return "\n\n".join("\n".join(p) for p in paragraphs)


def _parse_dateline(text: str) -> dt.date | None:
    match = DATELINE_RE.match(text)
    if not match or match["month"].lower() not in MONTHS:
        return None
    return dt.date(int(match["year"]), MONTHS[match["month"].lower()], 1)


PHOTO_PREFIX = "Photo: "


def _photo(text: str) -> tuple[str, str]:
    """`Photo: <http(s) address> | <what it shows>`: the article's photo by reference
    (fetched as a WordPress import's are, never at page view), with its description."""
    address, bar, alt = text.removeprefix(PHOTO_PREFIX).partition("|")
    address, alt = address.strip(), " ".join(alt.split())
    if not bar or not alt:
        raise SeedFormatError(1, "a photo line needs its description: Photo: <address> | <text>")
    if not url_of(address):
        raise SeedFormatError(1, f"the photo's address is not an http or https one: {address[:80]}")
    if len(alt) > ALT_MAX_LENGTH:
        raise SeedFormatError(1, f"the photo's description is over {ALT_MAX_LENGTH} characters")
    return address, alt


def _parse_preamble(lines: list[str]) -> SeedDocument:
    paragraphs = _paragraphs([line.strip() for line in lines])
    if not paragraphs:
        raise SeedFormatError(1, "the document has no title before its first comment")
    dateline, published = "", _parse_dateline(" ".join(paragraphs[0]))
    if published is not None:
        dateline = " ".join(paragraphs.pop(0))
    if not paragraphs:
        raise SeedFormatError(1, "the document has a dateline but no title")
    title = " ".join(paragraphs.pop(0))
    if len(title) > TITLE_MAX_LENGTH:
        raise SeedFormatError(
            1, f"the title is {len(title)} characters long; at most {TITLE_MAX_LENGTH} fit"
        )
    image_url = image_alt = ""
    if paragraphs and " ".join(paragraphs[0]).startswith(PHOTO_PREFIX):
        image_url, image_alt = _photo(" ".join(paragraphs.pop(0)))
    caption = ""
    if paragraphs and "source:" in " ".join(paragraphs[0]).lower():
        caption = " ".join(paragraphs.pop(0))
        if len(caption) > CAPTION_MAX_LENGTH:
            raise SeedFormatError(1, f"the caption is longer than {CAPTION_MAX_LENGTH} characters")
    return SeedDocument(
        title=title,
        dateline=dateline,
        published=published,
        caption=caption,
        image_url=image_url,
        image_alt=image_alt,
        body=_join(paragraphs),
    )


def _header(line: str) -> re.Match | None:
    """A comment header: `N. NAME says:` indented by a positive even number of spaces."""
    match = HEADER_RE.match(line)
    if match and len(match["indent"]) >= 2 and len(match["indent"]) % 2 == 0:
        return match
    return None


class _ThreadParser:
    """Reads the comment part of a document line by line into `threads`, keeping the
    comments still open (each deeper one a reply to the one before) on a stack."""

    def __init__(self, threads: list[CommentDraft]) -> None:
        self.threads = threads
        self.stack: list[_OpenComment] = []

    def close_to(self, depth: int) -> None:
        while len(self.stack) > depth:
            done = self.stack.pop()
            done.draft.body = _join(_paragraphs(done.lines))

    def header(self, match: re.Match, line_no: int) -> None:
        stack = self.stack
        indent = len(match["indent"])
        depth = (indent - 2) // 2
        if depth > len(stack):
            expected = (
                "a top-level comment (2 spaces)"
                if not stack
                else (
                    f"at most one level deeper than the comment on line {stack[-1].line} "
                    f"(up to {2 + 2 * len(stack)} spaces)"
                )
            )
            raise SeedFormatError(
                line_no, f"comment header indented {indent} spaces; expected {expected}"
            )
        if depth > MAX_DEPTH:
            raise SeedFormatError(line_no, f"replies nest deeper than {MAX_DEPTH} levels")
        author = match["author"].strip()
        if not author:
            raise SeedFormatError(line_no, "comment header has no author name")
        if len(author) > AUTHOR_MAX_LENGTH:
            raise SeedFormatError(
                line_no, f"author name is longer than {AUTHOR_MAX_LENGTH} characters"
            )
        self.close_to(depth)
        siblings = stack[-1].draft.replies if stack else self.threads
        number = int(match["number"])
        if number != len(siblings) + 1:
            raise SeedFormatError(
                line_no,
                f"comment numbered {number} where {len(siblings) + 1} comes next "
                "(numbering restarts at 1 under each parent)",
            )
        draft = CommentDraft(author_name=author, body="")
        siblings.append(draft)
        stack.append(_OpenComment(draft=draft, depth=depth, line=line_no))

    def text(self, line: str, line_no: int) -> None:
        current = self.stack[-1]
        if not line:
            current.lines.append("")
            return
        indent = len(line) - len(line.lstrip(" "))
        text_indent = 2 * current.depth + 4
        if indent < text_indent:
            raise SeedFormatError(
                line_no,
                f"text indented {indent} spaces; the comment begun on line "
                f"{current.line} needs {text_indent}",
            )
        current.lines.append(line[text_indent:])


def parse_seed(text: str) -> SeedDocument:
    """Parse one document. Raises SeedFormatError naming the first offending line."""
    lines = [line.rstrip() for line in text.lstrip("\ufeff").splitlines()]
    preamble_end = next((number for number, line in enumerate(lines) if _header(line)), len(lines))
    document = _parse_preamble(lines[:preamble_end])
    parser = _ThreadParser(document.threads)
    for index in range(preamble_end, len(lines)):
        line = lines[index]
        match = _header(line)
        if match:
            parser.header(match, index + 1)
        else:
            parser.text(line, index + 1)
    parser.close_to(0)
    return document


@dataclass
class ImportResult:
    article: Article
    comment_count: int
    created: bool


def import_seed(path: Path) -> ImportResult:
    """Import one seed document as an article with its comment tree, atomically.

    Idempotent: a document whose name (the file stem) was imported before is
    left alone. Raises SeedFormatError for a malformed document and
    UnicodeDecodeError/OSError for an unreadable one; nothing is written then.
    """
    source = path.stem
    existing = Article.objects.filter(source=source).first()
    if existing is not None:
        return ImportResult(existing, existing.comments.count(), created=False)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SeedFormatError(line, "the file is not valid UTF-8") from exc
    document = parse_seed(text)
    published_at = (
        dt.datetime.combine(document.published, dt.time(), tzinfo=dt.UTC)
        if document.published
        else None
    )
    try:
        with transaction.atomic():
            article = Article.objects.create(
                title=document.title,
                slug=unique_slug(document.title),
                dateline=document.dateline,
                published=document.published,
                caption=document.caption,
                image_url=document.image_url,
                image_alt=document.image_alt,
                body=document.body,
                source=source,
            )
            count = comments_import(article=article, threads=document.threads, created=published_at)
    except IntegrityError:
        # Another run imported the same document between our check and insert.
        existing = Article.objects.filter(source=source).first()
        if existing is None:
            raise
        return ImportResult(existing, existing.comments.count(), created=False)
    return ImportResult(article, count, created=True)
