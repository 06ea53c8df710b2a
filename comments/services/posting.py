"""Readers' writes: post, reply, edit, delete, report; and the importer's bulk insert."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, PositiveIntegerField, When
from django.utils import timezone

from articles.models import Article

from .. import policy
from ..cache import bump_comments_version
from ..locks import lock_article_trees
from ..models import Comment, ModerationAction, Report
from ..rendering import render_comment_body
from ..trees import allocate_tree_ids, number_tree
from .errors import CommentsClosed, refuse_if_banned

Status = Comment.Status
MAX_DEPTH = 500
DUPLICATE_WINDOW = timedelta(minutes=1)


def clean_comment_body(body: str) -> str:
    """Normalise line endings and surrounding whitespace; refuse empty or over-long text."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError("Write something before posting.", code="empty")
    limit = settings.FORUM_COMMENT_MAX_LENGTH
    if len(text) > limit:
        raise ValidationError(
            f"Comments are limited to {limit:,} characters (this one has {len(text):,}).",
            code="too_long",
        )
    return text


def _initial_status(author: AbstractBaseUser) -> str:
    """Pre-moderation holds every comment; new accounts' first comments may be held too.
    Moderators' own comments are never held."""
    if policy.Viewer.of(author).can_moderate:
        return Status.PUBLISHED
    if settings.FORUM_MODERATION == "pre":
        return Status.PENDING
    hold = settings.FORUM_NEW_USER_HOLD
    if hold and Comment.objects.filter(author=author).count() < hold:
        return Status.PENDING
    return Status.PUBLISHED


def _refuse_duplicate(author: AbstractBaseUser, text: str, now: datetime) -> None:
    if Comment.objects.filter(
        author=author, body=text, created__gte=now - DUPLICATE_WINDOW
    ).exists():
        raise ValidationError("You posted this same text less than a minute ago.", code="duplicate")


def _open_gap_under(parent: Comment) -> int:
    """Shift the parent's right edge, and everything after it in its tree, two to the
    right; returns the `lft` of the gap, where the parent's new last child goes."""
    edge = parent.rght
    Comment.objects.filter(tree_id=parent.tree_id, rght__gte=edge).update(
        lft=Case(
            When(lft__gt=edge, then=F("lft") + 2),
            default=F("lft"),
            output_field=PositiveIntegerField(),
        ),
        rght=F("rght") + 2,
    )
    return edge


def _place_reply(comment: Comment, parent: Comment, article: Article) -> None:
    """Make `comment` the last child of `parent`, re-read under the article's lock."""
    parent = Comment.objects.get(pk=parent.pk)
    if parent.article_id != article.pk:
        raise ValidationError("That comment belongs to another article.", code="wrong_article")
    if not parent.is_visible:
        raise ValidationError("That comment is no longer open for replies.", code="hidden")
    left = _open_gap_under(parent)
    comment.parent = parent
    comment.tree_id = parent.tree_id
    comment.lft, comment.rght, comment.level = left, left + 1, parent.level + 1


