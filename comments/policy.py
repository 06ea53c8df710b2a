"""The rules about comments, each in one place.

Who may see a comment, who may edit it and until when, which comments wait for
a moderator (guests' included), what name it shows, who may be banned, which
moderation action fits which comment, how threads are sorted and paged: views, templates (through
the model or precomputed flags), the admin, the importer, the selectors and
the services all ask these functions, so the rules cannot drift apart. This
module imports no models, so the model itself can delegate to it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Pending review")
    REMOVED = "removed", _("Removed by a moderator")
    DELETED = "deleted", _("Deleted by its author")


# What stands in for a hidden comment that visible replies still hang under.
TOMBSTONES = {
    Status.REMOVED: "[removed]",
    Status.DELETED: "[deleted]",
    Status.PENDING: "[awaiting moderation]",
}


MODERATE_PERMISSION = "comments.change_comment"


@dataclass(frozen=True)
class Viewer:
    """Who is looking, reduced to what the rules ask. `guest_comments`: for a reader
    without an account, the comments they posted as a guest from this browser (kept
    in their session by comments.posting.guests), which they may see while held."""

    user_id: int | None = None
    can_moderate: bool = False
    guest_comments: frozenset[int] = frozenset()

    @classmethod
    def of(cls, user, *, guest_comments: Iterable[int] = ()) -> "Viewer":
        """Moderators are staff allowed to change comments: staff status alone lets
        someone into the admin, not see what is held. (Only staff reach the admin,
        so readers are never asked for permissions, which would cost queries.)
        `guest_comments` count only for readers who are not signed in."""
        if user is None or not user.is_authenticated:
            return cls(guest_comments=frozenset(guest_comments))
        moderates = user.is_staff and user.has_perm(MODERATE_PERMISSION)
        return cls(user_id=user.pk, can_moderate=moderates)

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None


# Visibility.


# Statuses every reader may see, whoever they are.
VISIBLE_TO_EVERYONE = frozenset({Status.PUBLISHED})


def can_see(status: str, author_id: int | None, viewer: Viewer, *, pk: int | None = None) -> bool:
    """Published comments for everyone; held ones for their author, and the held
    comment `pk` for the guest who wrote it, in the browser they wrote it from; and
    every comment for moderators, who see held, removed and deleted comments in
    place, marked as such (comments.threads.markup), so they can act on them from the thread."""
    if status in VISIBLE_TO_EVERYONE or viewer.can_moderate:
        return True
    if status == Status.PENDING:
        if viewer.signed_in:
            return author_id == viewer.user_id
        return pk is not None and pk in viewer.guest_comments
    return False


# The public moderation log (FORUM_PUBLIC_MODLOG): "off", "on" (what was removed
# or banned, when and why) or "names" (and by which moderator).


def public_modlog() -> bool:
    return settings.FORUM_PUBLIC_MODLOG != "off"


def tombstone(status: str, public_reason: str = "") -> str:
    """What readers read (as plain text) in place of a hidden comment that visible
    replies hang under: with a public moderation log, a removal says so and why."""
    if status == Status.REMOVED and public_modlog():
        return (
            f"[removed by moderators: {public_reason}]"
            if public_reason
            else "[removed by moderators]"
        )
    return TOMBSTONES[status]


def visible_to_everyone_q(*, prefix: str = "") -> Q:
    """What every reader may see (`can_see` for anyone), as a database filter; `prefix`
    ("comment__") applies it to the comment of a related row."""
    return Q(**{f"{prefix}status__in": VISIBLE_TO_EVERYONE})


def counts_as_visible(status: str) -> bool:
    """Whether a comment counts in the article's public `comment_count`."""
    return status in VISIBLE_TO_EVERYONE


# Editing, deleting and moderation of what authors write.

REMOVED_BY_MODERATORS = (
    "A moderator removed this comment, so it can no longer be edited or deleted."
)


def edit_deadline(created: datetime) -> datetime:
    return created + settings.FORUM_EDIT_WINDOW


def edit_refusal(
    *, status: str, author_id: int | None, created: datetime, viewer: Viewer, now=None
) -> str:
    """Why `viewer` may not edit this comment now, or "" if they may: only its
    author, only a visible or held comment, only within FORUM_EDIT_WINDOW, and
    never one a moderator removed."""
    if not viewer.signed_in or author_id != viewer.user_id:
        return "Only its author can edit a comment."
    if status == Status.REMOVED:
        return REMOVED_BY_MODERATORS
    if status == Status.DELETED:
        return "This comment is deleted."
    if (now or timezone.now()) > edit_deadline(created):
        return "The time for editing this comment has passed. You can still delete it."
    return ""


