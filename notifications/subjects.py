"""What a notification email's Subject says, and the one rule for the words in it that
others wrote.

Invariant: a name or title someone else wrote (a commenter's name, a guest's above
all, or an article's title) reaches a subject only through `quoted`: in curly
quotes, on one line, without control or invisible characters, and cut short, so it
can neither pass for the forum speaking ("Forum Security Team: your account will be
deleted…") nor start another header. The From line is the forum's own address
(FORUM_EMAIL_FROM, notifications.delivery) and never carries a commenter's name.
"""

import unicodedata

from notifications.models import Notification

NAME_LIMIT = 18
TITLE_LIMIT = 60
ELLIPSIS = "…"


def quoted(text: str, *, limit: int) -> str:
    """`text` in curly quotes and on one line, at most `limit` characters between the
    quotes (the last an ellipsis when it is cut)."""
    line = " ".join("".join(_shown(ch) for ch in text).split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + ELLIPSIS
    return f"“{line}”"


def _shown(ch: str) -> str:
    category = unicodedata.category(ch)
    if category in ("Cc", "Zl", "Zp"):  # line breaks, tabs and other controls
        return " "
    if category.startswith("C"):  # invisible: direction overrides, zero widths, unassigned
        return ""
    if ch in "“”":  # only the quotes around it may be curly
        return '"'
    return ch


def notification_subject(notification: Notification) -> str:
    """`“bob” replied to you on “Article title”`, or `… mentioned you on …`."""
    comment = notification.comment
    what = "replied to you" if notification.kind == Notification.Kind.REPLY else "mentioned you"
    name = quoted(comment.display_name, limit=NAME_LIMIT)
    return f"{name} {what} on {quoted(comment.article.title, limit=TITLE_LIMIT)}"


def discussion_subject(count: int, title: str) -> str:
    """`5 new comments on “Article title”`: new comments in a followed discussion,
    however many wrote them, name nobody."""
    return f"{_comments(count)} on {quoted(title, limit=TITLE_LIMIT)}"


def digest_subject(*, replies: int, comments: int = 0) -> str:
    """A digest names nobody: it says how many replies and mentions it gathers, and
    how many new comments in discussions the reader follows."""
    answers = f"{replies} new {'reply' if replies == 1 else 'replies and mentions'}"
    if not comments:
        return f"{answers} on the forum"
    followed = f"{_comments(comments)} in discussions you follow"
    return f"{answers}, and {followed}" if replies else followed


def _comments(count: int) -> str:
    return f"{count} new comment{'' if count == 1 else 's'}"
