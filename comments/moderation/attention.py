"""How many comments need a moderator: held, or with an open report, a comment both
held and reported counted once (Comment.objects.needing_attention, the rule the
queue's "needs attention" filter uses too).

The site's "Moderate" button shows it to moderators on every page, so it must cost
readers nothing and moderators little. Invariants: readers and anonymous visitors
cause no query here (only staff are asked whether they moderate: Django's
permission check, two queries a request for staff who are not superusers, which
pages asking policy.Viewer pay anyway); a moderator's page counts (one query) only
if it shows the button, and with a shared cache (Redis) the number is remembered
for ATTENTION_CACHE_SECONDS under one key for the whole site (it is the same for
every moderator), so moderators' pages count at most once per period between them. The number is a
hint, never invalidated: the writes that change it (a post held, a report, an
approval, a removal, a dismissal) are spread over the services, and a button
behind by half a minute misleads nobody, since the queue it opens is always read
fresh. When the shared cache is the database itself (no REDIS_URL), reading it
would cost the query it saves, so the count is made directly; when Redis is down
(forum.cache_backends answers misses) it is made directly too, and the page renders.
"""

from dataclasses import dataclass

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from comments import policy
from comments.models import Comment, Report

ATTENTION_CACHE_SECONDS = 30
ATTENTION_CACHE_KEY = "forum:moderation:attention"


@dataclass(frozen=True)
class Attention:
    """What the "Moderate" button shows: `count`, and `label` for its accessible name."""

    count: int = 0

    @property
    def label(self) -> str:
        return f"{self.count} need{'s' if self.count == 1 else ''} attention"


def attention_count() -> int:
    """Held comments and comments with open reports, each once: one query.

    The number of Comment.objects.needing_attention(), counted as the union of the
    held comments' ids and the ids of comments with open reports. Counting that
    filter itself, PostgreSQL misjudges its EXISTS as hundreds of times dearer than
    it is and compiles the query (JIT): 80 ms for 100,000 comments, against 13."""
    held = Comment.objects.held().order_by().values("pk")
    return held.union(Report.objects.open().order_by().values("comment_id")).count()


def cached_attention_count() -> int:
    """`attention_count`, remembered for ATTENTION_CACHE_SECONDS in the shared cache."""
    if isinstance(caches["default"], DatabaseCache):
        return attention_count()
    count = cache.get(ATTENTION_CACHE_KEY)
    if count is None:
        count = attention_count()
        cache.set(ATTENTION_CACHE_KEY, count, ATTENTION_CACHE_SECONDS)
    return count


def moderation_attention(request: HttpRequest) -> dict:
    """Context processor: `moderation_attention`, an Attention; counted, lazily, only
    for moderators (policy.Viewer.can_moderate), and empty for everyone else."""
    user = getattr(request, "user", None)
    # is_staff first: readers are never asked for permissions, which would cost queries.
    if user is None or not user.is_authenticated or not user.is_staff:
        return {"moderation_attention": Attention()}

    def count() -> Attention:
        if not policy.Viewer.of(user).can_moderate:
            return Attention()
        return Attention(cached_attention_count())

    return {"moderation_attention": SimpleLazyObject(count)}
