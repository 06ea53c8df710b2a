"""Per-user limits on readers' writes. Every door that posts, edits, reports or votes
on a comment asks `refuse_if_too_fast` before it writes (guests, who have no account,
`refuse_guest_if_too_fast`, per IP address); over the limit, it answers HTTP 429
with the form (and the reader's text) back and stores nothing (a vote: 429 to
forum.js, with Retry-After; without JavaScript, back to the comment with the message).

| kind   | setting            | default |
|--------|--------------------|---------|
| post   | FORUM_COMMENT_RATE | 5/m     |
| edit   | FORUM_EDIT_RATE    | 10/m    |
| report | FORUM_REPORT_RATE  | 10/h    |
| vote   | FORUM_VOTE_RATE    | 60/m    |

A guest's posts and replies count against FORUM_COMMENT_RATE per IP address
(as forum.throttle.client_ip sees it), apart from any account's count.

Mentions are limited apart: each reader a comment would notify by mention counts
once against its sender's FORUM_MENTION_RATE (default 30/h; a guest's, per IP
address); past it the mention stays a link and notifies nobody, and the comment
itself is posted (`may_notify_by_mention`, asked by notifications.services).
"""

from django.conf import settings

from forum.throttle import hit

SETTINGS = {
    "post": "FORUM_COMMENT_RATE",
    "edit": "FORUM_EDIT_RATE",
    "report": "FORUM_REPORT_RATE",
    "vote": "FORUM_VOTE_RATE",
}
MESSAGES = {
    "post": "You are posting too fast. Wait {seconds} seconds, then try again.",
    "edit": "You are editing too fast. Wait {seconds} seconds, then try again.",
    "report": "You have sent many reports lately. Wait {seconds} seconds, then try again.",
    "vote": "You are voting too fast. Wait {seconds} seconds, then try again.",
}


class TooFast(Exception):
    """Over a limit: `str()` says how long to wait."""

    def __init__(self, kind: str, seconds: int) -> None:
        super().__init__(MESSAGES[kind].format(seconds=seconds))
        self.seconds = seconds


def refuse_if_too_fast(kind: str, user) -> None:
    """Count one `kind` of write by `user`; raise TooFast past its limit."""
    wait = hit(kind, str(user.pk), getattr(settings, SETTINGS[kind]))
    if wait:
        raise TooFast(kind, wait)


def refuse_guest_if_too_fast(ip: str) -> None:
    """Count one post by a guest from the IP address `ip`; raise TooFast past
    FORUM_COMMENT_RATE."""
    wait = hit("guest-post", ip, settings.FORUM_COMMENT_RATE)
    if wait:
        raise TooFast("post", wait)


def may_notify_by_mention(comment) -> bool:
    """Count one mention notification against the comment's sender; False past
    FORUM_MENTION_RATE. The sender is the comment's account, else (a guest) the IP
    address, else the address it was posted with."""
    if comment.author_id is not None:
        sender = f"user:{comment.author_id}"
    elif comment.author_ip:
        sender = f"ip:{comment.author_ip}"
    else:
        sender = f"guest:{comment.author_email}"
    return not hit("mention", sender, settings.FORUM_MENTION_RATE)
