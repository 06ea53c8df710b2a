"""Comment rows shaped for a page: what a viewer sees, and where each element opens and closes.

Pages read their rows as plain tuples (see comments.threads.selectors) into `Node`s,
then decide once, in Python, which comments the viewer may see (hidden ones
stay as tombstones where visible replies hang under them) and how the flat
pre-order list nests, so the renderer (comments.threads.markup) can build the markup in
one flat loop.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.utils import timezone

from comments import policy
from comments.policy import Status, Viewer, can_see
from comments.text import html_excerpt


class ReportNote(NamedTuple):
    """An open report on a comment, as a moderator reads it beside the comment."""

    reason: str  # in a word, for the badge: "spam", "off-topic"
    label: str  # in full: "Abuse or harassment"
    rank: int  # where the report form offers the reason (ties on the badge go in its order)
    note: str
    reporter: str
    created: datetime


@dataclass(slots=True)
class Node:
    """One comment as a page shows it."""

    pk: int
    parent_id: int | None
    tree_id: int
    lft: int
    rght: int
    level: int
    author_id: int | None
    username: str | None
    # Whether the author's account is active (None: no account), so a profile to link;
    # whether it is staff (who cannot be banned).
    author_active: bool | None
    author_is_staff: bool | None
    author_name: str
    body_html: str
    status: str
    imported: bool
    created: datetime
    edited: datetime | None
    public_reason: str
    # Its counted votes (comments.voting), as of the read.
    up: int = 0
    down: int = 0
    # An imported commenter's web site, and whether they had an account on the old site.
    author_url: str = ""
    imported_member: bool = False
    # Read for moderators only (MODERATOR_COLUMNS): why it is held or removed, and a
    # guest's email and network addresses.
    moderation_reason: str = ""
    author_email: str = ""
    author_ip: str | None = None
    # Decided per viewer:
    keep: bool = False
    tombstone: str = ""
    is_own: bool = False
    can_edit: bool = False
    # For moderators (comments.threads.selectors.note_for_moderators), never set for
    # anyone else: on a removed comment, who removed it and why; the comment's open
    # reports; how long its author is banned ("until …", "permanently"; "" when not);
    # the next comment on the page that needs a moderator.
    removal: str = ""
    reports: tuple[ReportNote, ...] = ()
    author_banned: str = ""
    next_attention: int | None = None
    # Shape: the next node is this one's first reply; else how many enclosing
    # reply lists end after it; whether replies were cut at the depth limit.
    opens_replies: bool = False
    closes: int = 0
    more: bool = False
    # How many replies are shown beneath it, and how many were cut at the depth limit.
    replies: int = 0
    hidden: int = 0

    # The columns a page reads, in the order of the fields above.
    COLUMNS = (
        "id",
        "parent_id",
        "tree_id",
        "lft",
        "rght",
        "level",
        "author_id",
        "author__username",
        "author__is_active",
        "author__is_staff",
        "author_name",
        "body_html",
        "status",
        "imported",
        "created",
        "edited",
        "public_reason",
        "up",
        "down",
        "author_url",
        "imported_member",
    )
    # What a moderator's page reads: the above, then the fields only moderators see.
    MODERATOR_COLUMNS = (*COLUMNS, "moderation_reason", "author_email", "author_ip")

    @classmethod
    def of(cls, comment, *, viewer: Viewer) -> "Node":
        """One model instance as a node, decided for `viewer` (for single comment cards);
        the fields only moderators see are read for moderators only."""
        author = comment.author if comment.author_id is not None else None
        from_author = {
            "author__username": author.get_username() if author is not None else None,
            "author__is_active": author.is_active if author is not None else None,
            "author__is_staff": author.is_staff if author is not None else None,
        }
        columns = cls.MODERATOR_COLUMNS if viewer.can_moderate else cls.COLUMNS
        node = cls(
            *(
                from_author[column] if column in from_author else getattr(comment, column)
                for column in columns
            )
        )
        decide(node, viewer, timezone.now())
        return node

    @property
    def display_name(self) -> str:
        return policy.display_name(self.username, self.author_name)

    @property
    def excerpt(self) -> str:
        """The first words of the text, as plain text (for the template to escape once)."""
        return html_excerpt(self.body_html)

    @property
    def is_held(self) -> bool:
        return self.status == Status.PENDING and not self.tombstone

    @property
    def needs_attention(self) -> bool:
        """Held, or with an open report: what a moderator should look at. (Only a
        moderator's nodes carry reports; a reader's own held comment is held too, so
        this is asked of moderators' pages only.)"""
        return not self.tombstone and policy.needs_attention(
            status=self.status, open_reports=len(self.reports)
        )

    @property
    def is_hidden_from_readers(self) -> bool:
        """Shown (to a moderator) although readers see only its tombstone, or nothing."""
        return self.status in (Status.REMOVED, Status.DELETED) and not self.tombstone


def decide(node: Node, viewer: Viewer, now: datetime) -> bool:
    """Decide what `viewer` sees of one node; returns whether they may see it."""
    if not can_see(node.status, node.author_id, viewer, pk=node.pk):
        node.tombstone = policy.tombstone(node.status, node.public_reason)
        return False
    node.keep = True
    if viewer.signed_in and node.author_id == viewer.user_id:
        node.is_own = True
        node.can_edit = policy.can_edit(
            status=node.status,
            author_id=node.author_id,
            created=node.created,
            viewer=viewer,
            now=now,
        )
    return True


def decide_visibility(nodes: list[Node], viewer: Viewer) -> list[Node]:
    """Keep what the viewer may see, and hidden comments as tombstones where a visible
    reply needs them. `nodes` must be in tree order; a hidden comment with no
    visible descendant is dropped with its subtree, so the result is still a
    valid tree in pre-order."""
    ancestors: list[Node] = []
    now = timezone.now()
    everyone = policy.VISIBLE_TO_EVERYONE
    user_id = viewer.user_id
    for node in nodes:
        level = node.level
        while ancestors and ancestors[-1].level >= level:
            ancestors.pop()
        # Most comments are visible to all and not the viewer's: nothing more to decide.
        if node.status in everyone and (user_id is None or node.author_id != user_id):
            node.keep = True
            visible = True
        else:
            visible = decide(node, viewer, now)
        if visible:
            for ancestor in reversed(ancestors):
                if ancestor.keep:
                    break
                ancestor.keep = True
        ancestors.append(node)
    return [node for node in nodes if node.keep]


def order_replies(nodes: list[Node], sort: policy.Sort) -> list[Node]:
    """Nodes read in tree order (pre-order), with every comment's replies put in
    `sort`'s order (policy.reply_key); the order of the top-level comments given, and
    each subtree kept whole, so the result is still in pre-order."""
    key = policy.reply_key(sort)
    if key is None or len(nodes) < 3:
        return nodes
    present = {node.pk for node in nodes}
    children: dict[int, list[Node]] = {}
    roots: list[Node] = []
    for node in nodes:
        if node.parent_id in present:
            children.setdefault(node.parent_id, []).append(node)
        else:
            roots.append(node)
    for replies in children.values():
        if len(replies) > 1:
            replies.sort(key=lambda n: key(n.up, n.down, n.created, (n.rght - n.lft - 1) // 2))
    ordered: list[Node] = []
    stack = roots[::-1]
    while stack:  # depth first, without recursion: threads can be deep
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(children.get(node.pk, ())))
    return ordered


def cut_and_shape(nodes: list[Node], *, max_level: int) -> list[Node]:
    """Drop replies deeper than `max_level` (their ancestor at that level gets `more`
    and counts them in `hidden`), then compute where each element opens a replies
    list or closes, and how many shown replies each comment has beneath it."""
    shown: list[Node] = []
    for node in nodes:
        if node.level > max_level:
            last = shown[-1]
            if last.level == max_level:
                last.more = True
                last.hidden += 1
            continue
        shown.append(node)
    if not shown:
        return shown
    base = min(node.level for node in shown)
    open_: list[tuple[Node, int]] = []  # (node, its index) whose subtree is still open
    for index, (node, following) in enumerate(zip(shown, [*shown[1:], None], strict=True)):
        while open_ and open_[-1][0].level >= node.level:
            done, start = open_.pop()
            done.replies = index - start - 1
        open_.append((node, index))
        next_level = following.level if following is not None else base
        node.opens_replies = following is not None and next_level > node.level
        node.closes = 0 if node.opens_replies else node.level - next_level
    for done, start in open_:
        done.replies = len(shown) - start - 1
    return shown


def group_by_trees(nodes: list[Node], tree_order: list[int]) -> list[Node]:
    """Nodes read in (tree_id, lft) order, regrouped into the page's thread order."""
    trees: dict[int, list[Node]] = {tree_id: [] for tree_id in tree_order}
    for node in nodes:
        trees[node.tree_id].append(node)
    return [node for tree_id in tree_order for node in trees[tree_id]]
