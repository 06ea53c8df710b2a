"""The comments app's models, by concern; every model is importable from here."""

from comments.models.comment import Comment, CommentQuerySet, Revision
from comments.models.moderation import Ban, ModerationAction, Report
from comments.models.visit import Visit
from comments.models.vote import Vote

__all__ = [
    "Ban",
    "Comment",
    "CommentQuerySet",
    "ModerationAction",
    "Report",
    "Revision",
    "Visit",
    "Vote",
]