@transaction.atomic
def comment_create(
    *,
    article: Article,
    parent: Comment | None = None,
    author: AbstractBaseUser,
    body: str,
) -> Comment:
    """Post a new top-level comment (parent None) or a reply as the parent's last child."""
    text = clean_comment_body(body)
    refuse_if_banned(author)
    lock_article_trees(article.pk)
    # Re-read under the lock: the article may have been closed, and the
    # parent's `rght` may have moved since the caller loaded it.
    article = Article.objects.get(pk=article.pk)
    if not article.comments_open:
        raise CommentsClosed("Comments are closed on this article.")
    now = timezone.now()
    _refuse_duplicate(author, text, now)

    comment = Comment(
        article=article,
        author=author,
        author_name=author.get_username(),
        body=text,
        body_html=render_comment_body(text, imported=False),
        status=_initial_status(author),
        created=now,
    )
    if parent is None:
        comment.tree_id = allocate_tree_ids()
        comment.lft, comment.rght, comment.level = 1, 2, 0
    else:
        _place_reply(comment, parent, article)
    comment.save(force_insert=True)
    bump_comments_version(
        article.pk,
        visible=int(policy.counts_as_visible(comment.status)),
        threads=int(parent is None),
    )
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, by: AbstractBaseUser, body: str) -> Comment:
    """The author rewrites their comment within FORUM_EDIT_WINDOW; it then shows "edited"."""
    text = clean_comment_body(body)
    refuse_if_banned(by)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not comment.is_editable_by(by):
        raise PermissionDenied("You can no longer edit this comment.")
    if text != comment.body:
        comment.body = text
        comment.body_html = render_comment_body(text, imported=False)
        comment.edited = timezone.now()
        comment.save(update_fields=["body", "body_html", "edited"])
        bump_comments_version(comment.article_id)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, by: AbstractBaseUser) -> Comment:
    """The author withdraws their comment. It is kept (replies keep their place), never shown."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.author_id != by.pk:
        raise PermissionDenied("Only its author can delete a comment.")
    if comment.status != Status.DELETED:
        was_visible = policy.counts_as_visible(comment.status)
        comment.status = Status.DELETED
        comment.save(update_fields=["status"])
        bump_comments_version(comment.article_id, visible=-int(was_visible))
    return comment


@transaction.atomic
def comment_report(
    *, comment: Comment, reporter: AbstractBaseUser, reason: str, note: str = ""
) -> Report:
    """Flag a comment for moderators. At FORUM_REPORTS_TO_HOLD reports a published
    comment is held (pending) until a moderator looks at it."""
    refuse_if_banned(reporter)
    if comment.author_id == reporter.pk:
        raise ValidationError("You cannot report your own comment.", code="own")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                comment=comment, reporter=reporter, reason=reason, note=note.strip()
            )
    except IntegrityError:
        raise ValidationError("You have already reported this comment.", code="duplicate") from None
    count = comment.reports.count()
    if comment.status == Status.PUBLISHED and count >= settings.FORUM_REPORTS_TO_HOLD:
        comment.status = Status.PENDING
        comment.moderation_reason = f"Held automatically after {count} reports."
        comment.save(update_fields=["status", "moderation_reason"])
        ModerationAction.objects.create(
            actor=None,
            kind=ModerationAction.Kind.HOLD,
            comment=comment,
            user_id=comment.author_id,
            reason=comment.moderation_reason,
        )
        bump_comments_version(comment.article_id, visible=-1)
    return report


@dataclass
class CommentDraft:
    """One comment to import, with its replies in order."""

    author_name: str
    body: str
    replies: list["CommentDraft"] = field(default_factory=list)


@transaction.atomic
def comments_import(
    *, article: Article, threads: Sequence[CommentDraft], created: datetime | None = None
) -> int:
    """Append whole threads to an article in one pass; returns the number of comments.

    The nested-set values are computed in Python (comments.trees) and the rows
    bulk-inserted one level at a time (a level's parents already have their
    primary keys), so a thread of thousands of comments costs a few queries.
    """
    lock_article_trees(article.pk)
    created = created or timezone.now()
    first_tree_id = allocate_tree_ids(len(threads))
    made: dict[int, Comment] = {}  # id(draft) -> its row
    levels: list[list[tuple[Comment, CommentDraft | None]]] = []
    for offset, thread in enumerate(threads):
        for draft, parent, lft, rght, level in number_tree(thread, lambda d: d.replies):
            made[id(draft)] = Comment(
                article=article,
                author_name=draft.author_name,
                body=draft.body,
                body_html=render_comment_body(draft.body, imported=True),
                imported=True,
                created=created,
                tree_id=first_tree_id + offset,
                level=level,
                lft=lft,
                rght=rght,
            )
            while len(levels) <= level:
                levels.append([])
            levels[level].append((made[id(draft)], parent))
    for rows in levels:
        for node, parent in rows:
            node.parent = made[id(parent)] if parent is not None else None
        # Tree order within a level keeps the inserted ids in reading order.
        rows.sort(key=lambda row: (row[0].tree_id, row[0].lft))
        Comment.objects.bulk_create([node for node, _ in rows], batch_size=1000)
    total = len(made)
    bump_comments_version(article.pk, visible=total, threads=len(threads))
    return total