def can_edit(
    *, status: str, author_id: int | None, created: datetime, viewer: Viewer, now=None
) -> bool:
    return not edit_refusal(
        status=status, author_id=author_id, created=created, viewer=viewer, now=now
    )


def delete_refusal(*, status: str, author_id: int | None, viewer: Viewer) -> str:
    """Why `viewer` may not delete this comment, or "" if they may: its author, at
    any time, unless a moderator removed it (moderators' decisions stand)."""
    if not viewer.signed_in or author_id != viewer.user_id:
        return "Only its author can delete a comment."
    if status == Status.REMOVED:
        return REMOVED_BY_MODERATORS
    return ""


# Why a comment waits for a moderator, as moderators read it (Comment.moderation_reason).
HELD_PRE_MODERATION = "Pre-moderation: every new comment waits for a moderator."
HELD_NEW_ACCOUNT = "New account: held until a moderator has approved {count} of its comments."
HELD_AFTER_EDIT = "Edited: held for review again."
HELD_WHILE_HELD = "Edited while held: waits for a moderator again."
HELD_GUEST = "Guest: waits for a moderator."
HELD_LIKE_BANNED = (
    "Guest writing from the email or network address of a banned account: waits for a "
    "moderator, trusted or not."
)
HELD_BY_REPORTS = "Held automatically after {count} reports"
HELD_BY_REPORTS_HALF = " ({half} counted half: moderators often dismiss their reports)"


def reports_hold_reason(*, reporters: int, counted_half: int) -> str:
    """Why a comment its readers' reports held waits for a moderator."""
    reason = HELD_BY_REPORTS.format(count=reporters)
    if counted_half:
        reason += HELD_BY_REPORTS_HALF.format(half=counted_half)
    return f"{reason}."


def review_reason(*, author: Viewer, approved: int, edit: bool = False, held: bool = False) -> str:
    """Why a comment this author writes (or, `edit`, rewrites while it is `held` or not)
    waits for a moderator, or "" when it does not: always under FORUM_MODERATION=pre,
    while it is held already, and while the author has fewer than FORUM_NEW_USER_HOLD
    approved (published) comments. Moderators' own comments never wait."""
    if author.can_moderate:
        return ""
    if edit and held:
        return HELD_WHILE_HELD
    if settings.FORUM_MODERATION == "pre":
        reason = HELD_PRE_MODERATION
    elif approved < settings.FORUM_NEW_USER_HOLD:
        reason = HELD_NEW_ACCOUNT.format(count=settings.FORUM_NEW_USER_HOLD)
    else:
        return ""
    return f"{HELD_AFTER_EDIT} {reason}" if edit else reason


def needs_review(*, author: Viewer, approved: int) -> bool:
    return bool(review_reason(author=author, approved=approved))


def guests_may_comment() -> bool:
    """Whether readers without an account may post and reply, with a name and an email
    address (FORUM_GUEST_COMMENTS=held). Otherwise they are asked to log in."""
    return settings.FORUM_GUEST_COMMENTS == "held"


def trusts_returning_guests() -> bool:
    """Whether a guest's earlier approved comment lets their next ones through at once:
    with FORUM_GUEST_TRUST=approved-before, unless FORUM_MODERATION=pre holds every new
    comment."""
    return settings.FORUM_GUEST_TRUST == "approved-before" and settings.FORUM_MODERATION != "pre"


def guest_review_reason(*, approved_before: bool, like_banned: bool = False) -> str:
    """Why a guest's comment waits for a moderator ("" when it does not): always, except
    for a returning guest, one whose earlier comment under the same name and email
    address together is published, while returning guests are trusted (as
    WordPress's "comment author must have a previously approved comment"). A guest
    writing from the email address of a banned account, or from the network address
    a banned account last used, always waits: a ban is not escaped by logging out."""
    if like_banned:
        return HELD_LIKE_BANNED
    if trusts_returning_guests() and approved_before:
        return ""
    return HELD_PRE_MODERATION if settings.FORUM_MODERATION == "pre" else HELD_GUEST


def guest_email_key(address: str) -> str:
    """A guest's email address as it is stored and compared: trimmed and in lower case,
    so "Ana@Example.com " and "ana@example.com" are one guest."""
    return address.strip().lower()


# Names and bans.


def display_name(username: str | None, author_name: str) -> str:
    """The author's current username; the name as written for guests and imported comments."""
    return username if username is not None else author_name


