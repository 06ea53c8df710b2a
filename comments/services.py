"""Every write to the comment trees goes through this module.

Views, forms, admin actions and the importer call these functions; none of
them touch `lft`/`rght`/`tree_id`/`level`. Each function is one transaction
that takes the article's tree lock (see `comments.locks`) before it reads the
tree state it is about to change.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, Max, PositiveIntegerField, When
from django.utils import timezone

from articles.models import Article

from .locks import lock_article_trees, lock_tree_ids
from .models import Comment


class CommentsClosed(PermissionDenied):
    """The article no longer accepts comments."""


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


def _next_tree_id() -> int:
    lock_tree_ids()
    return (Comment.objects.aggregate(top=Max("tree_id"))["top"] or 0) + 1


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
    lock_article_trees(article.pk)
    # Re-read under the lock: the article may have been closed, and the
    # parent's `rght` may have moved since the caller loaded it.
    article = Article.objects.get(pk=article.pk)
    if not article.comments_open:
        raise CommentsClosed("Comments are closed on this article.")

    comment = Comment(
        article=article,
        author=author,
        author_name=author.get_username(),
        body=text,
        created=timezone.now(),
    )
    if parent is None:
        comment.tree_id = _next_tree_id()
        comment.lft, comment.rght, comment.level = 1, 2, 0
    else:
        parent = Comment.objects.get(pk=parent.pk)
        if parent.article_id != article.pk:
            raise ValidationError("That comment belongs to another article.", code="wrong_article")
        if not parent.is_visible:
            raise ValidationError("That comment is no longer open for replies.", code="hidden")
        edge = parent.rght
        # Open a gap of two at the parent's right edge: the new node becomes its last child.
        Comment.objects.filter(tree_id=parent.tree_id, rght__gte=edge).update(
            lft=Case(
                When(lft__gt=edge, then=F("lft") + 2),
                default=F("lft"),
                output_field=PositiveIntegerField(),
            ),
            rght=F("rght") + 2,
        )
        comment.parent = parent
        comment.tree_id = parent.tree_id
        comment.lft, comment.rght, comment.level = edge, edge + 1, parent.level + 1
    comment.save(force_insert=True)
    return comment


def _set_status(comments: Iterable[Comment], status: str) -> int:
    ids = [c.pk for c in comments]
    with transaction.atomic():
        return Comment.objects.filter(pk__in=ids).exclude(status=status).update(status=status)


def comments_remove(*, comments: Iterable[Comment], by: AbstractBaseUser) -> int:
    """Hide comments from readers (a moderator's action); nothing is deleted.

    A removed comment whose replies are still visible stays as a "[removed]"
    placeholder so the replies keep their place. Returns how many changed.
    """
    return _set_status(comments, Comment.Status.REMOVED)


def comments_restore(*, comments: Iterable[Comment], by: AbstractBaseUser) -> int:
    """Make removed comments visible again. Returns how many changed."""
    return _set_status(comments, Comment.Status.PUBLISHED)


MAX_DEPTH = 500


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

    The nested-set values are computed in Python and the rows bulk-inserted one
    level at a time (a level's parents already have their primary keys), so a
    thread of thousands of comments costs a few queries, not thousands.
    """
    lock_article_trees(article.pk)
    created = created or timezone.now()
    first_tree_id = _next_tree_id()
    levels: list[list[tuple[Comment, int | None]]] = []

    def place(draft: CommentDraft, tree_id: int, level: int, left: int, parent_index) -> int:
        node = Comment(
            article=article,
            author_name=draft.author_name,
            body=draft.body,
            imported=True,
            created=created,
            tree_id=tree_id,
            level=level,
            lft=left,
        )
        if len(levels) <= level:
            levels.append([])
        levels[level].append((node, parent_index))
        own_index = len(levels[level]) - 1
        right = left + 1
        for reply in draft.replies:
            right = place(reply, tree_id, level + 1, right, own_index) + 1
        node.rght = right
        return right

    # `place` recurses once per level; the seed parser refuses documents nested
    # deeper than MAX_DEPTH, far below Python's recursion limit.
    for offset, thread in enumerate(threads):
        place(thread, first_tree_id + offset, 0, 1, None)

    for depth, rows in enumerate(levels):
        if depth:
            parents = [node for node, _ in levels[depth - 1]]
            for node, parent_index in rows:
                node.parent = parents[parent_index]
        Comment.objects.bulk_create([node for node, _ in rows], batch_size=1000)
    return sum(len(rows) for rows in levels)
