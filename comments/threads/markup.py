"""The comment markup, built in Python with one flat loop.

A 10,000-comment thread through Django's template engine costs tens of
microseconds per comment in tag and filter dispatch; string building here
costs a few, which keeps an uncached page close to the cost of fetching its
rows (docs/performance.md). This is the only place a comment's markup is
written: the thread, a comment's own page, and the single comment shown above
the reply, report and delete forms all come from here.

The markup is the one the site, the tests and the permalinks rely on: each
comment is a list item `id="comment-<pk>"` that contains its replies' items
(nested `<ol>` lists, so screen readers announce levels and counts). Inside it, a
`<details>` (a child of the item) holds the comment and its replies, so any comment folds
with its replies without JavaScript: its `<summary>` is the fold's button, and
folded, the line that stands for them (the author, how many replies). Then an
`<article>` named "Comment by NAME": a `<header>` with the author in
`.comment-author` (a link to their profile when they have an active account,
else plain text followed by a `<small>guest</small>` marker: guests and imported
authors), their initials on a colour of their name's (`data-i`, class `a0`…`a11`:
an avatar the stylesheet draws), a permalink around its time, "↑ NAME" to the
comment it answers; the sanitised text in `.comment-body`; and a `<footer>` of
action links, each named for the comment it acts on ("Reply to Sinbad2").

It is written to be small: a thread of thousands of comments is megabytes of it.
Routes are short (`/c/<pk>/reply/`), each reversed once per page; what a page can
say once (that action pages are not for robots, what the avatar's colours are) it
says once, in robots.txt and the stylesheet. Everything is viewer-independent
except what `Links` says (whether Reply and Report are offered) and the nodes' own
flags, so the HTML can be shared between readers.

Moderators' pages, rendered for them alone and never shared, carry more: their
actions (Approve a button that posts, the others links to their pages), a
`.comment-mod` block under the header (why a comment is held, a held guest's
addresses, the open reports in a `<details>`, a link to the next comment that
needs them), `.comment-banned` beside a banned author's name, and the classes
`comment-reported`. All of it is written only when `Links.moderate` is true, from
fields only comments.threads.selectors.note_for_moderators sets, so a reader's
markup is the same byte for byte whatever moderators know.
"""

import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC
from html import escape
from typing import NamedTuple
from urllib.parse import quote
from zlib import crc32

from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe

from comments import policy
from comments.policy import Status, Viewer, is_guest
from comments.threads.nodes import Node

# A pk no comment has, reversed in place of the real one and then split off,
# so each route is reversed once per page rather than once per comment.
_PLACEHOLDER = "2147483647"
ROUTES = ("comment-detail", "comment-reply", "comment-edit", "comment-delete", "comment-report")
# What moderators may do to a comment from the thread (comments.moderation.views), as
# policy.actions_for offers it: the route, and the accessible name with the author's.
MODERATION = {
    policy.Act.APPROVE: ("comment-approve", "Approve the comment by {}"),
    policy.Act.REMOVE: ("comment-remove", "Remove the comment by {}"),
    policy.Act.RESTORE: ("comment-restore", "Restore the comment by {}"),
    policy.Act.BAN: ("comment-ban", "Ban {}, the author"),
    policy.Act.LIFT_BAN: ("comment-lift-ban", "Lift the ban on {}, the author"),
    policy.Act.DISMISS: ("comment-dismiss", "Dismiss the reports on the comment by {}"),
}
# The actions a moderator takes at once, without a form of questions: a button in a
# form that posts (the others are links to a page, or a form in place, that asks).
AT_ONCE = frozenset({policy.Act.APPROVE})
# Visible label, and the accessible name with the author's name in it.
ACTIONS = {
    "comment-reply": ("Reply", "Reply to {}"),
    "comment-edit": ("Edit", "Edit your comment"),
    "comment-delete": ("Delete", "Delete your comment"),
    "comment-report": ("Report", "Report the comment by {}"),
}


