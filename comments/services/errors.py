from django.core.exceptions import PermissionDenied

from comments.bans import active_ban
from comments.models import Ban


class CommentsClosed(PermissionDenied):
    """The article no longer accepts comments."""


class Banned(PermissionDenied):
    """The user is banned: they may read, not post, edit or report."""

    def __init__(self, ban: Ban) -> None:
        super().__init__(f"You are banned {ban.until_text}. Reason: {ban.reason}")
        self.ban = ban


def refuse_if_banned(user) -> None:
    ban = active_ban(user)
    if ban is not None:
        raise Banned(ban)
