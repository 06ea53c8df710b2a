"""What an author did before, for a moderator about to judge them: how many of their
comments are published, held, removed and deleted, and their earlier bans.

Invariant: every read here costs a fixed number of queries whatever the number of
authors and comments (counts are grouped by the database, bans read in one query),
so a page may ask for all its authors at once. `author_history` serves the ban
forms (the admin's ban action, the thread's ban page) through
templates/comments/_author_history.html; `removed_before` serves the queue's rows.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q

from comments import policy
from comments.models import Ban, Comment

Status = policy.Status


@dataclass(frozen=True)
class AuthorHistory:
    """One account's record: its comments by status, and its bans, newest first (each
    with `created_by` read, the moderator who banned, None when unknown)."""

    user_id: int
    name: str
    published: int = 0
    held: int = 0
    removed: int = 0
    deleted: int = 0
    bans: list[Ban] = field(default_factory=list)


def author_history(users: Iterable) -> list[AuthorHistory]:
    """Each user's record, in the order given (each user once): two queries for any
    number of users, none for none."""
    users = list({user.pk: user for user in users}.values())
    if not users:
        return []
    ids = [user.pk for user in users]
    rows = (
        Comment.objects.filter(author_id__in=ids)
        .order_by()
        .values_list("author_id", "status")
        .annotate(count=Count("pk"))
    )
    counts = Counter({(author_id, status): count for author_id, status, count in rows})
    bans: dict[int, list[Ban]] = {}
    for ban in Ban.objects.filter(user_id__in=ids).select_related("created_by"):
        bans.setdefault(ban.user_id, []).append(ban)
    return [
        AuthorHistory(
            user_id=user.pk,
            name=user.get_username(),
            published=counts[user.pk, Status.PUBLISHED],
            held=counts[user.pk, Status.PENDING],
            removed=counts[user.pk, Status.REMOVED],
            deleted=counts[user.pk, Status.DELETED],
            bans=bans.get(user.pk, []),
        )
        for user in users
    ]


def removed_before(comments: Iterable[Comment]) -> dict[int, int | None]:
    """For each comment (by pk), how many other comments of its author moderators
    removed: by account, and for a guest by the email address they gave
    (policy.guest_email_key), the one thing that ties a guest's comments together.
    None where nothing does (an imported comment, a guest without an address).
    One query for any number of comments, none when no comment has an author."""
    comments = list(comments)
    user_ids = {c.author_id for c in comments if not policy.is_guest(c.author_id)}
    emails = {
        policy.guest_email_key(c.author_email)
        for c in comments
        if policy.is_guest(c.author_id) and c.author_email
    }
    by_user: Counter = Counter()
    by_email: Counter = Counter()
    if user_ids or emails:
        rows = (
            Comment.objects.filter(status=Status.REMOVED)
            .filter(Q(author_id__in=user_ids) | Q(author__isnull=True, author_email__in=emails))
            .order_by()
            .values_list("author_id", "author_email")
            .annotate(count=Count("pk"))
        )
        for author_id, email, count in rows:
            if author_id is not None:
                by_user[author_id] += count
            else:
                by_email[policy.guest_email_key(email)] += count
    counts: dict[int, int | None] = {}
    for comment in comments:
        if not policy.is_guest(comment.author_id):
            removed = by_user[comment.author_id]
        elif comment.author_email:
            removed = by_email[policy.guest_email_key(comment.author_email)]
        else:
            counts[comment.pk] = None
            continue
        # The comment itself, if removed, is not one removed before it.
        counts[comment.pk] = removed - (comment.status == Status.REMOVED)
    return counts
