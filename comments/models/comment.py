"""A comment, its place in its thread's tree, and the text it had before each edit."""

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from comments import policy
from comments.text import html_excerpt


class CommentQuerySet(TreeQuerySet):
    def published(self) -> "CommentQuerySet":
        """What every reader may see."""
        return self.filter(policy.visible_to_everyone_q())

    def thread_order(self, *, article_id: int, sort: policy.Sort):
        """The tree ids of an article's top-level threads, in `sort` order."""
        roots = self.filter(article_id=article_id, level=0)
        return roots.order_by(*sort.order_by).values_list("tree_id", flat=True)

    def earlier_threads(self, *, article_id, tree_id) -> "CommentQuerySet":
        """The top-level comments of an article whose threads come before thread
        `tree_id` in the order they were started (tree id order), any status: what
        decides the page a thread is on in a permalink (`get_absolute_url`)."""
        return self.filter(article_id=article_id, level=0, tree_id__lt=tree_id)

    def with_threads_before(self) -> "CommentQuerySet":
        """Each comment with `threads_before`, the count of `earlier_threads` of its
        own, read in the same query, so `get_absolute_url` of many comments costs
        no query each."""
        earlier = (
            Comment.objects.earlier_threads(
                article_id=OuterRef("article_id"), tree_id=OuterRef("tree_id")
            )
            .order_by()
            .values("article_id")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(threads_before=Coalesce(Subquery(earlier), 0))

    def held(self) -> "CommentQuerySet":
        """Waiting for a moderator."""
        return self.filter(status=policy.Status.PENDING)

    def reported(self) -> "CommentQuerySet":
        """With at least one report no moderator has handled yet."""
        return self.filter(_has_open_report())

    def needing_attention(self) -> "CommentQuerySet":
        """What the moderation queue is for: held, or with an open report."""
        return self.filter(Q(status=policy.Status.PENDING) | _has_open_report())


def _has_open_report() -> models.Exists:
    # Report (comments.models.moderation) refers to Comment: reach it by the relation.
    reports = Comment.reports.rel.related_model
    return models.Exists(reports.objects.open().filter(comment=models.OuterRef("pk")))


class CommentManager(TreeManager.from_queryset(CommentQuerySet)):
    pass


class Comment(MPTTModel):
    """A reader's comment. Each top-level comment is the root of its own MPTT tree.

    The tree fields (`lft`, `rght`, `tree_id`, `level`) are written only by
    `comments.services` (and `comments.trees.integrity`'s repair), under the locks of
    `comments.trees.locks`; nothing else may move or insert nodes.

    What the services rely on from django-mptt: a row saved with `lft`, `rght`,
    `tree_id` and `level` already set (`save(force_insert=True)`, or
    `bulk_create`) is stored as it is, not re-inserted; and `TreeQuerySet`
    reads (`get_descendants`, ...) are plain queries. What must never be called,
    because it rewrites tree fields without the article's lock: `move_to`,
    `insert_node`, `Comment.delete()` and queryset `delete()` (comments are
    never hard-deleted; statuses change instead), `rebuild`/`partial_rebuild`
    (use `check_comment_trees --repair`).
    """

    Status = policy.Status

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("article"),
    )
    parent = TreeForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("in reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("author"),
    )
    author_name = models.CharField(
        _("author name"),
        max_length=200,
        help_text=_(
            "The name shown with the comment: as written by a guest or in an import, "
            "else the username."
        ),
    )
    author_email = models.EmailField(
        _("guest's email address"),
        blank=True,
        help_text=_(
            "Given by a guest (a reader without an account) when posting, in lower case: "
            "for moderators only, never shown on the site. Empty for everyone else."
        ),
    )
    author_ip = models.GenericIPAddressField(
        _("guest's IP address"),
        null=True,
        blank=True,
        help_text=_("Where a guest posted from (for moderators only)."),
    )
    body = models.TextField(_("text"), blank=True, help_text=_("As written (Markdown)."))
    body_html = models.TextField(
        _("rendered text"),
        blank=True,
        editable=False,
        help_text=_("Sanitised HTML, rendered on save."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PUBLISHED
    )
    imported = models.BooleanField(
        _("imported"),
        default=False,
        help_text=_("Came from a seed document, which carries no times."),
    )
    author_url = models.URLField(
        _("author's web site"),
        max_length=500,
        blank=True,
        help_text=_(
            "An imported commenter's site (http or https only), shown as their name's "
            'link with rel="nofollow ugc", as WordPress shows it.'
        ),
    )
    imported_member = models.BooleanField(
        _("registered on the old site"),
        default=False,
        help_text=_(
            "Imported from a commenter who had an account on the site the discussion "
            "came from (none here: an import gives nobody an account)."
        ),
    )
    source_id = models.CharField(
        _("source id"),
        max_length=100,
        blank=True,
        help_text=_(
            "Where an import from another site took it from, e.g. “wordpress:123”: "
            "what makes importing the same export again add nothing. Unique per article."
        ),
    )
    created = models.DateTimeField(_("created"), db_index=True)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)
    moderation_reason = models.CharField(
        _("moderation reason"),
        max_length=500,
        blank=True,
        help_text=_("Why a moderator removed or held it (shown to staff only)."),
    )
    public_reason = models.CharField(
        _("public reason"),
        max_length=200,
        blank=True,
        help_text=_(
            "Why it was removed, as readers may read it in its place and in the public "
            "moderation log (FORUM_PUBLIC_MODLOG)."
        ),
    )

    # Kept on top-level comments only, by the services in each writer's transaction.
    tree_version = models.PositiveIntegerField(
        _("thread version"),
        default=0,
        editable=False,
        help_text=_(
            "On a top-level comment: its article's comments_version at the last write to "
            "its thread; keys the thread's cached HTML."
        ),
    )
    last_activity = models.DateTimeField(
        _("last activity"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "On a top-level comment: when the newest published comment of its thread was "
            "posted (when the thread was started, if none is); what “Newest” sorts by."
        ),
    )

    # Readers' votes that count (comments.voting): kept by the vote service, under the
    # comment's row lock, with what each sort ranks by.
    up = models.PositiveIntegerField(_("up-votes"), default=0, editable=False)
    down = models.PositiveIntegerField(_("down-votes"), default=0, editable=False)
    best = models.FloatField(
        _("best"),
        default=0.0,
        editable=False,
        help_text=_("The lower bound of the Wilson score interval of its up-vote share."),
    )
    controversy = models.FloatField(
        _("controversy"),
        default=0.0,
        editable=False,
        help_text=_("Many votes, evenly split: (up + down) to the power of min/max."),
    )
    voted_at = models.DateTimeField(
        _("last vote"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a vote that counts last changed its points."),
    )
    tree_voted_at = models.DateTimeField(
        _("last vote in the thread"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "On a top-level comment: when a vote last changed the points of any comment "
            "of its thread (what keys the points baked into its cached HTML)."
        ),
    )

    objects = CommentManager()

    class MPTTMeta:
        order_insertion_by = []

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["tree_id", "lft"]
        indexes = [
            models.Index(fields=["article", "tree_id", "lft"], name="comment_article_tree_idx"),
            # What is new in an article since a time (lists' "3 new"; following).
            models.Index(fields=["article", "created"], name="comment_article_created_idx"),
            # Comments voted on lately (whose points a cached page may not show yet).
            models.Index(
                fields=["article", "voted_at"],
                name="comment_recent_votes_idx",
                condition=Q(voted_at__isnull=False),
            ),
            # A returning guest's earlier comments (FORUM_GUEST_TRUST), among guests' only.
            models.Index(
                fields=["author_email"],
                name="comment_guest_email_idx",
                condition=~Q(author_email=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rght__gt=models.F("lft")), name="comment_rght_after_lft"
            ),
            models.UniqueConstraint(
                fields=["article", "source_id"],
                condition=~Q(source_id=""),
                name="comment_unique_source_per_article",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, level=0) | Q(parent__isnull=False, level__gt=0),
                name="comment_root_iff_level_zero",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}: {html_excerpt(self.body_html, words=12)}"

    def get_absolute_url(self) -> str:
        """Where the comment is shown: on its article's page, or on its own page when it
        is nested past FORUM_MAX_VISIBLE_DEPTH. When the article's threads take more
        than one page, the page of threads that holds it in the order they were
        started ("oldest"), which votes never change: a link that lands on the comment
        whatever the default sort, today and later."""
        if self.level > settings.FORUM_MAX_VISIBLE_DEPTH:
            return f"{self.get_page_url()}#comment-{self.pk}"
        query = ""
        if self.article.thread_count > settings.FORUM_THREADS_PER_PAGE:
            before = getattr(self, "threads_before", None)  # see with_threads_before
            if before is None:
                before = Comment.objects.earlier_threads(
                    article_id=self.article_id, tree_id=self.tree_id
                ).count()
            page = before // settings.FORUM_THREADS_PER_PAGE + 1
            query = f"?sort=oldest&page={page}"
        return f"{self.article.get_absolute_url()}{query}#comment-{self.pk}"

    def get_page_url(self) -> str:
        """The comment's own page: its ancestors as context and its whole subtree."""
        return reverse("comments:comment-detail", kwargs={"pk": self.pk})

    @property
    def excerpt(self) -> str:
        """The first words of the text as readers see it, as plain text (to be escaped
        once, by whoever shows it): comments.text.html_excerpt, the one excerpt rule."""
        return html_excerpt(self.body_html)

    @property
    def display_name(self) -> str:
        author = self.author if self.author_id is not None else None
        return policy.display_name(
            author.get_username() if author is not None else None, self.author_name
        )

    @property
    def is_guest(self) -> bool:
        """Written without an account: by a guest, or imported (see `imported`)."""
        return policy.is_guest(self.author_id)

    @property
    def is_visible(self) -> bool:
        """Whether every reader may see it."""
        return self.is_visible_to(None)

    def is_visible_to(self, user) -> bool:
        return policy.can_see(
            status=self.status, author_id=self.author_id, viewer=policy.Viewer.of(user)
        )

    def edit_refusal(self, user, *, now=None) -> str:
        """Why `user` may not edit it now ("" if they may); see policy.edit_refusal."""
        return policy.edit_refusal(
            status=self.status,
            author_id=self.author_id,
            created=self.created,
            viewer=policy.Viewer.of(user),
            now=now,
        )

    def delete_refusal(self, user) -> str:
        """Why `user` may not delete it ("" if they may); see policy.delete_refusal."""
        return policy.delete_refusal(
            status=self.status, author_id=self.author_id, viewer=policy.Viewer.of(user)
        )

    @property
    def edit_deadline(self):
        return policy.edit_deadline(self.created)


class Revision(models.Model):
    """A comment's text as it was before its author edited it. Kept for moderators
    (shown in the admin), never to readers: nothing a moderator has seen is lost."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("comment")
    )
    body = models.TextField(_("text"), help_text=_("As written (Markdown)."))
    written = models.DateTimeField(_("written"), help_text=_("When this text was posted."))
    replaced = models.DateTimeField(_("replaced"), default=timezone.now)

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["-replaced", "-pk"]

    def __str__(self) -> str:
        return f"Comment {self.comment_id} as written {self.written:%Y-%m-%d %H:%M}"
