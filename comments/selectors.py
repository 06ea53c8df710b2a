"""Reads of comment trees, shaped for rendering."""

from articles.models import Article

from .models import Comment

# Only the columns the thread shows (plus the tree fields the shape needs).
THREAD_FIELDS = (
    "id",
    "article_id",
    "parent_id",
    "tree_id",
    "lft",
    "rght",
    "level",
    "author_name",
    "body",
    "status",
    "imported",
    "created",
    "author__id",
    "author__username",
)


def _visible_with_tombstones(rows: list[Comment]) -> list[Comment]:
    """Keep visible comments, and hidden ones as tombstones where a visible reply needs them.

    `rows` must be in tree order. A hidden comment with no visible descendant
    is dropped with its whole subtree, so the result is still a valid tree in
    pre-order. Each kept comment gets `is_tombstone`.
    """
    ancestors: list[Comment] = []
    for node in rows:
        while ancestors and ancestors[-1].level >= node.level:
            ancestors.pop()
        node.is_tombstone = not node.is_visible
        node.keep = node.is_visible
        if node.keep:
            for ancestor in reversed(ancestors):
                if ancestor.keep:
                    break
                ancestor.keep = True
        ancestors.append(node)
    return [node for node in rows if node.keep]


def _mark_structure(nodes: list[Comment]) -> list[Comment]:
    """Compute, once, where each comment's element opens a replies list or closes.

    `opens_replies`: the next comment is this one's first reply. Otherwise the
    element ends here, and `closes` counts the enclosing replies lists (and
    their comments) that end right after it. The template renders the nested
    markup with one flat loop from these two values.
    """
    if not nodes:
        return nodes
    base = min(node.level for node in nodes)
    for node, following in zip(nodes, [*nodes[1:], None], strict=True):
        next_level = following.level if following is not None else base
        node.opens_replies = following is not None and next_level > node.level
        node.closes = range(0 if node.opens_replies else node.level - next_level)
    return nodes


def article_thread(article: Article) -> list[Comment]:
    """Every comment a reader sees on the article page, in tree order, in one query."""
    rows = list(
        Comment.objects.for_article(article)
        .select_related("author")
        .only(*THREAD_FIELDS)
        .in_tree_order()
    )
    return _mark_structure(_visible_with_tombstones(rows))
