"""The moderation admin: the comment queue and a comment's page, the moderation log,
and bans (the user admin, with each user's comments, reports and bans, is
accounts.admin)."""

from comments.moderation.admin import bans, comments, log  # noqa: F401  (registers the model admins)
