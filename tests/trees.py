"""Helpers that check comment trees against the nested-set invariants."""

from collections import defaultdict

from comments.models import Comment


def assert_valid_trees(queryset=None) -> None:
    """Every tree: one root, lft/rght exactly 1..2n, children inside parents at level + 1,
    and one article per tree."""
    rows = list((queryset or Comment.objects.all()).order_by("tree_id", "lft"))
    by_id = {c.pk: c for c in rows}
    trees = defaultdict(list)
    for c in rows:
        trees[c.tree_id].append(c)
    for tree_id, nodes in trees.items():
        roots = [c for c in nodes if c.parent_id is None]
        assert len(roots) == 1, f"tree {tree_id} has {len(roots)} roots"
        edges = sorted([c.lft for c in nodes] + [c.rght for c in nodes])
        assert edges == list(range(1, 2 * len(nodes) + 1)), f"tree {tree_id} edges {edges}"
        assert len({c.article_id for c in nodes}) == 1, f"tree {tree_id} spans articles"
        for c in nodes:
            if c.parent_id is None:
                assert c.level == 0
                continue
            parent = by_id[c.parent_id]
            assert parent.tree_id == c.tree_id
            assert parent.lft < c.lft and c.rght < parent.rght
            assert c.level == parent.level + 1


def outline(article) -> list[tuple[int, str]]:
    """(level, author) for each comment of an article, in tree order."""
    return [
        (c.level, c.author_name)
        for c in Comment.objects.filter(article=article).order_by("tree_id", "lft")
    ]
