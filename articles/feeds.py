"""The Atom feed of the latest articles: one query however many entries."""

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks

from articles.models import Article


class ContentAtom1Feed(Atom1Feed):
    """Atom with each entry's HTML in `<content type="html">`, where Django's own
    Atom feed has only a `<summary>`."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class LatestArticlesFeed(Feed):
    """The newest articles first, each with its whole text as HTML content."""

    feed_type = ContentAtom1Feed
    title = "Forum: latest articles"
    subtitle = "Articles and their readers’ threaded discussions."
    author_name = "Forum"

    def link(self) -> str:
        return reverse("articles:article-list")

    def items(self):
        return Article.objects.newest_first().only(
            "title", "slug", "published", "body", "created", "updated"
        )[: settings.FORUM_FEED_ITEMS]

    def item_title(self, article: Article) -> str:
        return article.title

    def item_description(self, article: Article) -> str:
        return article.paragraphs[0] if article.paragraphs else ""

    def item_extra_kwargs(self, article: Article) -> dict:
        # The article is plain text: escaped here, then given its <p> and <br>.
        return {"content": "".join(linebreaks(p, autoescape=True) for p in article.paragraphs)}

    def item_pubdate(self, article: Article) -> dt.datetime:
        if article.published is None:
            return article.created
        midnight = dt.time(tzinfo=timezone.get_current_timezone())
        return dt.datetime.combine(article.published, midnight)

    def item_updateddate(self, article: Article) -> dt.datetime:
        return article.updated