class Author(NamedTuple):
    """What a page writes of one author, built once per page (authors write many of
    its comments): their name, escaped; the start of their comments' header (their
    element and, without an account here, the guest marker); the ends of the Reply
    and Report links to their comments (Links.named_tails); their comments' vote
    buttons around the pk (Links.vote_buttons)."""

    name: str
    head: str
    reply_tail: str
    report_tail: str
    votes: tuple[str, str, str]


class Links:
    """One article's comment URLs for one kind of viewer, each route reversed once.

    `can_act` is False for readers who may not write (banned): they get neither
    Reply nor Report. Moderators get the moderation actions instead of Report;
    their pages are rendered for them alone, never cached (comments.threads.cache).
    `csrf_token` (a callable, asked for moderators only, so a reader's request never
    makes one) lets a moderator's page post actions at once, as buttons; without
    it they are links to their pages."""

    def __init__(
        self,
        article,
        *,
        viewer: Viewer,
        can_act: bool = True,
        csrf_token: Callable[[], str] | None = None,
        sort: policy.Sort | None = None,
    ) -> None:
        self.reply = article.comments_open and can_act
        # "Continue this thread" keeps a sort other than the default.
        self.sorted = f"?sort={sort.key}" if sort and sort != policy.default_sort() else ""
        # Signed-in readers who may write vote: buttons of the page's one form "votes".
        self.vote = viewer.signed_in and can_act
        self.moderate = viewer.can_moderate
        self.viewer = viewer
        self.csrf_token = escape(csrf_token()) if self.moderate and csrf_token else ""
        # Signed-in readers may report; a moderator acts instead.
        self.report = viewer.signed_in and can_act and not self.moderate
        self.public_modlog = (
            reverse("comments:modlog") if policy.public_modlog() and not self.moderate else ""
        )
        self._routes = {}
        moderation = [route for route, _ in MODERATION.values()]
        for name in (*ROUTES, *moderation) if self.moderate else ROUTES:
            url = reverse(f"comments:{name}", kwargs={"pk": _PLACEHOLDER})
            head, tail = url.split(_PLACEHOLDER)
            self._routes[name] = (escape(head), escape(tail))
        profile = reverse("comments:profile", kwargs={"username": _PLACEHOLDER})
        self._profile = profile.split(_PLACEHOLDER)
        # Each action link around the comment's pk and author, ready to be joined.
        self.actions = {
            name: (f'<a href="{head}', f'{tail}" aria-label="{named}">{label}</a>')
            for name, (label, named) in ACTIONS.items()
            for head, tail in [self._routes[name]]
        }

    def vote_buttons(self, name: str) -> tuple[str, str, str]:
        """The vote buttons of a comment by `name` (escaped), around its pk (the same
        for all of that author's comments: see Author). Pressed or not is the reader's
        own, which the page says apart (forum.js sets aria-pressed)."""
        return (
            '<button form="votes" name="up" value="',
            f'" aria-label="Vote up the comment by {name}" aria-pressed="false">▲</button>'
            '<button form="votes" name="down" value="',
            f'" aria-label="Vote down the comment by {name}" aria-pressed="false">▼</button>',
        )

    def named_tails(self, name: str) -> tuple[str, str]:
        """The ends of the Reply and Report links for comments by `name` (escaped; the
        same for all of that author's comments: see Author)."""
        return (
            self.actions["comment-reply"][1].format(name),
            self.actions["comment-report"][1].format(name),
        )

    def url(self, name: str, pk: int) -> str:
        head, tail = self._routes[name]
        return f"{head}{pk}{tail}"

    def profile(self, username: str) -> str:
        """The escaped URL of the reader's profile, quoted as reverse() quotes it."""
        head, tail = self._profile
        return escape(f"{head}{quote(username, safe=RFC3986_SUBDELIMS + '/~:@')}{tail}")


