"""Every write to comments goes through this package.

Views, forms, admin actions and the importer call these functions; none of
them touch `lft`/`rght`/`tree_id`/`level` or set a status themselves. Each
function is one transaction; those that change a tree take the article's tree
lock (see `comments.locks`) before they read the state they change.
"""

from comments.services.errors import Banned, CommentsClosed
from comments.services.importing import CommentDraft, comments_import
from comments.services.moderation import (
    ban_lift,
    comments_approve,
    comments_approve_subtree,
    comments_remove,
    comments_remove_by_authors,
    comments_remove_subtree,
    comments_restore,
    reports_dismiss,
    users_ban,
)
from comments.services.posting import (
    MAX_DEPTH,
    clean_comment_body,
    clean_guest_email,
    clean_guest_name,
    comment_create,
    comment_create_as_guest,
    comment_delete,
    comment_edit,
    comment_report,
)

__all__ = [
    "MAX_DEPTH",
    "Banned",
    "CommentDraft",
    "CommentsClosed",
    "ban_lift",
    "clean_comment_body",
    "clean_guest_email",
    "clean_guest_name",
    "comment_create",
    "comment_create_as_guest",
    "comment_delete",
    "comment_edit",
    "comment_report",
    "comments_approve",
    "comments_approve_subtree",
    "comments_import",
    "comments_remove",
    "comments_remove_by_authors",
    "comments_remove_subtree",
    "comments_restore",
    "reports_dismiss",
    "users_ban",
]
