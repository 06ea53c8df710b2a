"""The moderation tools: comment queue, moderation log, bans and the user admin."""

from . import comments, log, users  # noqa: F401  (registers the model admins)
