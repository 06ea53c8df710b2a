"""Registers the comments app's model admins, which live with moderation
(comments.moderation.admin); Django's admin looks for them here."""

from comments.moderation import admin  # noqa: F401
