"""When votes change what a page shows: the order of threads under the sorts by votes,
and the points baked into cached threads.

Time is cut into epochs of FORUM_RANK_SECONDS. The rule:

- **Order.** Under a sort by votes (policy.Sort.ranked: Best, Top, Controversial)
  an article's threads are ranked at most once per epoch: the order is read from
  the database the first time a page needs it in an epoch and kept in the cache
  (`ranked_threads`). A page's links to the other pages carry the epoch of the
  order they were drawn from (`?r=`), and those pages use that same order while it
  is kept (RANK_KEEP_EPOCHS), so a reader paging through a discussion while votes
  arrive sees no thread twice and misses none. A thread started since takes its
  place at the end (it has no votes) until the next epoch ranks it.
- **Points.** A thread's cached HTML carries the points its comments had when it
  was rendered; a vote does not re-render it. Its cache key carries a stamp
  (`points_stamp`) that changes at most once per epoch while the thread is voted
  on, and once more after its last vote, so the points a reader without
  JavaScript sees are at most one epoch old, and never stale for good. The page
  also lists the points of its comments voted on in the current epoch
  (`recent_points`, one query on the recent-votes index), which static/js/forum.js
  shows at once.

An article never voted on has nothing to rank: every sort by votes ties everywhere,
so its comments come in the order they were written (`order_of`), read as the other
sorts are, with no order drawn or kept.

With the cache down, each page ranks the threads afresh: the order is still right,
only not held still for readers paging through.
"""

import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches

from articles.models import Article
from comments.models import Comment, Vote
from comments.policy import SORTS, Sort

# How many epochs back a page may ask for the order it was drawn from.
RANK_KEEP_EPOCHS = 10
# The clock epochs are read from (tests move it on).
clock = time.time


def order_of(article: Article, sort: Sort) -> Sort:
    """The sort that really orders `article`'s comments under `sort`: itself, except a
    sort by votes on an article never voted on, where every comment ties and falls
    back to age, the tree's own order: Oldest (nothing to rank, draw or keep)."""
    if sort.ranked and article.voted_at is None:
        return SORTS["oldest"]
    return sort


def epoch(moment: datetime | float | None = None) -> int:
    """The epoch of `moment` (a datetime or a Unix time; now when None)."""
    if moment is None:
        moment = clock()
    elif isinstance(moment, datetime):
        moment = moment.timestamp()
    return int(moment // settings.FORUM_RANK_SECONDS)


def epoch_start(number: int) -> datetime:
    return datetime.fromtimestamp(number * settings.FORUM_RANK_SECONDS, UTC)


def points_stamp(tree_voted_at: datetime | None, *, now: int | None = None) -> int:
    """What keys the points baked into a thread's cached HTML: 0 for a thread never
    voted on; else the current epoch while votes keep coming, and the epoch after its
    last vote once they stop."""
    if tree_voted_at is None:
        return 0
    return min(epoch() if now is None else now, epoch(tree_voted_at) + 1)


def asked_epoch(raw: str | None) -> int | None:
    """The epoch a page's `?r=` names, if it is one a page may still ask for."""
    try:
        number = int(raw or "")
    except ValueError:
        return None
    current = epoch()
    return number if current - RANK_KEEP_EPOCHS <= number <= current else None


@dataclass(frozen=True)
class Ranked:
    """An article's threads (tree ids) in one sort's order, and the epoch it was drawn in."""

    trees: list[int]
    epoch: int


def _key(article: Article, sort: Sort, number: int) -> str:
    return f"forum:rank:{article.pk}:{sort.key}:{number}"


def ranked_threads(article: Article, sort: Sort, *, asked: int | None = None) -> Ranked:
    """The article's threads in `sort`'s order (a sort by votes) as drawn in the epoch
    `asked` (a page's `?r=`), or in this epoch; threads started since come last."""
    cache = caches[settings.FORUM_PAGE_CACHE]
    current = epoch()
    number = asked if asked is not None else current
    trees = cache.get(_key(article, sort, number))
    if trees is None and number != current:
        number = current
        trees = cache.get(_key(article, sort, number))
    if trees is None:
        trees = list(Comment.objects.thread_order(article_id=article.pk, sort=sort))
        kept = settings.FORUM_RANK_SECONDS * RANK_KEEP_EPOCHS
        cache.set(_key(article, sort, number), trees, kept)
    elif len(trees) < article.thread_count:
        # Started since it was drawn: after the others, in the order they were started.
        newest = max(trees, default=0)
        trees = trees + list(
            Comment.objects.filter(article_id=article.pk, level=0, tree_id__gt=newest)
            .order_by("tree_id")
            .values_list("tree_id", flat=True)
        )
    return Ranked(trees, number)


def recent_points(article: Article, *, trees: list[int]) -> dict[int, tuple[int, int]]:
    """The points (up, down) of the comments of these threads voted on in this epoch,
    which their cached HTML may not show yet: none when the article had no vote this
    epoch, else one query on the recent-votes index, kept in the page cache under the
    article's `votes_version` (every vote that moves points moves it), so readers of
    a busy discussion share one read per vote."""
    number = epoch()
    since = epoch_start(number)
    if not trees or article.voted_at is None or article.voted_at < since:
        return {}
    cache = caches[settings.FORUM_PAGE_CACHE]
    key = (
        f"forum:points:{article.pk}:{article.votes_version}:{number}:"
        f"{zlib.crc32(repr(trees).encode())}:{len(trees)}"
    )
    points = cache.get(key)
    if points is None:
        rows = Comment.objects.filter(
            article=article, voted_at__gte=since, tree_id__in=trees
        ).values_list("pk", "up", "down")
        points = {pk: (up, down) for pk, up, down in rows}
        cache.set(key, points, settings.FORUM_RANK_SECONDS)
    return points


def votes_of(user, *, article: Article) -> dict[int, tuple[int, int]]:
    """The reader's votes in the article, {comment id: (its thread, 1 or -1)}, in one
    query: what their page shows pressed, and (all of them) what its ETag covers. A
    reader's votes are few beside an article's comments (FORUM_VOTE_RATE)."""
    return {
        comment: (tree, value)
        for comment, tree, value in Vote.objects.filter(
            voter=user, comment__article=article
        ).values_list("comment_id", "comment__tree_id", "value")
    }
