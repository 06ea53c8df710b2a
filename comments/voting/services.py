"""Readers' votes: cast, changed, taken back; a moderator's reset.

A vote counts toward its comment's points while its voter counts
(comments.voting.counting: an account old enough and with a published comment, as
for reports, and not banned). A vote that does not count is kept, and counts from
the moment its voter does (`recount_votes_of`, queued by comments.voting.tasks when
that changes, and at the voter's next vote at the latest).

Every write to a comment's tallies happens under its article's tree lock
(comments.trees.locks, which every writer of the article's comment rows takes
first, so a vote never deadlocks with a reply shifting the same rows) and then the
comment's row lock: concurrent voters are applied one after the other and none is
lost or counted twice. The ranks each sort reads (`best`, `controversy`) are
written with the tallies. A vote that changes points writes its comment's row, its
thread root's `tree_voted_at` and its article's `votes_version` (counting.mark_voted),
and re-renders nothing: see comments.threads.ranking for when points show. Its
queries are a constant few, whatever the size of the thread.
"""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from comments import policy
from comments.models import Comment, ModerationAction, Vote
from comments.moderation.bans import refuse_if_banned
from comments.trees.locks import lock_article_trees
from comments.voting import counting, tasks
from comments.voting.counting import recount_votes_of, voter_counts

__all__ = [
    "Tally",
    "comment_vote",
    "recount_votes_of",
    "voter_counts",
    "votes_reset",
]

REASON_LENGTH = ModerationAction._meta.get_field("reason").max_length


@dataclass(frozen=True)
class Tally:
    """A comment's points as they now stand, and the reader's own vote (0: none)."""

    comment_id: int
    up: int
    down: int
    mine: int

    @property
    def points(self) -> int:
        return policy.points(self.up, self.down)


@transaction.atomic
def comment_vote(
    *, comment: Comment, voter: AbstractBaseUser, value: int, toggle: bool = False
) -> Tally:
    """Vote `comment` up (1) or down (-1), or take the vote back (0). One vote per reader
    per comment: voting again changes it, the same vote again changes nothing; with
    `toggle` (a button pressed), the same vote again takes it back, decided under the
    comment's lock, so two quick presses are two toggles.
    Refused (ValidationError, or Banned, nothing changed) for a reader not signed in,
    on the reader's own comment, on one not published, and while they are banned."""
    if value not in (1, -1, 0):
        raise ValidationError("A vote is up or down.", code="value")
    viewer = policy.Viewer.of(voter)
    if not viewer.signed_in:
        raise ValidationError(
            policy.vote_refusal(status="", author_id=None, viewer=viewer), code="refused"
        )
    refuse_if_banned(voter)
    lock_article_trees(comment.article_id)
    locked = (
        Comment.objects.select_for_update()
        .only("status", "author_id", "up", "down", "tree_id", "article_id")
        .get(pk=comment.pk)
    )
    refusal = policy.vote_refusal(status=locked.status, author_id=locked.author_id, viewer=viewer)
    if refusal:
        raise ValidationError(refusal, code="refused")
    now = timezone.now()
    standing = counting.voter_standing(voter, now=now, banned=False)
    counts = not standing
    # Every write of this comment's votes holds its row lock: this read is current.
    vote = Vote.objects.filter(comment=locked, voter=voter).first()
    if toggle and vote is not None and vote.value == value:
        value = 0
    old = counting.weight(vote.value, vote.counted) if vote else (0, 0)
    created = bool(value) and vote is None
    if value == 0 and vote is not None:
        vote.delete()
    elif value and vote is None:
        Vote.objects.create(
            comment=locked, voter=voter, value=value, counted=counts, created=now, changed=now
        )
    elif value and (vote.value, vote.counted) != (value, counts):
        Vote.objects.filter(pk=vote.pk).update(value=value, counted=counts, changed=now)
    new = counting.weight(value, counts)
    up, down = locked.up, locked.down
    if new != old:
        up, down = max(0, up + new[0] - old[0]), max(0, down + new[1] - old[1])
        Comment.objects.filter(pk=locked.pk).update(**counting.tally_fields(up, down, now))
        counting.mark_voted(article_ids=[locked.article_id], tree_ids=[locked.tree_id], now=now)
    _recount_if_stale(voter, counts=counts, first_waiting=created and standing == counting.TOO_NEW)
    return Tally(locked.pk, up, down, value)


def _recount_if_stale(voter: AbstractBaseUser, *, counts: bool, first_waiting: bool) -> None:
    """Queue a recount of the voter's votes if any is counted the other way (a recount
    queued when their standing changed never ran, or could not be queued): one query.
    A new vote of an account too new to count is queued a recount for when the account
    comes of age, if no other vote of theirs waits for it (one query more)."""
    if Vote.objects.filter(voter=voter, counted=not counts).exists():
        tasks.recount_later(voter.pk)
    elif first_waiting and not Vote.objects.filter(voter=voter, counted=False)[1:2].exists():
        tasks.recount_later(voter.pk, at=counting.counts_from(voter.date_joined))


@transaction.atomic
def votes_reset(*, comment: Comment, by: AbstractBaseUser, reason: str = "") -> int:
    """A moderator takes every vote off a comment (a ring voted it up or down), counted
    or not: its points go back to nothing, and the moderation log says who did it, how
    many votes there were and why. Returns how many votes were taken off; a comment
    without votes is left as it is, and nothing is logged."""
    lock_article_trees(comment.article_id)
    locked = (
        Comment.objects.select_for_update()
        .only("pk", "author_id", "tree_id", "article_id")
        .get(pk=comment.pk)
    )
    votes = Vote.objects.filter(comment=locked)
    tally = votes.aggregate(
        count=Count("pk"), up=Count("pk", filter=Q(value=1)), down=Count("pk", filter=Q(value=-1))
    )
    if not tally["count"]:
        return 0
    votes.delete()
    now = timezone.now()
    Comment.objects.filter(pk=locked.pk).update(**counting.tally_fields(0, 0, now))
    counting.mark_voted(article_ids=[locked.article_id], tree_ids=[locked.tree_id], now=now)
    count = tally["count"]
    note = f"({count} vote{'s' if count != 1 else ''}: {tally['up']} up, {tally['down']} down)"
    reason = reason.strip()
    room = REASON_LENGTH - len(note) - 1
    if len(reason) > room:
        reason = reason[: room - 1] + "…"
    ModerationAction.objects.create(
        actor=by,
        kind=ModerationAction.Kind.RESET_VOTES,
        comment=locked,
        user_id=locked.author_id,
        reason=f"{reason} {note}" if reason else note,
        created=now,
    )
    return count
