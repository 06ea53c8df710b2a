"""Every write to comments, in one list: the functions below are the only way into
the comment tables. They live with their concern (posting, moderation, the trees'
bulk build) and are gathered here so a reader of any view, form, admin action,
importer or task finds the write it calls in one place.

None of their callers touch `lft`/`rght`/`tree_id`/`level` or set a status
themselves. Each function is one transaction; those that change a tree take the
article's tree lock (comments.trees.locks) before they read the state they change.
"""

from comments.moderation.bans import Banned
from comments.moderation.services import (
    UndoRefused,
    approval_undo,
    ban_lift,
    comments_approve,
    comments_approve_subtree,
    comments_remove,
    comments_remove_by_authors,
    comments_remove_subtree,
    comments_restore,
    reports_dismiss,
    user_bans_lift,
    users_ban,
)
from comments.posting.reports import comment_report, report_withdraw
from comments.posting.services import (
    MAX_DEPTH,
    CommentsClosed,
    comment_create,
    comment_create_as_guest,
    comment_delete,
    comment_edit,
)
from comments.trees.building import CommentDraft, comments_import
from comments.voting.services import comment_vote, recount_votes_of, votes_reset

__all__ = [
    "MAX_DEPTH",
    "Banned",
    "CommentDraft",
    "CommentsClosed",
    "UndoRefused",
    "approval_undo",
    "ban_lift",
    "comment_create",
    "comment_create_as_guest",
    "comment_delete",
    "comment_edit",
    "comment_report",
    "comment_vote",
    "comments_approve",
    "comments_approve_subtree",
    "comments_import",
    "comments_remove",
    "comments_remove_by_authors",
    "comments_remove_subtree",
    "comments_restore",
    "recount_votes_of",
    "report_withdraw",
    "reports_dismiss",
    "user_bans_lift",
    "users_ban",
    "votes_reset",
]
