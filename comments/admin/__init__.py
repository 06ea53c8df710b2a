"""The moderation tools: comment queue, moderation log, bans and the user admin."""

from comments.admin import bans, comments, log, users  # noqa: F401  (registers the model admins)
