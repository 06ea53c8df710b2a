from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet


class CommentQuerySet(TreeQuerySet):
    def for_article(self, article) -> "CommentQuerySet":
        return self.filter(article=article)

    def published(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PUBLISHED)

    def in_tree_order(self) -> "CommentQuerySet":
        return self.order_by("tree_id", "lft")


class CommentManager(TreeManager.from_queryset(CommentQuerySet)):
    pass


class Comment(MPTTModel):
    """A reader's comment. Each top-level comment is the root of its own MPTT tree.

    The tree fields (`lft`, `rght`, `tree_id`, `level`) are written only by
    `comments.services`; nothing else may move or insert nodes.
    """

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        REMOVED = "removed", _("Removed")

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
        help_text=_("The name shown with the comment: as written in an import, else the username."),
    )
    body = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PUBLISHED
    )
    imported = models.BooleanField(
        _("imported"),
        default=False,
        help_text=_("Came from a seed document, which carries no times."),
    )
    created = models.DateTimeField(_("created"), db_index=True)

    objects = CommentManager()

    class MPTTMeta:
        order_insertion_by = []

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["tree_id", "lft"]
        indexes = [
            models.Index(fields=["article", "tree_id", "lft"], name="comment_article_tree_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rght__gt=models.F("lft")), name="comment_rght_after_lft"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, level=0) | Q(parent__isnull=False, level__gt=0),
                name="comment_root_iff_level_zero",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.excerpt}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    def get_reply_url(self) -> str:
        return reverse("comments:comment-reply", kwargs={"slug": self.article.slug, "pk": self.pk})

    @property
    def excerpt(self) -> str:
        text = " ".join(self.body.split())
        return text if len(text) <= 80 else text[:79].rstrip() + "…"

    @property
    def display_name(self) -> str:
        """The author's current username, or the name as written for imported comments."""
        if self.author_id is not None and self.author is not None:
            return self.author.get_username()
        return self.author_name

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.PUBLISHED
