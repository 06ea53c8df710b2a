"""Check comment trees against the nested-set invariants, and rebuild broken ones.

The invariants, per tree_id: exactly one root; the `lft`/`rght` values are
exactly 1..2n; every comment lies inside its parent, in the same tree, one
level deeper; every comment belongs to the root's article.

A repair trusts the `parent` links (what readers replied to) and recomputes
everything else for the whole article, under the article's tree lock:
siblings keep their order (old `lft`, then time), a comment whose parent is in
another article becomes a top-level comment of its own article, and when two
threads share a tree_id (the race django-mptt warns of) the later one gets a
new tree_id.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.db import transaction

from articles.models import Article
from comments.models import Comment
from comments.threads.cache import bump_comments_version
from comments.trees.locks import lock_article_trees
from comments.trees.numbering import allocate_tree_ids, number_tree

FIELDS = ("id", "parent_id", "tree_id", "lft", "rght", "level", "article_id", "created")


@dataclass(frozen=True)
class Problem:
    tree_id: int
    article_ids: tuple[int, ...]
    message: str

    def __str__(self) -> str:
        return f"tree {self.tree_id}: {self.message}"


@dataclass
class _Row:
    id: int
    parent_id: int | None
    tree_id: int
    lft: int
    rght: int
    level: int
    article_id: int
    created: object


def _rows(queryset) -> list[_Row]:
    return [_Row(*values) for values in queryset.order_by("tree_id", "lft").values_list(*FIELDS)]


def _tree_problems(tree_id: int, nodes: list[_Row], by_id: dict[int, _Row]) -> list[str]:
    found = []
    roots = [n for n in nodes if n.parent_id is None]
    if len(roots) != 1:
        found.append(f"{len(roots)} roots (comments {', '.join(str(r.id) for r in roots)})")
    edges = sorted([n.lft for n in nodes] + [n.rght for n in nodes])
    if edges != list(range(1, 2 * len(nodes) + 1)):
        found.append(f"lft/rght values are not exactly 1..{2 * len(nodes)}")
    articles = {n.article_id for n in nodes}
    if len(articles) > 1:
        found.append(f"spans articles {sorted(articles)}")
    for node in nodes:
        if node.parent_id is None:
            if node.level != 0:
                found.append(f"root comment {node.id} has level {node.level}")
            continue
        parent = by_id.get(node.parent_id)
        if parent is None or parent.tree_id != tree_id:
            found.append(f"comment {node.id}'s parent {node.parent_id} is in another tree")
        elif not (parent.lft < node.lft and node.rght < parent.rght):
            found.append(f"comment {node.id} lies outside its parent {parent.id}")
        elif node.level != parent.level + 1:
            found.append(f"comment {node.id} has level {node.level}, its parent {parent.level}")
    return found


def check_trees(queryset=None) -> list[Problem]:
    """Every broken tree among `queryset`'s comments (all comments by default)."""
    rows = _rows(queryset if queryset is not None else Comment.objects.all())
    by_id = {row.id: row for row in rows}
    trees: dict[int, list[_Row]] = defaultdict(list)
    for row in rows:
        trees[row.tree_id].append(row)
    problems = []
    for tree_id, nodes in trees.items():
        articles = tuple(sorted({n.article_id for n in nodes}))
        problems += [Problem(tree_id, articles, m) for m in _tree_problems(tree_id, nodes, by_id)]
    return problems


class Placement(NamedTuple):
    """Where a comment belongs once its article is rebuilt."""

    parent_id: int | None
    tree_id: int
    lft: int
    rght: int
    level: int


def _children_by_parent(rows: list[_Row]) -> dict[int | None, list[_Row]]:
    """Each comment's replies in their old order (old `lft`, then time); a comment whose
    parent is not in this article is listed as a top-level comment."""
    by_id = {row.id: row for row in rows}
    children: dict[int | None, list[_Row]] = defaultdict(list)
    for row in rows:
        children[row.parent_id if row.parent_id in by_id else None].append(row)
    for siblings in children.values():
        siblings.sort(key=lambda n: (n.tree_id, n.lft, n.created, n.id))
    return children


def _place_all(rows: list[_Row], article_id: int) -> dict[int, Placement]:
    """Phase one: compute every comment's placement from the parent links alone.

    Each root keeps its tree id unless another article's comments hold it (then
    it gets a fresh one); comments caught in a cycle of parent links are cut
    loose at the oldest of them, which becomes a root.
    """
    children = _children_by_parent(rows)
    taken = set(
        Comment.objects.filter(tree_id__in={row.tree_id for row in rows})
        .exclude(article_id=article_id)
        .values_list("tree_id", flat=True)
    )
    placed: dict[int, Placement] = {}
    entered: set[int] = set()
    next_free: int | None = None

    def unentered_children(node: _Row) -> list[_Row]:
        fresh = [child for child in children[node.id] if child.id not in entered]
        entered.update(child.id for child in fresh)
        return fresh

    roots = list(children[None])
    while roots:
        for root in roots:
            if root.tree_id in taken:
                next_free = next_free or allocate_tree_ids()
                tree_id, next_free = next_free, next_free + 1
            else:
                tree_id = root.tree_id
            taken.add(tree_id)
            entered.add(root.id)
            for node, parent, lft, rght, level in number_tree(root, unentered_children):
                parent_id = parent.id if parent is not None else None
                placed[node.id] = Placement(parent_id, tree_id, lft, rght, level)
        unplaced = [row for row in rows if row.id not in placed]
        roots = [min(unplaced, key=lambda n: (n.created, n.id))] if unplaced else []
    return placed


def _rebuild_article(article_id: int) -> int:
    """Recompute the nested sets of one article's comments from their parent links
    (phase one, in memory), then write the rows that changed (phase two).
    Returns how many rows changed."""
    rows = _rows(Comment.objects.filter(article_id=article_id))
    placed = _place_all(rows, article_id)
    changed = [
        Comment(id=row.id, **placed[row.id]._asdict())
        for row in rows
        if (row.parent_id, row.tree_id, row.lft, row.rght, row.level) != placed[row.id]
    ]
    Comment.objects.bulk_update(
        changed, ["parent_id", "tree_id", "lft", "rght", "level"], batch_size=1000
    )
    return len(changed)


def repair_trees(problems: list[Problem]) -> int:
    """Rebuild every article that holds a broken tree, each in one transaction under
    its tree lock. Returns how many comments changed."""
    changed = 0
    for article_id in sorted({a for p in problems for a in p.article_ids}):
        with transaction.atomic():
            lock_article_trees(article_id)
            changed += _rebuild_article(article_id)
            # A repair may cut threads loose: count the article's threads afresh.
            threads = Comment.objects.filter(article_id=article_id, level=0).count()
            Article.objects.filter(pk=article_id).update(thread_count=threads)
            bump_comments_version(article_id)
    return changed
