"""Locks that serialise writes to comment trees.

django-mptt does no locking of its own: two concurrent writers can shift the
same `lft`/`rght` ranges or take the same new `tree_id`. Every tree write, and
every moderation write that reads a subtree's range, takes the locks of its
articles first, in ascending id order (each tree belongs to one article, so
writers on different articles never wait for each other); a writer that
allocates new `tree_id` values also takes the tree-id lock, always after the
article locks.

On PostgreSQL these are transaction-scoped advisory locks, released at commit
or rollback. SQLite has one writer at a time: with `transaction_mode=IMMEDIATE`
(see settings) every write transaction already holds the database's write lock.
"""

from django.db import connection

# First key of PostgreSQL's two-key advisory lock: a namespace per kind of lock.
_ARTICLE_NAMESPACE = 7401
_TREE_ID_NAMESPACE = 7402


def _advisory_xact_lock(namespace: int, key: int) -> None:
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("Tree locks must be taken inside transaction.atomic().")
    with connection.cursor() as cursor:
        # The two-int form takes int4 keys; fold larger ids into that range.
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, (key % 2_147_483_647)])


def lock_article_trees(*article_ids: int) -> None:
    """Block until no other transaction is writing the comment trees of these
    articles. Taken in ascending order, so two writers never deadlock."""
    for article_id in sorted(set(article_ids)):
        _advisory_xact_lock(_ARTICLE_NAMESPACE, article_id)


def lock_tree_ids() -> None:
    """Block until no other transaction is allocating new tree ids."""
    _advisory_xact_lock(_TREE_ID_NAMESPACE, 0)
