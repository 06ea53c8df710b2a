"""When a reader last read an article's discussion (what is new to them)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Visit(models.Model):
    """A signed-in reader and one article's discussion: when they last read it, so the
    comments posted since can be marked new, and whether they follow it (see
    comments.threads.visits)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    seen = models.DateTimeField(_("last seen"))
    since = models.DateTimeField(
        _("new since"),
        null=True,
        blank=True,
        help_text=_("The last view of the reader's previous run of views: what came after is new."),
    )
    following = models.BooleanField(
        _("following"), default=False, help_text=_("Told of every new comment in it.")
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="one_visit_per_reader")
        ]
        indexes = [
            # Who follows an article: its new comments tell them.
            models.Index(
                fields=["article"], condition=models.Q(following=True), name="visit_followers"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.article_id} at {self.seen:%Y-%m-%d %H:%M}"