class TimeLabels:
    """How a comment's time reads without JavaScript: month and year for imported
    comments (seed documents carry no times, only the article's dateline), else
    date and time with the zone named, in the current time zone and language.
    (With JavaScript, static/js/forum.js shows times relative, in the reader's
    own zone.) Built once per page."""

    def __init__(self, zone=None) -> None:
        self.zone = zone or timezone.get_current_timezone()
        self.short = [""] + [str(MONTHS_3[m]).title() for m in range(1, 13)]
        self.full = [""] + [str(MONTHS[m]) for m in range(1, 13)]
        self._imported: dict = {}  # imported comments share a handful of times
        self._elements: dict = {}

    def __call__(self, created, imported: bool) -> str:
        if imported:
            label = self._imported.get(created)
            if label is None:
                local = created.astimezone(self.zone)
                label = self._imported[created] = f"{self.full[local.month]} {local.year}"
            return label
        local = created.astimezone(self.zone)
        return (
            f"{local.day} {self.short[local.month]} {local.year}, "
            f"{local.hour:02}:{local.minute:02} {local.tzname()}"
        )

    def element(self, created, imported: bool) -> str:
        """The <time> element: machine-readable to the second (in UTC), the label as
        text; imported comments (whose times are shared and shown as a month) marked
        so forum.js leaves them as they are."""
        if imported:
            element = self._elements.get(created)
            if element is None:
                element = self._elements[created] = (
                    f"<time datetime={created:%Y-%m}>{self(created, True)}</time>"
                )
            return element
        return f"<time datetime={_utc(created)}>{self(created, False)}</time>"


def _quoted(value: str) -> str:
    """An attribute's value, quoted only when it must be. The values the thread repeats
    for every comment (its id, its fragment links, times, a single class) are written
    bare, as HTML allows for values without spaces, quotes, =, <, > or `: some ten
    bytes a comment on a page of thousands."""
    return value if value and not _NEEDS_QUOTES.search(value) else f'"{value}"'


_NEEDS_QUOTES = re.compile(r"[\s\"'=<>`]")


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def time_label(created, *, imported: bool) -> str:
    return TimeLabels()(created, imported)


def _moderation(node: Node, links: Links, name: str) -> list[str]:
    """A moderator's actions on a comment (policy.actions_for): those AT_ONCE as buttons
    that post (static/js/forum.js posts them in place), the others as links to their
    confirmation pages, which static/js/forum.js opens in place."""
    acts = policy.actions_for(
        status=node.status,
        author_id=node.author_id,
        author_is_staff=bool(node.author_is_staff),
        viewer=links.viewer,
        open_reports=len(node.reports),
        author_banned=bool(node.author_banned),
    )
    parts = []
    for act in acts:
        if act not in MODERATION:
            continue
        route, named = MODERATION[act]
        url, label = links.url(route, node.pk), named.format(name)
        if act in AT_ONCE and links.csrf_token:
            parts.append(
                f'<form method="post" action="{url}" class="comment-act">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{links.csrf_token}">'
                f'<button type="submit" aria-label="{label}">{policy.Act(act).label}</button>'
                "</form>"
            )
        else:
            parts.append(
                f'<a href="{url}" data-moderate aria-label="{label}">{policy.Act(act).label}</a>'
            )
    return parts


def _votes(node: Node, links: Links, author: Author) -> str:
    """A comment's vote buttons, for a reader who may vote on it (policy.vote_refusal)."""
    if not links.vote or node.is_own or node.status != Status.PUBLISHED:
        return ""
    up, between, down = author.votes
    return f"{up}{node.pk}{between}{node.pk}{down}"


def _points(up: int, down: int) -> str:
    """A comment's points, once it has votes."""
    if not (up or down):
        return ""
    count = policy.points(up, down)
    return f'<span class="points">{count} point{"" if abs(count) == 1 else "s"}</span>'


