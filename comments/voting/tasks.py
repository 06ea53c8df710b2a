"""Recounting a voter's votes when whether they count changes (comments.voting.counting).

A write that may change it (a comment of the voter's published, removed or deleted; a
ban started or lifted) asks here, in one query, whether the voter has votes counted
the other way, and if so queues `recount_votes` for when it commits: the write stays
as quick as before, and the recount takes its own locks. What changes with time
alone (an account coming of age, a ban's end) is queued to run then, with
`run_after`. A recount that is never run (the queue was down; or
FORUM_TASK_BACKEND=immediate, which cannot wait: its deferred tasks are not queued
at all) is made good at the voter's next vote (comments.voting.services.comment_vote
checks, in one query, for votes counted the wrong way).
"""

from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django_tasks import task

from comments.models import Ban, Vote
from comments.voting.counting import recount_votes_of
from forum.mail import enqueue_safely


@task()
def recount_votes(user_id: int) -> int:
    """Make this user's votes count, or stop counting, as their standing says now."""
    user = get_user_model().objects.filter(pk=user_id).first()
    return recount_votes_of(user) if user is not None else 0


def recount_later(user_id: int, *, at: datetime | None = None) -> None:
    """Queue a recount of this user's votes once the current transaction commits; with
    `at`, to run no earlier than then (if the task backend can wait: else nothing is
    queued, and their next vote recounts)."""
    queued = recount_votes
    if at is not None:
        if not recount_votes.get_backend().supports_defer:
            return
        queued = recount_votes.using(run_after=at)
    transaction.on_commit(partial(enqueue_safely, queued, user_id))


def _voters(user_ids: Iterable[int], **votes) -> list[int]:
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return []
    found = Vote.objects.filter(voter_id__in=ids, **votes).order_by()
    return sorted(set(found.values_list("voter_id", flat=True)))


def recount_if_waiting(user_ids: Iterable[int]) -> None:
    """After a write that may make these users' votes count (a comment of theirs
    published, a ban lifted): recount those with votes that do not count yet."""
    for user_id in _voters(user_ids, counted=False):
        recount_later(user_id)


def recount_if_counted(user_ids: Iterable[int]) -> None:
    """After a write that may stop these users' votes counting (a comment of theirs
    removed, deleted or held again): recount those with votes that count."""
    for user_id in _voters(user_ids, counted=True):
        recount_later(user_id)


def recount_banned(bans: Iterable[Ban]) -> None:
    """After these bans start: recount the banned users who have voted now (their votes
    stop counting), and again when each ban ends (no votes are cast while banned, so
    those who have none need neither)."""
    bans = list(bans)
    voted = set(_voters(ban.user_id for ban in bans))
    for ban in bans:
        if ban.user_id in voted:
            recount_later(ban.user_id)
            if ban.ends is not None:
                recount_later(ban.user_id, at=ban.ends)
