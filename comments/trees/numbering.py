"""Nested-set arithmetic shared by every writer that builds whole trees.

The importer numbers new trees, and the integrity repair renumbers broken ones,
with the same two functions: `allocate_tree_ids` hands out fresh tree ids under
the tree-id lock, and `number_tree` assigns `lft`, `rght` and `level` to a
tree given only its root and each node's children, iteratively (no recursion
limit on deep threads). `open_gap_under` makes room under a comment for new
replies, for a reader's reply and the importer's new subtrees alike. Callers hold
the article's tree lock (comments.trees.locks).
"""

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from django.db.models import Case, F, Max, PositiveIntegerField, When

from comments.models import Comment
from comments.trees.locks import lock_tree_ids

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


def open_gap_under(parent: Comment, width: int = 2) -> int:
    """Shift the parent's right edge, and everything after it in its tree, `width`
    to the right; returns the `lft` of the gap, where the parent's new last child
    (or, for the importer, its new last subtrees) goes."""
    edge = parent.rght
    Comment.objects.filter(tree_id=parent.tree_id, rght__gte=edge).update(
        lft=Case(
            When(lft__gt=edge, then=F("lft") + width),
            default=F("lft"),
            output_field=PositiveIntegerField(),
        ),
        rght=F("rght") + width,
    )
    return edge