def _actions(node: Node, links: Links, held: bool, author: Author) -> str:
    pk = node.pk
    actions = links.actions
    reply_tail, report_tail = author.reply_tail, author.report_tail
    if links.moderate:
        reply = links.reply and node.status == Status.PUBLISHED
        parts = [f"{actions['comment-reply'][0]}{pk}{reply_tail}"] if reply else []
        if node.is_own and node.can_edit:
            head, tail = actions["comment-edit"]
            parts.append(f"{head}{pk}{tail}")
        return "".join(parts + _moderation(node, links, author.name))
    reply = links.reply and not held
    if not node.is_own:  # most comments: Reply and Report at most
        if reply and links.report:
            return (
                f"{actions['comment-reply'][0]}{pk}{reply_tail}"
                f"{actions['comment-report'][0]}{pk}{report_tail}"
            )
        if reply:
            return f"{actions['comment-reply'][0]}{pk}{reply_tail}"
        if links.report:
            return f"{actions['comment-report'][0]}{pk}{report_tail}"
        return ""
    parts = [f"{actions['comment-reply'][0]}{pk}{reply_tail}"] if reply else []
    if node.can_edit:
        head, tail = actions["comment-edit"]
        parts.append(f"{head}{pk}{tail}")
    head, tail = actions["comment-delete"]
    parts.append(f"{head}{pk}{tail}")
    return "".join(parts)


_EDITED = '<span class="comment-edited">edited</span>'
_HELD = '<span class="comment-badge">awaiting moderation</span>'
# (No spaces between a header's parts: it is a flex row with gaps.)
_GUEST = "<small>guest</small>"
_MEMBER = '<small title="A registered commenter of the site this was imported from">member</small>'


def _guest_marker(node: Node) -> str:
    """Beside a name without an account here: "guest", or "member" for a commenter
    imported from a site where they were registered."""
    if not is_guest(node.author_id):
        return ""
    return _MEMBER if node.imported_member else _GUEST


_DELETED = "Deleted by its author"
# How many colours avatars come in (the stylesheet's classes a0 … a11).
AVATAR_COLOURS = 12


def _hidden_note(node: Node) -> str:
    """For a moderator: why readers do not see this comment."""
    removed = node.removal or "Removed by a moderator"
    note = removed if node.status == Status.REMOVED else _DELETED
    return f'<p class="comment-removal" role="note">{escape(note)}</p>'


def reports_badge(node: Node) -> str:
    """What a reported comment's badge says (e.g. "Reported x3: abuse, spam", with a
    multiplication sign): how many open reports, and their reasons in a word, the most
    given first, ties in the order the report form offers them, as the queue groups
    them (plain text, for the caller to escape)."""
    counts = Counter(report.reason for report in node.reports)
    ranks = {report.reason: report.rank for report in node.reports}
    reasons = sorted(counts, key=lambda reason: (-counts[reason], ranks[reason]))
    return f"Reported ×{len(node.reports)}: {', '.join(reasons)}"


def _moderator_notes(node: Node, labels: TimeLabels) -> str:
    """For a moderator: why a held comment is held and, a guest's, who wrote it (their
    email and network addresses, shown nowhere else on the site); the open reports (a
    badge that opens on each one's reason, note and reporter: a <details>, so without
    JavaScript too); and a link to the next comment on the page that needs them."""
    notes = []
    if node.is_held:
        reason = node.moderation_reason or "no reason was recorded."
        notes.append(
            f'<p class="comment-held-reason"><span class="comment-mod-label">Held</span> '
            f"{escape(reason)}</p>"
        )
        if is_guest(node.author_id) and (node.author_email or node.author_ip):
            parts = (("Email", node.author_email), ("IP", node.author_ip))
            notes.append(
                '<p class="comment-guest-identity">'
                + " ".join(
                    f'<span class="comment-mod-label">{label}</span> {escape(str(value))}'
                    for label, value in parts
                    if value
                )
                + "</p>"
            )
    if node.reports:
        items = "".join(
            f"<li><strong>{escape(report.label)}</strong> from {escape(report.reporter)}, "
            f"{labels.element(report.created, False)}"
            f"{f': “{escape(report.note)}”' if report.note else ''}</li>"
            for report in node.reports
        )
        notes.append(
            f'<details class="comment-reports"><summary>{escape(reports_badge(node))}</summary>'
            f"<ul>{items}</ul></details>"
        )
    if node.next_attention is not None:
        notes.append(
            f'<a class="comment-next-attention" href="#comment-{node.next_attention}">'
            "Next needing attention ↓</a>"
        )
    return f'<div class="comment-mod">{"".join(notes)}</div>' if notes else ""