def is_guest(author_id: int | None) -> bool:
    """Whether a comment's author has no account here: a guest, or the author of an
    imported comment (the seed's commenters were guests too), marked "guest" alike."""
    return author_id is None


def ban_refusal(user) -> str:
    """Why this user cannot be banned, or "" if they can."""
    return _ban_refusal(is_staff=user.is_staff)


def _ban_refusal(*, is_staff: bool) -> str:
    if is_staff:
        return "Staff users cannot be banned; remove their staff status first."
    return ""


# Moderation: which action fits which comment, in one table. The thread's buttons,
# the thread's confirmation pages, the admin's buttons and the services that act
# all ask it, so none offers what another refuses.


class Act(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REMOVE = "remove", _("Remove")
    RESTORE = "restore", _("Restore")
    BAN = "ban", _("Ban author")
    LIFT_BAN = "lift-ban", _("Lift ban")
    DISMISS = "dismiss", _("Dismiss reports")


# The statuses each action applies to (a ban or a dismissal leaves the status alone).
APPLIES_TO: dict[str, frozenset[str]] = {
    Act.APPROVE: frozenset({Status.PENDING}),
    Act.REMOVE: frozenset({Status.PUBLISHED, Status.PENDING}),
    Act.RESTORE: frozenset({Status.REMOVED}),
    Act.BAN: frozenset(Status),
    Act.LIFT_BAN: frozenset(Status),
    Act.DISMISS: frozenset(Status),
}


def actions_for(
    *,
    status: str,
    author_id: int | None,
    author_is_staff: bool,
    viewer: Viewer,
    open_reports: int = 0,
    author_banned: bool = False,
) -> list[str]:
    """What a moderator `viewer` may do to a comment now, in the order they are offered:
    approve a held one, remove a published or held one, restore a removed one, ban
    its author (one with an account, not staff, not the moderator) or, when they are
    banned already, lift the ban, dismiss its open reports. Nothing for anyone who
    is not a moderator."""
    if not viewer.can_moderate:
        return []
    chosen = [act for act in (Act.APPROVE, Act.REMOVE, Act.RESTORE) if status in APPLIES_TO[act]]
    if author_id is not None and author_banned:
        chosen.append(Act.LIFT_BAN)
    elif (
        author_id is not None
        and author_id != viewer.user_id
        and not _ban_refusal(is_staff=author_is_staff)
    ):
        chosen.append(Act.BAN)
    if open_reports:
        chosen.append(Act.DISMISS)
    return chosen


def needs_attention(*, status: str, open_reports: int) -> bool:
    """Whether a comment waits for a moderator: held, or with an open report (the rule
    of the queue's "needs attention", Comment.objects.needing_attention, for one comment
    already read)."""
    return status == Status.PENDING or open_reports > 0


# Undoing an approval: for a short time after approving a comment, the moderator who
# approved it may put it back on hold, as long as nobody acted on it since.
APPROVAL_UNDO_WINDOW = timedelta(minutes=10)


def approval_undo_refusal(
    *,
    status: str,
    approved_by: int | None,
    approved_at: datetime | None,
    acted_since: str,
    viewer: Viewer,
    now: datetime | None = None,
) -> str:
    """Why `viewer` may not undo the approval of a comment now ("" when they may).
    `approved_by`, `approved_at`: the comment's latest approval (None: it has none);
    `acted_since`: what was done to the comment after it, as the moderation log names
    it ("Removed", "Edited by its author"; "" for nothing)."""
    if not viewer.can_moderate:
        return "Only moderators can do this."
    if approved_at is None:
        return "This comment was never approved: there is no approval to undo."
    if acted_since:
        return (
            f"This approval can no longer be undone: the comment has been acted on since "
            f"({acted_since})."
        )
    if status != Status.PUBLISHED:
        return f"This comment is {Status(status).label.lower()} now: there is nothing to undo."
    if approved_by != viewer.user_id:
        return "Only the moderator who approved this comment can undo the approval."
    if (now or timezone.now()) > approved_at + APPROVAL_UNDO_WINDOW:
        minutes = int(APPROVAL_UNDO_WINDOW.total_seconds() // 60)
        return f"This approval can no longer be undone: it is more than {minutes} minutes old."
    return ""


# Votes, and what they rank.

# Reddit's "Best": the lower bound of the Wilson score interval of a comment's
# up-vote share, at 80% confidence (z for 0.9 one-sided), so 10 of 10 up-votes
# outrank 40 of 60, and a comment with few votes is neither buried nor crowned.
WILSON_Z = 1.281551565545


def points(up: int, down: int) -> int:
    return up - down


def wilson(up: int, down: int) -> float:
    """The lower bound of the Wilson score interval of up / (up + down); 0 unvoted."""
    n = up + down
    if n == 0:
        return 0.0
    z2 = WILSON_Z * WILSON_Z
    share = up / n
    spread = WILSON_Z * ((share * (1 - share) + z2 / (4 * n)) / n) ** 0.5
    return (share + z2 / (2 * n) - spread) / (1 + z2 / n)


def controversy(up: int, down: int) -> float:
    """Many votes, evenly split: (up + down) ** (min / max); 0 when one side has none."""
    if up == 0 or down == 0:
        return 0.0
    return float(up + down) ** (min(up, down) / max(up, down))


def collapsed(up: int, down: int) -> bool:
    """Shown folded ("comment score below threshold"), open on demand: points at or
    below FORUM_COLLAPSE_AT_SCORE."""
    return (up or down) and points(up, down) <= settings.FORUM_COLLAPSE_AT_SCORE


def vote_refusal(*, status: str, author_id: int | None, viewer: Viewer) -> str:
    """Why `viewer` may not vote on a comment ("" when they may): signed-in readers
    vote on published comments of others. (Bans and the rate limit are the vote
    service's and view's to check.)"""
    if not viewer.signed_in:
        return "Log in to vote."
    if author_id is not None and author_id == viewer.user_id:
        return "You cannot vote on your own comment."
    if status != Status.PUBLISHED:
        return "Only published comments take votes."
    return ""


# Sorting and paging of an article's threads. Each level of a thread is ordered by
# the chosen sort: the top-level threads (by the database, `order_by`) and every
# comment's replies (by `reply_key`, in Python, on the nodes a page renders).
# Sorts by votes (`ranked`) reorder at most every FORUM_RANK_SECONDS
# (comments.threads.ranking).


@dataclass(frozen=True)
class Sort:
    key: str
    label: str
    description: str
    order_by: tuple
    ranked: bool = False


SORTS = {
    sort.key: sort
    for sort in (
        Sort(
            "best",
            "Best",
            "Most liked by the share of up-votes, trusting many votes more than few",
            ("-best", "tree_id"),
            ranked=True,
        ),
        Sort(
            "top",
            "Top",
            "Most points (up-votes minus down-votes)",
            ((F("up") - F("down")).desc(), "tree_id"),
            ranked=True,
        ),
        Sort(
            "newest",
            "Newest",
            "Threads with the newest comments first",
            ("-last_activity", "-tree_id"),
        ),
        Sort("oldest", "Oldest", "In the order they were written", ("tree_id",)),
        Sort(
            "controversial",
            "Controversial",
            "Many votes, evenly split between up and down",
            ("-controversy", "tree_id"),
            ranked=True,
        ),
        Sort(
            "replies",
            "Most replies",
            "Threads with the most replies first",
            ((F("rght") - F("lft")).desc(), "tree_id"),
        ),
    )
}


def default_sort() -> Sort:
    """FORUM_DEFAULT_SORT: what a page shows when no sort is asked for."""
    return SORTS[settings.FORUM_DEFAULT_SORT]


def sort_named(key: str | None) -> Sort:
    """The sort a request asks for; the default for anything unknown."""
    return SORTS.get(key or "") or default_sort()


def reply_key(sort: Sort):
    """How `sort` orders the replies of one comment: a key on (up, down, created,
    descendants) for sorted(); earlier written first among equals."""
    if sort.key == "best":
        return lambda up, down, created, size: (-wilson(up, down), created)
    if sort.key == "top":
        return lambda up, down, created, size: (-points(up, down), created)
    if sort.key == "controversial":
        return lambda up, down, created, size: (-controversy(up, down), created)
    if sort.key == "newest":
        return lambda up, down, created, size: (-created.timestamp(),)
    if sort.key == "replies":
        return lambda up, down, created, size: (-size, created)
    return None  # oldest: the order they were written, the tree's own


def thread_paginator(threads) -> Paginator:
    """Pages of FORUM_THREADS_PER_PAGE top-level threads (a queryset or a sequence)."""
    return Paginator(threads, settings.FORUM_THREADS_PER_PAGE, allow_empty_first_page=True)


def thread_pages(thread_count: int) -> Paginator:
    """The pages of an article with `thread_count` threads, known without a query."""
    return thread_paginator(range(thread_count))
