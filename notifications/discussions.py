"""Followed discussions: which new comments tell their followers, and which waiting
notification a comment joins instead of adding to a reader's inbox.

Invariants:
- A reader who follows an article (comments.threads.visits) is told of each
  comment that appears in it: posted, or published by a moderator (approved,
  restored); never an edit, never an imported comment. The rules of replies and
  mentions hold: never their own comment, never from a thread they muted, only
  while their account is active, and once per comment: a comment that tells them
  as a reply or mention is not also a new comment for them (notifications.
  services, with the unique constraint on (recipient, comment)).
- While a reader's notification of a followed discussion is unread and still
  waits as a new one would (its email state is what their email choice gives a
  new one: not taken for mail, nor left over from an earlier choice), further
  comments there join it (FollowedComment) instead of adding a notification.
  With an email for each, its email leaves BATCH after it was made, with
  everything that joined it by then (notifications.delivery): one email per
  discussion per quarter hour at most.
- The waiting notifications are read locked (`waiting`), in the publisher's
  transaction, after the readers' Preferences rows (a digest falling due), the
  order `set_email_preference` and `unsubscribe` take them in. A mail task taking
  one for sending waits for the comments joining it to commit, or, if it took it
  first, makes them start a new one.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from comments import policy
from comments.models import Comment
from notifications.models import FollowedComment, Notification

Kind = Notification.Kind
EmailState = Notification.Email

# How long a followed discussion's notification gathers new comments before its
# email leaves, for readers who want an email for each.
BATCH = timedelta(minutes=15)


@dataclass
class Gathered:
    """The comments one reader is to be told of in one followed article, and the
    notification that tells them (a waiting one, or a new one)."""

    reader: int
    comments: list[Comment] = field(default_factory=list)
    notification: Notification | None = None


def gather(
    comments: list[Comment],
    followers: dict[int, set[int]],
    *,
    skip: set[tuple[int, int]],
    active: set[int],
) -> dict[tuple[int, int], Gathered]:
    """For each (reader, article), the comments its follower is told of: not their
    own, nor one in `skip` (told before, told now as a reply or mention, or in a
    thread they muted), and only while their account is active."""
    gathered: dict[tuple[int, int], Gathered] = {}
    for comment in comments:
        for reader in followers.get(comment.article_id, ()):
            if reader == comment.author_id or reader not in active or (reader, comment.pk) in skip:
                continue
            key = (reader, comment.article_id)
            gathered.setdefault(key, Gathered(reader)).comments.append(comment)
    return gathered


def waiting(
    gathered: dict[tuple[int, int], Gathered], states: dict[int, str]
) -> dict[tuple[int, int], Notification]:
    """Each reader's notification of a followed article that new comments may still
    join: unread, and waiting as a new one would (`states`, by reader). Locked until
    the transaction ends; one query."""
    if not gathered:
        return {}
    rows = (
        Notification.objects.select_for_update(of=("self",))
        .filter(
            kind=Kind.FOLLOWED,
            read__isnull=True,
            recipient_id__in={reader for reader, _ in gathered},  # the unread index
            comment__article_id__in={article for _, article in gathered},
            email_state__in=[EmailState.NONE, EmailState.PENDING, EmailState.DIGEST],
        )
        .order_by("pk")
        .values_list("pk", "recipient_id", "comment__article_id", "email_state")
    )
    found = {}
    for pk, reader, article, state in rows:
        if (reader, article) in gathered and state == states[reader]:
            found[(reader, article)] = Notification(pk=pk, recipient_id=reader)
    return found


def first_new_comment(notification: Notification) -> Comment | None:
    """The first of the comments a followed discussion's notification tells of that
    everyone may still see (with its article), or None when none is left."""
    found = (
        FollowedComment.objects.filter(
            policy.visible_to_everyone_q(prefix="comment__"), notification=notification
        )
        .select_related("comment__article")
        .order_by("comment__created", "comment_id")
        .first()
    )
    return None if found is None else found.comment