def _replies_label(count: int) -> str:
    return f"{count} repl{'y' if count == 1 else 'ies'}"


def initials(name: str) -> str:
    """An avatar's letters: the first letter (or digit) of the name's first two
    words, or the first two of its one word; capitals. "?" when it has none."""
    words = ["".join(c for c in word if c.isalnum()) for word in re.split(r"[\s_.]+", name)]
    words = [word for word in words if word]
    if not words:
        return "?"
    letters = words[0][:2] if len(words) == 1 else words[0][0] + words[1][0]
    return letters.upper()


def avatar(name: str) -> str:
    """The attributes that draw `name`'s avatar on its `.comment-author`: its colour
    (one of AVATAR_COLOURS, the same for the same name on every page) and initials."""
    colour = crc32(name.casefold().encode()) % AVATAR_COLOURS
    return f'a{colour}" data-i="{escape(initials(name))}'


def _author(node: Node, links: Links) -> Author:
    """The author of `node`: their element is a link to their profile, or to the web
    site an imported commenter gave (rel="nofollow ugc", as WordPress links it), or
    their name alone."""
    display, url = node.display_name, node.author_url
    escaped = escape(display)
    if node.author_active:
        element = (
            f'<a class="comment-author {avatar(display)}" href="{links.profile(display)}">'
            f"{escaped}</a>"
        )
    elif url:
        element = (
            f'<a class="comment-author {avatar(display)}" href="{escape(url)}" '
            f'rel="nofollow ugc">{escaped}</a>'
        )
    else:
        element = f'<span class="comment-author {avatar(display)}">{escaped}</span>'
    return Author(
        escaped,
        element + _guest_marker(node),
        *links.named_tails(escaped),
        links.vote_buttons(escaped),
    )


def render_nodes(
    nodes: list[Node], links: Links, *, permalink: str = "", actions: bool = True
) -> SafeString:
    """The nested list items of already-shaped nodes (see comments.threads.nodes), to go
    inside an `<ol>`. Each permalink is the comment's own anchor on this page unless
    `permalink` names another; without `actions` (a card above a form) a comment has
    neither actions nor a fold."""
    # Safe: every value from a user is escaped, body_html was sanitised on save, and
    # URLs come from reverse().
    return mark_safe(render_unmarked(nodes, links, permalink=permalink, actions=actions))


