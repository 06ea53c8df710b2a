"""Which votes count, and the tallies they make.

Invariant: a comment's `up` and `down` are the sums of its votes whose `counted` is
true, and a vote counts exactly while its voter counts (`voter_standing`). Both
halves are written together, here only, under the article's tree lock
(comments.trees.locks: every writer of an article's comment rows takes it first)
and then the comment rows' locks, so concurrent writers apply one after another.
A voter's standing changes without their voting (their account comes of age, a
comment of theirs is published or removed, a ban starts or ends): then
`recount_votes_of` flips their votes to match, called through the tasks of
comments.voting.tasks, and at their next vote at the latest.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article
from comments import policy
from comments.models import Ban, Comment, Vote
from comments.trees.locks import lock_article_trees

# Why a voter's votes do not count now (voter_standing); "" when they do.
INACTIVE = "inactive"
TOO_NEW = "too new"
NOTHING_PUBLISHED = "nothing published"
BANNED = "banned"

# How many articles one transaction of a recount locks: a voter may have voted in
# thousands, and each advisory lock takes a slot of PostgreSQL's shared lock table.
RECOUNT_ARTICLES = 100


def counts_from(joined: datetime) -> datetime:
    """When an account that joined at `joined` is old enough for its votes to count."""
    return joined + timedelta(hours=settings.FORUM_REPORTER_MIN_AGE_HOURS)


def voter_standing(
    user: AbstractBaseUser, *, now: datetime | None = None, banned: bool | None = None
) -> str:
    """Why `user`'s votes do not count now, or "" when they do. They count as a reporter
    counts toward a hold (comments.posting.reports): an active account older than
    FORUM_REPORTER_MIN_AGE_HOURS with a published comment; and not banned. `banned`,
    when the caller knows it, saves asking."""
    now = now or timezone.now()
    if not user.is_active:
        return INACTIVE
    if counts_from(user.date_joined) > now:
        return TOO_NEW
    if not Comment.objects.filter(author=user, status=policy.Status.PUBLISHED).exists():
        return NOTHING_PUBLISHED
    if banned is None:
        banned = Ban.objects.active(now=now).filter(user=user).exists()
    return BANNED if banned else ""


def voter_counts(user: AbstractBaseUser, *, now: datetime | None = None) -> bool:
    """Whether `user`'s votes count toward points now (see `voter_standing`)."""
    return not voter_standing(user, now=now)


def weight(value: int, counted: bool) -> tuple[int, int]:
    """What a vote adds to its comment's (up, down): nothing while it does not count."""
    if not counted or value == 0:
        return 0, 0
    return (1, 0) if value > 0 else (0, 1)


def tally_fields(up: int, down: int, now: datetime) -> dict:
    """A comment's counted votes and the ranks the sorts read from them."""
    return {
        "up": up,
        "down": down,
        "best": policy.wilson(up, down),
        "controversy": policy.controversy(up, down),
        "voted_at": now,
    }


def mark_voted(*, article_ids, tree_ids, now: datetime) -> None:
    """Note that votes changed points in these threads (on their roots'
    `tree_voted_at`, what keys the points baked into their cached HTML,
    comments.threads.ranking) and these articles (`votes_version`, what tells a
    reader's browser its copy is out of date). The caller holds the articles' tree
    locks, which every writer takes before these rows: no deadlock."""
    article_ids = sorted(set(article_ids))
    Comment.objects.filter(
        article_id__in=article_ids, tree_id__in=sorted(set(tree_ids)), level=0
    ).update(tree_voted_at=now)
    Article.objects.filter(pk__in=article_ids).update(
        votes_version=F("votes_version") + 1, voted_at=now
    )


def recount_votes_of(user: AbstractBaseUser) -> int:
    """Make `user`'s votes count, or stop counting, as `voter_standing` says now.
    Returns how many votes changed. A few queries a batch of RECOUNT_ARTICLES
    articles, each batch one transaction; the standing is asked again for each."""
    changed = 0
    while True:
        with transaction.atomic():
            done, more = _recount_batch(user)
        changed += done
        if not more:
            return changed


def _recount_batch(user: AbstractBaseUser) -> tuple[int, bool]:
    """Recount `user`'s votes in the first RECOUNT_ARTICLES articles holding votes
    counted the wrong way; returns (how many changed, whether more articles wait)."""
    counts = voter_counts(user)
    wrong = Vote.objects.filter(voter=user, counted=not counts)
    articles = list(
        wrong.order_by("comment__article_id")
        .values_list("comment__article_id", flat=True)
        .distinct()[: RECOUNT_ARTICLES + 1]
    )
    if not articles:
        return 0, False
    batch = articles[:RECOUNT_ARTICLES]
    lock_article_trees(*batch)
    # Read again under the locks: a vote cast meanwhile was counted by its own rule.
    votes = dict(wrong.filter(comment__article_id__in=batch).values_list("comment_id", "value"))
    comments = list(
        Comment.objects.select_for_update()
        .filter(pk__in=list(votes))
        .order_by("pk")
        .only("pk", "up", "down", "tree_id", "article_id")
    )
    now = timezone.now()
    sign = 1 if counts else -1
    for comment in comments:
        up, down = weight(votes[comment.pk], True)
        fields = tally_fields(
            max(0, comment.up + sign * up), max(0, comment.down + sign * down), now
        )
        for name, value in fields.items():
            setattr(comment, name, value)
    Comment.objects.bulk_update(comments, list(tally_fields(0, 0, now)), batch_size=500)
    mark_voted(
        article_ids=[c.article_id for c in comments],
        tree_ids=[c.tree_id for c in comments],
        now=now,
    )
    Vote.objects.filter(voter=user, comment_id__in=list(votes)).update(counted=counts)
    return len(votes), len(articles) > RECOUNT_ARTICLES
