"""Nested-set arithmetic shared by every writer that builds whole trees.

The importer numbers new trees, and the integrity repair renumbers broken ones,
with the same two functions: `allocate_tree_ids` hands out fresh tree ids under
the tree-id lock, and `number_tree` assigns `lft`, `rght` and `level` to a
tree given only its root and each node's children, iteratively (no recursion
limit on deep threads).
"""

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from django.db.models import Max

from comments.locks import lock_tree_ids
from comments.models import Comment

T = TypeVar("T")


def allocate_tree_ids(count: int = 1) -> int:
    """The first of `count` consecutive unused tree ids. Call inside the writer's
    transaction: the tree-id lock is held until it ends."""
    lock_tree_ids()
    return (Comment.objects.aggregate(top=Max("tree_id"))["top"] or 0) + 1


def number_tree(
    root: T, children: Callable[[T], Iterable[T]]
) -> Iterator[tuple[T, T | None, int, int, int]]:
    """(node, parent, lft, rght, level) for every node of the tree under `root`, in
    pre-order of completion (a node is yielded once its subtree is numbered)."""
    counter = 1
    # Entries: (node, parent, level, lft, children iterator).
    stack = [(root, None, 0, counter, iter(children(root)))]
    counter += 1
    while stack:
        node, parent, level, lft, pending = stack[-1]
        child = next(pending, None)
        if child is not None:
            stack.append((child, node, level + 1, counter, iter(children(child))))
            counter += 1
            continue
        stack.pop()
        yield node, parent, lft, counter, level
        counter += 1
