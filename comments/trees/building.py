"""The importers' bulk insert: whole threads, and new replies under comments already here.

Seed documents, WordPress and Disqus exports all arrive as trees of
`CommentDraft`s. The nested-set values are computed in Python (comments.trees.numbering)
and the rows bulk-inserted one level at a time (a level's parents already have
their primary keys), so a thread of thousands of comments costs a few queries.
Everything runs under the article's tree lock, in the caller's transaction if
there is one.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments import policy
from comments.models import Comment
from comments.text import html_to_text, render_comment_body, render_imported_html
from comments.threads.cache import bump_comments_version
from comments.trees.locks import lock_article_trees
from comments.trees.numbering import allocate_tree_ids, number_tree, open_gap_under
from forum.throttle import valid_ip

Status = Comment.Status


@dataclass(frozen=True)
class CleanedHtml:
    """Another site's comment HTML cleaned by the forum's nh3 policy, and the plain
    text it reads as (what the length rule counts). Made by `clean_imported_html`."""

    html: str
    text: str


def clean_imported_html(html: str) -> CleanedHtml:
    """A comment's HTML from another site's export, as the forum stores it."""
    cleaned = render_imported_html(html)
    return CleanedHtml(html=cleaned, text=html_to_text(cleaned))


@dataclass
class CommentDraft:
    """One comment to import, with its replies in order.

    `body` is plain text (a seed's) unless `html` is given: then `html` is the
    source site's markup, cleaned here by the forum's nh3 policy (unless it is
    `clean_imported_html`'s already), and `body` (when left empty) becomes the plain
    text it reads as. `created` None means the source has no time for it (the
    import's time is used, shown as a month, as a seed's is). `source_id` names it
    in its source, so importing it again adds nothing."""

    author_name: str
    body: str
    replies: list["CommentDraft"] = field(default_factory=list)
    html: str | CleanedHtml | None = None
    email: str = ""
    ip: str | None = None
    created: datetime | None = None
    status: str = Status.PUBLISHED
    source_id: str = ""
    author_url: str = ""
    member: bool = False  # had an account on the site it came from


def _row(draft: CommentDraft, *, article: Article, created: datetime, **tree) -> Comment:
    if draft.html is None:
        body, html = draft.body, render_comment_body(draft.body, imported=True)
    else:
        cleaned = draft.html
        if not isinstance(cleaned, CleanedHtml):
            cleaned = clean_imported_html(cleaned)
        html, body = cleaned.html, draft.body or cleaned.text
    return Comment(
        article=article,
        author_name=draft.author_name,
        author_email=draft.email,
        author_ip=valid_ip(draft.ip) if draft.ip else None,
        body=body,
        body_html=html,
        status=draft.status,
        imported=draft.created is None,
        source_id=draft.source_id,
        author_url=draft.author_url,
        imported_member=draft.member,
        created=draft.created or created,
        **tree,
    )


@transaction.atomic
def comments_import(
    *,
    article: Article,
    threads: Sequence[CommentDraft],
    created: datetime | None = None,
    replies: Mapping[int, Sequence[CommentDraft]] | None = None,
) -> int:
    """Append whole threads to an article in one pass, and `replies` (subtrees keyed
    by the primary key of a comment of this article they answer) as the last
    children of those comments; returns the number of comments added. `created` is
    the time of drafts that carry none (now by default)."""
    lock_article_trees(article.pk)
    created = created or timezone.now()
    first_tree_id = allocate_tree_ids(len(threads)) if threads else 0
    made: dict[int, Comment] = {}  # id(draft) -> its row
    # Rows by depth below the root of what is inserted: parents are stored first.
    ranks: list[list[tuple[Comment, Comment | CommentDraft | None]]] = []

    def add(draft, parent, *, rank: int, **tree) -> None:
        made[id(draft)] = _row(draft, article=article, created=created, **tree)
        while len(ranks) <= rank:
            ranks.append([])
        ranks[rank].append((made[id(draft)], parent))

    for offset, thread in enumerate(threads):
        for draft, parent, lft, rght, level in number_tree(thread, lambda d: d.replies):
            tree = {"tree_id": first_tree_id + offset, "lft": lft, "rght": rght, "level": level}
            add(draft, parent, rank=level, **tree)
    touched = set(range(first_tree_id, first_tree_id + len(threads)))
    # Replies under comments already stored: open one gap under each answered
    # comment, wide enough for all its new subtrees, then number them into it.
    for parent_pk, subtrees in (replies or {}).items():
        parent = Comment.objects.get(pk=parent_pk, article=article)  # re-read: gaps move it
        numbered = [list(number_tree(root, lambda d: d.replies)) for root in subtrees]
        left = open_gap_under(parent, width=2 * sum(len(nodes) for nodes in numbered))
        for nodes in numbered:
            for draft, above, lft, rght, depth in nodes:
                tree = {
                    "tree_id": parent.tree_id,
                    "lft": left + lft - 1,
                    "rght": left + rght - 1,
                    "level": parent.level + 1 + depth,
                }
                add(draft, parent if above is None else above, rank=depth, **tree)
            left += 2 * len(nodes)
        touched.add(parent.tree_id)
    for rows in ranks:
        for node, parent in rows:
            if isinstance(parent, CommentDraft):
                node.parent = made[id(parent)]
            else:
                node.parent = parent
        # Tree order within a rank keeps the inserted ids in reading order.
        rows.sort(key=lambda row: (row[0].tree_id, row[0].lft))
        Comment.objects.bulk_create([node for node, _ in rows], batch_size=1000)
    visible = sum(policy.counts_as_visible(row.status) for row in made.values())
    bump_comments_version(article.pk, trees=touched, visible=visible, threads=len(threads))
    return len(made)