def render_unmarked(
    nodes: list[Node], links: Links, *, permalink: str = "", actions: bool = True
) -> str:
    """What render_nodes returns, as a plain str: for the page cache, which encodes it
    (marking a str safe copies it, megabytes for a big page)."""
    out: list[str] = []
    append = out.append
    closers: list[str] = []  # how each open comment's element ends, innermost last
    labels = TimeLabels()
    names: list[str] = []  # escaped names of the open ancestors, by depth
    # Keyed by what decides how an author is written (_author).
    authors: dict[tuple, Author] = {}
    classes: dict[str, str] = {}  # each list item's class attribute, by its marks
    base = nodes[0].level if nodes else 0
    moderate, vote = links.moderate, links.vote
    for node in nodes:
        pk = node.pk
        depth = node.level - base
        del names[depth:]
        parent_name = names[-1] if names else ""
        if node.tombstone:
            name = "a hidden comment"
            modlog = (
                f' <a href="{links.public_modlog}">moderation log</a>'
                if links.public_modlog and node.status == Status.REMOVED
                else ""
            )
            append(
                f'<li class="comment comment-tombstone" id="comment-{pk}">'
                f'<p class="comment-gone">{escape(node.tombstone)}{modlog}</p>'
            )
            opened = ""
        else:
            # (Node.is_held and .is_hidden_from_readers, for a node that is no tombstone.)
            status = node.status
            held = status == Status.PENDING
            hidden = status == Status.REMOVED or status == Status.DELETED
            key = (node.author_id, node.author_name, node.author_url, node.imported_member)
            author = authors.get(key)
            if author is None:
                author = authors[key] = _author(node, links)
            name = author.name
            footer = (
                f"<footer>{_votes(node, links, author) if vote else ''}"
                f"{_actions(node, links, held, author)}</footer>"
                if actions
                else ""
            )
            parent = (
                f"<a class=up href=#comment-{node.parent_id}>↑ {parent_name}</a>"
                if parent_name
                else ""
            )
            reply_to = f", reply to {parent_name}" if parent_name else ""
            marked = " comment-held" if held else " comment-removed" if hidden else ""
            banned = notes = ""
            if moderate:  # what only moderators see; nothing of it reaches readers
                if node.reports:
                    marked += " comment-reported"
                if node.author_banned:
                    banned = (
                        f' <span class="comment-banned">banned {escape(node.author_banned)}</span>'
                    )
                notes = _moderator_notes(node, labels)
            if actions:
                replies = f" · {_replies_label(node.replies)}" if node.replies else ""
                if policy.collapsed(node.up, node.down):  # folded, open on demand
                    low = _points(node.up, node.down).removeprefix(" ")
                    opened = (
                        f'<details class="fold-low"><summary>{name} · {low} · comment '
                        f"score below threshold{replies}</summary>"
                    )
                else:
                    opened = f"<details open><summary>{name}{replies}</summary>"
            else:
                opened = ""
            attribute = classes.get(marked)
            if attribute is None:
                attribute = classes[marked] = _quoted(f"comment{marked}")
            append(
                f"<li class={attribute} id=comment-{pk}>{opened}"
                f'<article aria-label="Comment by {name}{reply_to}"><header>'
                f"{author.head}{banned}"
                f"<a href={_quoted(permalink) if permalink else f'#comment-{pk}'}>"
                f"{labels.element(node.created, node.imported)}</a>"
                f"{_points(node.up, node.down) if node.up or node.down else ''}"
                f"{_EDITED if node.edited else ''}{_HELD if held else ''}{parent}"
                f"</header>{_hidden_note(node) if hidden else ''}{notes}"
                # body_html was sanitised by nh3 when the comment was saved.
                f'<div class="comment-body">{node.body_html}</div>{footer}</article>'
            )
        names.append(name)
        closing = "</details></li>" if opened else "</li>"
        if node.more:
            more = f"{node.hidden} more repl{'y' if node.hidden == 1 else 'ies'}"
            href = f"{links.url('comment-detail', pk)}{links.sorted}"
            append(f'<a class="comment-continue" href="{href}">Continue this thread ({more}) →</a>')
        if node.opens_replies:
            append("<ol>")
            closers.append(closing)
        else:
            append(closing)
            for _ in range(node.closes):
                append("</ol>" + closers.pop())
    return "".join(out)


def render_card(node: Node, links: Links, *, permalink: str) -> SafeString:
    """One comment on its own, without replies or actions (above a reply, report or
    delete form), its permalink pointing into the thread, as a one-item list."""
    item = render_nodes([node], links, permalink=escape(permalink), actions=False)
    return mark_safe(f'<ol class="comment-list">{item}</ol>')
