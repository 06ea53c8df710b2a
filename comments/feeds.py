"""Atom feeds of comments: an article's latest, and a reader's latest.

Only what every reader may see is syndicated (`policy.visible_to_everyone_q`,
through `published()`). Each entry carries the comment's sanitised HTML as its
content, its author's name, and two addresses: `link`, where it is shown now
(its page of threads), and `id`, its lasting permalink (`/comments/<pk>/`),
which does not move when threads are added before it. A feed of any length
costs two queries: the article or reader, then the entries with their
articles, authors and `threads_before` (see `CommentQuerySet.with_threads_before`).
"""

import copy

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse

from articles.feeds import ContentAtom1Feed
from articles.models import Article
from comments.models import Comment


class CommentFeed(Feed):
    """What the comment feeds share: entries, their times, authors and addresses."""

    feed_type = ContentAtom1Feed

    def latest(self, comments):
        return list(
            comments.published()
            .select_related("article", "author")
            .with_threads_before()
            .order_by("-created", "-pk")[: settings.FORUM_FEED_ITEMS]
        )

    def feed_guid(self, obj) -> str:
        # The feed's own address: its link is the article or profile page.
        return self.request.build_absolute_uri(self.request.path)

    def item_title(self, comment: Comment) -> str:
        return f"{comment.display_name} on “{comment.article.title}”"

    def item_description(self, comment: Comment) -> str:
        return comment.excerpt

    def item_extra_kwargs(self, comment: Comment) -> dict:
        # body_html was sanitised when the comment was saved (comments.text).
        return {"content": comment.body_html}

    def item_link(self, comment: Comment) -> str:
        return comment.get_absolute_url()

    def item_guid(self, comment: Comment) -> str:
        return self._absolute(reverse("comments:comment-permalink", kwargs={"pk": comment.pk}))

    def item_author_name(self, comment: Comment) -> str:
        return comment.display_name

    def item_author_link(self, comment: Comment) -> str | None:
        if comment.author_id is None:
            return None
        return self._absolute(comment.author.get_absolute_url())

    def item_pubdate(self, comment: Comment):
        return comment.created

    def item_updateddate(self, comment: Comment):
        return comment.edited or comment.created

    def __call__(self, request, *args, **kwargs):
        # One Feed instance serves every request: the request goes on a copy.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def _absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)


class ArticleCommentsFeed(CommentFeed):
    """The latest comments on one article, newest first."""

    def get_object(self, request, slug: str) -> Article:
        return get_object_or_404(Article, slug=slug)

    def title(self, article: Article) -> str:
        return f"Comments on “{article.title}”"

    def link(self, article: Article) -> str:
        return article.get_absolute_url()

    def subtitle(self, article: Article) -> str:
        return f"The latest comments on “{article.title}” at the forum."

    def items(self, article: Article):
        return self.latest(Comment.objects.filter(article=article))


class ReaderCommentsFeed(CommentFeed):
    """A reader's latest comments, newest first (an active account, else 404)."""

    def get_object(self, request, username: str):
        return get_object_or_404(get_user_model(), username=username, is_active=True)

    def title(self, user) -> str:
        return f"Comments by {user.get_username()}"

    def link(self, user) -> str:
        return user.get_absolute_url()

    def subtitle(self, user) -> str:
        return f"The latest comments by {user.get_username()} at the forum."

    def items(self, user):
        return self.latest(Comment.objects.filter(author=user))
