"""What is new to a reader, and which discussions they follow.

The rule for "new": a reader's page views of an article come in runs, each view
less than RETURN_GAP (two minutes) after the one before; a view after a longer gap
is a return. What is new to a reader is what was posted after the last view of
their previous run: `since`. So a reader who comes back after four minutes, or
four weeks, sees what came since they last looked marked new, and reloading the
page a few seconds later keeps those markers (it is the same run). The Visit row
keeps `seen` (the latest view) and `since`.

The page carries `since` and says how many comments are new (on every page of the
thread, one COUNT on the (article, created) index); static/js/forum.js marks the
comments written after it, from the times the (shared, cached) thread markup
already carries, so marking costs no render of its own and at most three small
queries whatever the thread's size: reading the reader's Visit row, writing it
when `seen` is more than SEEN_RESOLUTION old or `since` moves, and the count.

Lists of articles (the home page, a profile, search results) say how many comments
each discussion has that are new to the reader since they last looked at it
(`new_counts`: one query for the whole list).

A reader may follow a discussion (`Visit.following`): notifications.services tells
them of its new comments.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone

from comments import policy
from comments.models import Comment, Visit

RETURN_GAP = timedelta(minutes=2)
SEEN_RESOLUTION = timedelta(seconds=30)


@dataclass(frozen=True)
class Reading:
    """What a page needs of a reader's visits to an article: since when its comments
    are new to them (None on a first visit: nothing is new then), and whether they
    follow it."""

    since: datetime | None = None
    following: bool = False
    new: int = 0  # comments others posted since then, on every page of the thread


def record_visit(*, user, article, now: datetime | None = None) -> Reading:
    """Note that `user` is reading `article` now (see the module's rule). Times are
    kept to the whole second, as the thread's markup shows comments' times: a comment
    is new when its second is later than `since`'s, on the server and in the browser."""
    now = (now or timezone.now()).replace(microsecond=0)
    visit = Visit.objects.filter(user=user, article=article).first()
    if visit is None:
        # One INSERT; a tab of the same reader that got there first wins.
        Visit.objects.bulk_create(
            [Visit(user=user, article=article, seen=now)], ignore_conflicts=True
        )
        return Reading()
    since = visit.seen if now - visit.seen >= RETURN_GAP else visit.since
    if since != visit.since or now - visit.seen > SEEN_RESOLUTION:
        Visit.objects.filter(pk=visit.pk).update(seen=now, since=since)
    new = 0
    if since is not None:
        new = (
            Comment.objects.filter(policy.visible_to_everyone_q(), article=article)
            .filter(created__gte=since + timedelta(seconds=1))
            .exclude(author=user)
            .count()
        )
    return Reading(since=since, following=visit.following, new=new)


def new_counts(*, user, article_ids: Iterable[int]) -> dict[int, int]:
    """For the articles among `article_ids` this reader has read before: how many
    comments everyone may see were posted in each since they last looked, by others.
    One query, whatever the number of articles and comments."""
    ids = list(article_ids)
    if not ids or not user.is_authenticated:
        return {}
    seen = Visit.objects.filter(user=user, article_id=OuterRef("article_id")).values("seen")
    rows = (
        Comment.objects.filter(policy.visible_to_everyone_q(), article_id__in=ids)
        .exclude(author=user)
        .filter(created__gt=Subquery(seen))
        .order_by()
        .values("article_id")
        .annotate(count=Count("pk"))
        .values_list("article_id", "count")
    )
    return dict(rows)


def follow(*, user, article, now: datetime | None = None) -> None:
    """The reader follows the discussion: they are told of its new comments."""
    Visit.objects.update_or_create(
        user=user,
        article=article,
        defaults={"following": True},
        create_defaults={"following": True, "seen": now or timezone.now()},
    )


def unfollow(*, user, article) -> None:
    Visit.objects.filter(user=user, article=article).update(following=False)


def followers(article_ids: Iterable[int]) -> dict[int, set[int]]:
    """Who follows each of these articles (the readers' pks by article's): one query,
    on the `visit_followers` index, however many articles and readers."""
    found: dict[int, set[int]] = {}
    rows = Visit.objects.filter(article_id__in=set(article_ids), following=True).values_list(
        "article_id", "user_id"
    )
    for article_id, user_id in rows:
        found.setdefault(article_id, set()).add(user_id)
    return found


def followed_among(*, user_id: int, article_ids: Iterable[int]) -> set[int]:
    """Which of these articles the reader follows: one query."""
    return set(
        Visit.objects.filter(
            user_id=user_id, article_id__in=set(article_ids), following=True
        ).values_list("article_id", flat=True)
    )


def followed_by(*, user) -> QuerySet[Visit]:
    """The discussions the reader follows, each Visit with its article, by title."""
    return (
        Visit.objects.filter(user=user, following=True)
        .select_related("article")
        .order_by("article__title", "article_id")
    )
