from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import images


def image_name(article: "Article", filename: str) -> str:
    """Where an uploaded photo is stored: a name of the site's (a random one, with the
    extension of the format Pillow found), never the uploader's."""
    return images.stored_name(filename)


class ArticleQuerySet(models.QuerySet):
    def newest_first(self) -> "ArticleQuerySet":
        return self.order_by(F("published").desc(nulls_last=True), "-created", "-pk")


class Article(models.Model):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    dateline = models.CharField(
        _("dateline"), max_length=60, blank=True, help_text=_("As printed, e.g. “MAY 2021”.")
    )
    published = models.DateField(_("published"), null=True, blank=True, default=timezone.localdate)
    image = models.ImageField(
        _("photo"),
        upload_to=image_name,
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text=_("Shown above the text, in sizes for each screen (articles.images)."),
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        _("photo description"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for readers who cannot see it. Required with a photo."),
    )
    # The photo's smaller sizes, written when it is uploaded: {width: file name}, WebP.
    image_sizes = models.JSONField(default=dict, blank=True, editable=False)
    image_url = models.URLField(
        _("photo at its source"),
        max_length=500,
        blank=True,
        help_text=_(
            "A photo known by reference only (an import's featured image): its address "
            "on the old site, kept until it is fetched (import_wordpress --fetch-images)."
        ),
    )
    caption = models.CharField(_("photo caption"), max_length=500, blank=True)
    body = models.TextField(_("body"), help_text=_("Paragraphs separated by blank lines."))
    comments_open = models.BooleanField(_("comments open"), default=True)
    source = models.CharField(
        _("seed source"),
        max_length=200,
        blank=True,
        help_text=_("Name of the seed document this article was imported from."),
    )
    comments_version = models.PositiveIntegerField(
        _("comments version"),
        default=0,
        editable=False,
        help_text=_("Bumped by every write to this article's comments; keys the thread cache."),
    )
    comment_count = models.PositiveIntegerField(
        _("comments"),
        default=0,
        editable=False,
        help_text=_(
            "Comments every reader can see; kept by the comment services in the same "
            "transaction as each write."
        ),
    )
    thread_count = models.PositiveIntegerField(
        _("threads"),
        default=0,
        editable=False,
        help_text=_("Top-level comments of any status: what the article's pages are counted in."),
    )
    votes_version = models.PositiveIntegerField(
        _("votes version"),
        default=0,
        editable=False,
        help_text=_(
            "Bumped by every vote that changes a comment's points: what tells a reader's "
            "browser its copy of a page is out of date."
        ),
    )
    voted_at = models.DateTimeField(
        _("last vote"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a vote last changed the points of one of its comments."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = [F("published").desc(nulls_last=True), "-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~Q(source=""), name="article_unique_seed_source"
            )
        ]

    def __str__(self) -> str:
        return self.title

    # Kept by the comment and vote services alone, with UPDATE … F() inside their
    # writers' transactions (comments.threads.cache.bump_comments_version,
    # comments.voting.counting).
    COUNTERS = frozenset(
        {"comments_version", "comment_count", "thread_count", "votes_version", "voted_at"}
    )

    def save(self, **kwargs) -> None:
        """Save the article; an existing one without its counters (COUNTERS), which this
        object may hold older than its row (the admin's form, an import that fetched a
        photo, read before readers commented): written back, they would lose comments
        from the counts and move `comments_version` back, to a version whose cached
        pages then match again."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.COUNTERS
            ]
        super().save(**kwargs)

    def get_absolute_url(self) -> str:
        return reverse("comments:article", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if (self.image or self.image_url) and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Say what the photo shows, for readers who cannot see it.")}
            )
        if self.image:
            images.check_upload(self.image)

    @property
    def image_srcset(self) -> str:
        return images.srcset(self)

    @property
    def image_shown(self) -> str:
        return images.SHOWN

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]


class FormerSlug(models.Model):
    """A slug an article had before it was renamed: its old links redirect to it."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="former_slugs", verbose_name=_("article")
    )
    retired = models.DateTimeField(_("retired"), default=timezone.now)

    class Meta:
        verbose_name = _("former slug")
        verbose_name_plural = _("former slugs")

    def __str__(self) -> str:
        return f"{self.slug} → {self.article.slug}"
