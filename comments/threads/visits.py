"""What is new for a reader: the comments posted since their previous visit.

A visit is a run of page views less than VISIT_GAP apart. The page carries the
time the reader's previous visit ended (`since`); static/js/forum.js marks the
comments written after it, from the times the (shared, cached) thread markup
already carries. So marking costs no render of its own and at most two small
queries, whatever the thread's size: reading the reader's Visit row, and
writing it when it is more than SEEN_RESOLUTION old.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from comments.models import Visit

VISIT_GAP = timedelta(minutes=30)
SEEN_RESOLUTION = timedelta(minutes=1)


def record_visit(*, user, article, now: datetime | None = None) -> datetime | None:
    """Note that `user` is reading `article` now; returns the time since which its
    comments are new to them (None on a first visit: nothing is new then)."""
    now = now or timezone.now()
    visit = Visit.objects.filter(user=user, article=article).first()
    if visit is None:
        # One INSERT; a tab of the same reader that got there first wins.
        Visit.objects.bulk_create(
            [Visit(user=user, article=article, seen=now)], ignore_conflicts=True
        )
        return None
    if now - visit.seen > VISIT_GAP:
        visit.since = visit.seen  # a new visit: new is what came after the last one
    if now - visit.seen > SEEN_RESOLUTION:
        Visit.objects.filter(pk=visit.pk).update(seen=now, since=visit.since)
    return visit.since
