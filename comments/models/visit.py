"""When a reader last read an article's discussion (what is new to them)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Visit(models.Model):
    """When a signed-in reader last read an article's discussion, so the comments
    posted since their previous visit can be marked new (see comments.threads.visits)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )
    seen = models.DateTimeField(_("last seen"))
    since = models.DateTimeField(
        _("new since"), null=True, blank=True, help_text=_("The end of the previous visit.")
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="one_visit_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.article_id} at {self.seen:%Y-%m-%d %H:%M}"
